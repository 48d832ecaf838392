package dev.parley.server.cluster;

import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import java.time.Clock;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Chooses the node's mode once, at start: with {@code parley.redis.url} set the bus and counters live in Redis and
 * nodes cooperate; without it everything stays in process and the server is a single node.
 */
@ApplicationScoped
public class ClusterBeans {

    private static final Logger LOG = Logger.getLogger(ClusterBeans.class);

    private final Optional<RedisUrl> redisUrl;
    private final String prefix;
    private final Vertx vertx;
    private Redis commands;
    private Redis subscriptions;
    private RedisNodeBus redisBus;

    ClusterBeans(@ConfigProperty(name = "parley.redis.url") Optional<String> redisUrl,
            @ConfigProperty(name = "parley.redis.key-prefix", defaultValue = "parley:") String prefix, Vertx vertx) {
        this.redisUrl = redisUrl.filter(url -> !url.isBlank()).map(RedisUrl::parse);
        this.prefix = prefix;
        this.vertx = vertx;
    }

    @Produces
    @ApplicationScoped
    NodeBus nodeBus() {
        if (redisUrl.isEmpty()) {
            LOG.info("Single-node mode: fan-out, presence and rate limits stay in this process");
            return new LocalNodeBus();
        }
        LOG.infof("Clustered mode: sharing fan-out, presence and rate limits through Redis at %s:%d",
                redisUrl.get().host(), redisUrl.get().port());
        redisBus = new RedisNodeBus(vertx, subscriptions(), commands(), prefix);
        redisBus.start();
        return redisBus;
    }

    @Produces
    @ApplicationScoped
    WindowCounter windowCounter() {
        LocalWindowCounter local = new LocalWindowCounter(Clock.systemUTC());
        return redisUrl.isEmpty() ? local : new FallbackWindowCounter(new RedisWindowCounter(commands(), prefix),
                local);
    }

    @Produces
    @ApplicationScoped
    UsageTallies usageTallies() {
        return redisUrl.isEmpty() ? (counts, window) -> java.util.Map.of()
                : new RedisUsageTallies(commands(), prefix, Clock.systemUTC());
    }

    @Produces
    @ApplicationScoped
    PresenceStore presenceStore() {
        return redisUrl.isEmpty() ? new LocalPresenceStore()
                : new RedisPresenceStore(commands(), prefix, java.util.UUID.randomUUID().toString());
    }

    void stop(@Observes ShutdownEvent event) {
        if (redisBus != null) {
            redisBus.close();
        }
        if (commands != null) {
            commands.close();
        }
        if (subscriptions != null) {
            subscriptions.close();
        }
    }

    private synchronized Redis commands() {
        if (commands == null) {
            commands = Redis.createClient(vertx, options().setMaxPoolSize(16).setMaxPoolWaiting(1024));
        }
        return commands;
    }

    private synchronized Redis subscriptions() {
        if (subscriptions == null) {
            subscriptions = Redis.createClient(vertx, options());
        }
        return subscriptions;
    }

    private RedisOptions options() {
        return new RedisOptions().setConnectionString(redisUrl.orElseThrow().url());
    }
}
