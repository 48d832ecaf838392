package dev.parley.server.cluster;

import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Presence in Redis: per person a hash of node id to connection expiry, a sorted set of every (person, node)
 * expiry for the sweep, a status and a last-seen time. Each operation is one Lua script, so a sweep and a
 * reconnect on the same person cannot interleave, and one node only reports each person going offline.
 */
final class RedisPresenceStore implements PresenceStore {

    private static final String CONNECT = """
            local live = false
            for _, v in ipairs(redis.call('HVALS', KEYS[1])) do
              if tonumber(v) > tonumber(ARGV[3]) then live = true end
            end
            redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
            redis.call('PEXPIREAT', KEYS[1], ARGV[2] + 60000)
            redis.call('ZADD', KEYS[2], ARGV[2], ARGV[4] .. '|' .. ARGV[1])
            if live then return 0 else return 1 end""";
    private static final String SWEEP = """
            local due = redis.call('ZRANGEBYSCORE', KEYS[1], 0, ARGV[1], 'LIMIT', 0, 200)
            local offline = {#due}
            for _, member in ipairs(due) do
              redis.call('ZREM', KEYS[1], member)
              local bar = string.find(member, '|', 1, true)
              local user = string.sub(member, 1, bar - 1)
              local node = string.sub(member, bar + 1)
              local hash = ARGV[2] .. 'presence:' .. user
              local expires = tonumber(redis.call('HGET', hash, node) or '0')
              if expires <= tonumber(ARGV[1]) then
                redis.call('HDEL', hash, node)
                local live = false
                for _, v in ipairs(redis.call('HVALS', hash)) do
                  if tonumber(v) > tonumber(ARGV[1]) then live = true end
                end
                if not live then
                  redis.call('SET', ARGV[2] .. 'presence:seen:' .. user, ARGV[1])
                  table.insert(offline, user)
                end
              end
            end
            return offline""";
    private static final String GET = """
            local out = {}
            for i, user in ipairs(ARGV) do
              if i > 2 then
                local live = 0
                for _, v in ipairs(redis.call('HVALS', ARGV[1] .. 'presence:' .. user)) do
                  if tonumber(v) > tonumber(ARGV[2]) then live = 1 end
                end
                table.insert(out, live)
                table.insert(out, redis.call('GET', ARGV[1] .. 'presence:status:' .. user) or 'online')
                table.insert(out, redis.call('GET', ARGV[1] .. 'presence:seen:' .. user) or '')
              end
            end
            return out""";

    private static final int SWEEP_LIMIT = 200;
    private final Redis redis;
    private final String prefix;
    private final String nodeId;

    RedisPresenceStore(Redis redis, String prefix, String nodeId) {
        this.redis = redis;
        this.prefix = prefix;
        this.nodeId = nodeId;
    }

    @Override
    public boolean connect(UUID userId, Instant until) {
        Response live = run(Request.cmd(Command.EVAL).arg(CONNECT).arg(2).arg(prefix + "presence:" + userId)
                .arg(prefix + "presence:expiry").arg(nodeId).arg(until.toEpochMilli())
                .arg(Instant.now().toEpochMilli()).arg(userId.toString()));
        return live.toInteger() == 1;
    }

    @Override
    public void setStatus(UUID userId, String status) {
        run(Request.cmd(Command.SET).arg(prefix + "presence:status:" + userId).arg(status));
    }

    @Override
    public Map<UUID, Entry> get(Collection<UUID> userIds, Instant now) {
        Request request = Request.cmd(Command.EVAL).arg(GET).arg(0).arg(prefix).arg(now.toEpochMilli());
        List<UUID> ordered = new ArrayList<>(userIds);
        ordered.forEach(id -> request.arg(id.toString()));
        Response values = run(request);
        Map<UUID, Entry> entries = new HashMap<>();
        for (int i = 0; i < ordered.size(); i++) {
            String seen = values.get(3 * i + 2).toString();
            entries.put(ordered.get(i), new Entry(values.get(3 * i).toInteger() == 1, values.get(3 * i + 1).toString(),
                    seen.isEmpty() ? null : Instant.ofEpochMilli(Long.parseLong(seen))));
        }
        return entries;
    }

    /** The script takes 200 lapsed connections per call (one Redis call stays short); this asks until done. */
    @Override
    public List<UUID> sweep(Instant now) {
        List<UUID> users = new ArrayList<>();
        int due;
        do {
            Response answer = run(Request.cmd(Command.EVAL).arg(SWEEP).arg(1).arg(prefix + "presence:expiry")
                    .arg(now.toEpochMilli()).arg(prefix));
            due = answer.get(0).toInteger();
            for (int i = 1; i < answer.size(); i++) {
                users.add(UUID.fromString(answer.get(i).toString()));
            }
        } while (due == SWEEP_LIMIT);
        return users;
    }

    private Response run(Request request) {
        return RedisCalls.await(redis, request, "Presence");
    }
}
