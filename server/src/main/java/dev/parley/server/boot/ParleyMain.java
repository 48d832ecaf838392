package dev.parley.server.boot;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * Entry point. Before Quarkus starts it settles where the data lives: the configured PostgreSQL (created if the
 * database is missing) or, with nothing configured, an embedded one; and it checks that a configured Redis answers.
 * Doing this first lets a missing service end start-up with one clear line instead of a framework stack trace.
 * With a configured database (a deployment, not a try-out) it also wants signing key files, or to be told to keep
 * a generated key in the database: a key nobody chose, readable by anyone who can read the database, is not a
 * default a deployment should get without asking.
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
            if (settings.databaseUrl().isPresent() && !settings.signingKeyFiles() && !settings.keepGeneratedKey()) {
                throw new StartupFailure("no signing key files: set PARLEY_AUTH_JWT_PRIVATE_KEY_PATH and "
                        + "PARLEY_AUTH_JWT_PUBLIC_KEY_PATH (make them with scripts/generate-jwt-keys), or set "
                        + "PARLEY_AUTH_JWT_KEEP_GENERATED_KEY=true to generate one and keep it in the database");
            }
        } catch (StartupFailure failure) {
            System.err.println("parley: " + failure.getMessage());
            System.exit(2);
        }
        Quarkus.run(args);
    }
}
