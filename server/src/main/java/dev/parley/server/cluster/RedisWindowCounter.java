package dev.parley.server.cluster;

import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;

/**
 * Window counts in Redis, shared by every node. Each operation is one Lua script, so counting and starting the
 * window's expiry happen atomically: a crash between INCR and PEXPIRE cannot leave a counter that never resets.
 */
final class RedisWindowCounter implements WindowCounter {

    private static final String HIT = """
            local n = redis.call('INCR', KEYS[1])
            if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
            return {n, redis.call('PTTL', KEYS[1])}""";
    private static final String PEEK = """
            local n = redis.call('GET', KEYS[1])
            if not n then return {0, 0} end
            return {tonumber(n), redis.call('PTTL', KEYS[1])}""";
    private static final String UNDO = """
            local n = redis.call('GET', KEYS[1])
            if n and tonumber(n) > 0 then redis.call('DECR', KEYS[1]) end
            return {0, 0}""";
    private final Redis redis;
    private final String prefix;

    RedisWindowCounter(Redis redis, String prefix) {
        this.redis = redis;
        this.prefix = prefix + "count:";
    }

    @Override
    public Count hit(String key, Duration window) {
        return run(Request.cmd(Command.EVAL).arg(HIT).arg(1).arg(prefix + key).arg(window.toMillis()));
    }

    @Override
    public Count peek(String key) {
        return run(Request.cmd(Command.EVAL).arg(PEEK).arg(1).arg(prefix + key));
    }

    @Override
    public void undo(String key) {
        run(Request.cmd(Command.EVAL).arg(UNDO).arg(1).arg(prefix + key));
    }

    private Count run(Request script) {
        Response reply = RedisCalls.await(redis, script, "Rate limiting");
        return new Count(reply.get(0).toLong(), Duration.ofMillis(Math.max(0, reply.get(1).toLong())));
    }
}
