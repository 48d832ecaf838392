package dev.parley.server.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.support.ServerProcess;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A configured service that cannot be reached ends start-up with one line saying which and what to do. */
class StartupFailureIT {

    @Test
    void anUnreachableDatabaseIsNamedInOneLine() throws Exception {
        var exited = ServerProcess.runUntilExit(Map.of("PARLEY_DATABASE_URL", "jdbc:postgresql://127.0.0.1:1/parley"));

        assertThat(exited.code()).isEqualTo(2);
        assertThat(exited.stderr().strip().lines()).singleElement().satisfies(line -> assertThat(line)
                .startsWith("parley: cannot use PostgreSQL at 127.0.0.1:1/parley (")
                .contains("PARLEY_DATABASE_URL"));
        assertThat(exited.stdout()).doesNotContain("Exception");
    }

    @Test
    void aConfiguredDatabaseWithoutSigningKeyFilesIsRefusedUnlessAGeneratedKeyIsWanted() throws Exception {
        var exited = ServerProcess.runUntilExit(Map.of(
                "PARLEY_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/parley_it_startup",
                "PARLEY_AUTH_JWT_KEEP_GENERATED_KEY", "false"));

        assertThat(exited.code()).isEqualTo(2);
        assertThat(exited.stderr().strip().lines()).singleElement().satisfies(line -> assertThat(line)
                .startsWith("parley: no signing key files: set PARLEY_AUTH_JWT_PRIVATE_KEY_PATH")
                .contains("PARLEY_AUTH_JWT_KEEP_GENERATED_KEY=true"));
    }

    @Test
    void anUnreachableRedisIsNamedInOneLine() throws Exception {
        var exited = ServerProcess.runUntilExit(Map.of(
                "PARLEY_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/parley_it_startup",
                "PARLEY_REDIS_URL", "redis://127.0.0.1:1"));

        assertThat(exited.code()).isEqualTo(2);
        assertThat(exited.stderr().strip().lines()).singleElement().satisfies(line -> assertThat(line)
                .startsWith("parley: cannot reach Redis at 127.0.0.1:1 (")
                .contains("PARLEY_REDIS_URL"));
    }

    @Test
    void aMalformedDatabaseUrlIsExplained() throws Exception {
        var exited = ServerProcess.runUntilExit(Map.of("PARLEY_DATABASE_URL", "mysql://localhost/parley"));

        assertThat(exited.code()).isEqualTo(2);
        assertThat(exited.stderr().strip()).startsWith("parley: PARLEY_DATABASE_URL must be a jdbc:postgresql://");
    }
}
