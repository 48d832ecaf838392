package dev.parley.server.support;

import java.util.Map;

/**
 * Two packaged nodes sharing PostgreSQL and a Redis of their own ({@link OwnRedis}), started once for every IT
 * that needs a cluster it may disturb (freeze or kill Redis, flood a limit) and stopped when the test JVM exits:
 * three such ITs, one start. Its configuration suits all of them: PARLEY_ADMIN_USERNAME is adele, the limits are
 * production's, but creating conversations is limited to 1 a second in bursts of 10 so that a flood of them is short.
 * Each IT leaves Redis running, and uses usernames of its own.
 */
public final class TwoNodes {

    private static final String DATABASE = "parley_it_two_nodes";
    private static TwoNodes shared;

    public final OwnRedis redis;
    public final ServerProcess a;
    public final ServerProcess b;

    private TwoNodes(OwnRedis redis, ServerProcess a, ServerProcess b) {
        this.redis = redis;
        this.a = a;
        this.b = b;
    }

    public static synchronized TwoNodes shared() throws Exception {
        if (shared == null) {
            TestServices.dropDatabase(DATABASE);
            OwnRedis redis = OwnRedis.start();
            Map<String, String> cluster = Map.of(
                    "PARLEY_DATABASE_URL", "postgres://postgres@" + TestServices.HOST + ":5432/" + DATABASE,
                    "PARLEY_REDIS_URL", redis.url(),
                    "PARLEY_ADMIN_USERNAME", "adele",
                    "PARLEY_LIMITS_SCALE", "1",
                    "PARLEY_LIMITS_PEOPLE_CONVERSATIONS_PER_SECOND", "1",
                    "PARLEY_LIMITS_PEOPLE_CONVERSATIONS_BURST", "10");
            ServerProcess a = ServerProcess.start("two-nodes-a", cluster);
            ServerProcess b = ServerProcess.start("two-nodes-b", cluster);
            a.awaitServing();
            b.awaitServing();
            shared = new TwoNodes(redis, a, b);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    a.close();
                    b.close();
                    redis.close();
                } catch (Exception ignored) {
                    // the JVM is going; the processes die with their pipes
                }
            }));
        }
        return shared;
    }
}
