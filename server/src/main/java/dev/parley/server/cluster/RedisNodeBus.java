package dev.parley.server.cluster;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The clustered bus, on Redis 7 sharded pub/sub ({@code SSUBSCRIBE}/{@code SPUBLISH}). One dedicated Redis
 * connection per node holds every subscription, however many local subscribers there are, so Redis load grows
 * with nodes and the channels they follow, not with clients; a node subscribes to a conversation's channel only
 * while one of its streams follows it, so it receives nothing else. When that connection drops it is
 * re-established with back-off, every channel is subscribed again, and the catch-up hooks run. (On a Redis
 * Cluster, sharded channels live on different shards, which would take one subscription connection per shard.)
 */
final class RedisNodeBus implements NodeBus {

    private static final Logger LOG = Logger.getLogger(RedisNodeBus.class);
    /** Longest wait between attempts to resubscribe: a returning Redis is used again within a second. */
    private static final long MAX_BACKOFF_MILLIS = 1000;
    /** When a failed publish was last logged: once per 5 s, not once per message, while Redis is away. */
    private volatile long lastPublishWarning = System.nanoTime() - 10_000_000_000L;

    private final Vertx vertx;
    private final Redis subscriber;
    private final Redis publisher;
    private final String prefix;
    private final Map<String, List<Consumer<byte[]>>> handlers = new ConcurrentHashMap<>();
    private final List<Runnable> catchUps = new CopyOnWriteArrayList<>();
    private volatile RedisConnection connection;
    private volatile boolean closed;

    RedisNodeBus(Vertx vertx, Redis subscriber, Redis publisher, String prefix) {
        this.vertx = vertx;
        this.subscriber = subscriber;
        this.publisher = publisher;
        this.prefix = prefix;
    }

    /** Opens the subscription connection; waits for it so the node is on the bus before it serves calls. */
    void start() {
        connect(0).toCompletionStage().toCompletableFuture().join();
    }

    void close() {
        closed = true;
        RedisConnection open = connection;
        if (open != null) {
            open.close();
        }
    }

    @Override
    public void publish(String channel, byte[] payload) {
        publisher.send(Request.cmd(Command.SPUBLISH).arg(prefix + channel).arg(Buffer.buffer(payload)))
                .onFailure(e -> {
                    // Redis is away: this node's own subscribers still hear it (its streams stay live); the other
                    // nodes catch up from PostgreSQL once their subscription is back (onReconnect).
                    long now = System.nanoTime();
                    if (now - lastPublishWarning > 5_000_000_000L) {
                        lastPublishWarning = now;
                        LOG.warnf("Redis SPUBLISH on %s failed (%s): notices go to this node only until it is back",
                                channel, e.getMessage());
                    }
                    deliverLocally(channel, payload);
                });
    }

    @Override
    public synchronized CompletionStage<Void> subscribe(String channel, Consumer<byte[]> handler) {
        List<Consumer<byte[]>> mine = handlers.computeIfAbsent(channel, c -> new CopyOnWriteArrayList<>());
        boolean first = mine.isEmpty();
        mine.add(handler);
        RedisConnection open = connection;
        if (!first || open == null) {
            return CompletableFuture.completedFuture(null); // in force already, or will be on (re)connection
        }
        return open.send(Request.cmd(Command.SSUBSCRIBE).arg(prefix + channel)).<Void>mapEmpty()
                .toCompletionStage();
    }

    @Override
    public synchronized void unsubscribe(String channel, Consumer<byte[]> handler) {
        List<Consumer<byte[]>> mine = handlers.get(channel);
        if (mine == null || !mine.remove(handler) || !mine.isEmpty()) {
            return;
        }
        handlers.remove(channel);
        RedisConnection open = connection;
        if (open != null) {
            open.send(Request.cmd(Command.SUNSUBSCRIBE).arg(prefix + channel));
        }
    }

    @Override
    public void onReconnect(Runnable catchUp) {
        catchUps.add(catchUp);
    }

    @Override
    public boolean clustered() {
        return true;
    }

    @Override
    public boolean connected() {
        return connection != null;
    }

    private io.vertx.core.Future<Void> connect(long backoffMillis) {
        return subscriber.connect().compose(open -> {
            open.handler(this::dispatch);
            open.exceptionHandler(e -> LOG.warnf("Redis subscription failed: %s", e.getMessage()));
            open.endHandler(ignored -> reconnectLater(open, 100));
            synchronized (this) {
                connection = open;
                handlers.keySet().forEach(channel -> open.send(Request.cmd(Command.SSUBSCRIBE).arg(prefix + channel)));
            }
            if (backoffMillis > 0) {
                LOG.info("Redis subscription restored; catching up on missed notices");
                catchUps.forEach(this::runCatchUp);
            }
            return io.vertx.core.Future.<Void>succeededFuture();
        }).recover(e -> {
            if (backoffMillis == 0) {
                return io.vertx.core.Future.failedFuture(e);
            }
            LOG.warnf("Redis unreachable (%s); retrying in %d ms", e.getMessage(), backoffMillis);
            vertx.setTimer(backoffMillis, t -> connect(Math.min(backoffMillis * 2, MAX_BACKOFF_MILLIS)));
            return io.vertx.core.Future.<Void>succeededFuture();
        });
    }

    private void reconnectLater(RedisConnection lost, long backoffMillis) {
        if (closed || connection != lost) {
            return;
        }
        connection = null;
        LOG.warn("Redis subscription connection lost; reconnecting");
        vertx.setTimer(backoffMillis, t -> connect(Math.max(backoffMillis, 100)));
    }

    private void runCatchUp(Runnable catchUp) {
        vertx.executeBlocking(() -> {
            catchUp.run();
            return null;
        }, false);
    }

    private void dispatch(Response message) {
        if ((message.type() != ResponseType.PUSH && message.type() != ResponseType.MULTI) || message.size() != 3) {
            return;
        }
        String kind = message.get(0).toString();
        if (!"smessage".equals(kind) && !"message".equals(kind)) {
            return;
        }
        deliverLocally(message.get(1).toString().substring(prefix.length()), message.get(2).toBytes());
    }

    private void deliverLocally(String channel, byte[] payload) {
        for (Consumer<byte[]> handler : handlers.getOrDefault(channel, List.of())) {
            try {
                handler.accept(payload);
            } catch (RuntimeException e) {
                LOG.errorf(e, "Handler of %s failed", channel);
            }
        }
    }
}
