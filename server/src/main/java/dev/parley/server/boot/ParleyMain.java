package dev.parley.server.boot;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * Entry point. Before Quarkus starts it settles where the data lives: the configured PostgreSQL (created if the
 * database is missing) or, with nothing configured, an embedded one; and it checks that a configured Redis answers.
 * Doing this first lets a missing service end start-up with one clear line instead of a framework stack trace.
 */
@QuarkusMain
public class ParleyMain {

    public static void main(String... args) {
        Settings settings = Settings.fromEnvironment();
        try {
            DatabaseTarget database = settings.databaseUrl().isPresent()
                    ? DatabaseTarget.configured(settings)
                    : EmbeddedDatabase.start(settings.dataDirectory());
            database.ensureReachable();
            database.exportToQuarkus();
            settings.redisUrl().ifPresent(RedisCheck::ensureReachable);
        } catch (StartupFailure failure) {
            System.err.println("parley: " + failure.getMessage());
            System.exit(2);
        }
        Quarkus.run(args);
    }
}
