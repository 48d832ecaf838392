package dev.parley.server.cluster;

import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Tallies in Redis, one key per tally and window (the window's number in its name), all of a round in one
 * pipeline. Each key is one Lua script, so adding and starting its expiry happen together.
 */
final class RedisUsageTallies implements UsageTallies {

    private static final Logger LOG = Logger.getLogger(RedisUsageTallies.class);
    private static final String ADD = """
            local n = redis.call('INCRBY', KEYS[1], ARGV[1])
            if n == tonumber(ARGV[1]) then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
            return n""";
    private static final long TIMEOUT_MILLIS = 1000;

    private final Redis redis;
    private final String prefix;
    private final Clock clock;

    RedisUsageTallies(Redis redis, String prefix, Clock clock) {
        this.redis = redis;
        this.prefix = prefix + "tally:";
        this.clock = clock;
    }

    @Override
    public Map<String, Long> add(Map<String, Long> counts, Duration window) {
        if (counts.isEmpty()) {
            return Map.of();
        }
        long windowNumber = clock.millis() / window.toMillis();
        List<String> keys = new ArrayList<>(counts.keySet());
        List<Request> requests = keys.stream().map(key -> Request.cmd(Command.EVAL).arg(ADD).arg(1)
                .arg(prefix + key + ":" + windowNumber).arg(counts.get(key)).arg(window.toMillis() * 2)).toList();
        try {
            List<Response> replies = redis.batch(requests).toCompletionStage().toCompletableFuture()
                    .get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            Map<String, Long> tallies = new HashMap<>();
            for (int i = 0; i < keys.size(); i++) {
                tallies.put(keys.get(i), replies.get(i).toLong());
            }
            return tallies;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Map.of();
        } catch (Exception e) {
            LOG.debugf("usage tallies unavailable, limiting on this node alone: %s", e.toString());
            return Map.of();
        }
    }
}
