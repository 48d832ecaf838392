package dev.parley.server.cluster;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The single-node bus. Like Redis, it returns from publish at once and hands notices to subscribers in publish
 * order on a thread of its own: a publisher (a transaction finishing its commit, still holding its pooled
 * connection) never waits for what subscribers do with a notice, such as writing it to hundreds of streams.
 */
final class LocalNodeBus implements NodeBus {

    private static final Logger LOG = Logger.getLogger(LocalNodeBus.class);
    private final Map<String, List<Consumer<byte[]>>> subscribers = new ConcurrentHashMap<>();
    private final ExecutorService dispatcher = Executors.newSingleThreadExecutor(Thread.ofPlatform()
            .name("node-bus").daemon().factory());

    @Override
    public void publish(String channel, byte[] payload) {
        dispatcher.execute(() -> subscribers.getOrDefault(channel, List.of()).forEach(handler -> {
            try {
                handler.accept(payload);
            } catch (RuntimeException e) {
                LOG.errorf(e, "Handler of %s failed", channel);
            }
        }));
    }

    @Override
    public CompletionStage<Void> subscribe(String channel, Consumer<byte[]> handler) {
        subscribers.computeIfAbsent(channel, c -> new CopyOnWriteArrayList<>()).add(handler);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void unsubscribe(String channel, Consumer<byte[]> handler) {
        subscribers.computeIfPresent(channel, (c, handlers) -> {
            handlers.remove(handler);
            return handlers.isEmpty() ? null : handlers;
        });
    }

    @Override
    public void onReconnect(Runnable catchUp) {
        // nothing to reconnect
    }

    @Override
    public boolean clustered() {
        return false;
    }
}
