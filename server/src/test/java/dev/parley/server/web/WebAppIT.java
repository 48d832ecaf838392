package dev.parley.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.support.ServerProcess;
import dev.parley.server.support.TestServices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The web app in headless Chromium against the packaged server (clients/web/test/e2e.mjs): two people find each
 * other, chat live both ways, react, edit and see each other typing; one goes offline while the other sends 20
 * messages, which all appear once and in order after the reconnect; and both keep working past the expiry of their
 * first access token. Screenshots are left in server/target/web-screenshots.
 */
class WebAppIT {

    private static final String DATABASE = "parley_it_web";
    private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));

    @Test
    void twoPeopleChatInTheBrowserAndMissNothingAcrossANetworkDrop() throws Exception {
        assertThat(Files.isExecutable(CHROMIUM)).as("Chromium is needed at " + CHROMIUM
                + " (apt-get install chromium; .ci/run installs it)").isTrue();
        ConformanceIT.recreate(DATABASE);
        Path screenshots = Path.of("target", "web-screenshots").toAbsolutePath();
        try (ServerProcess server = ServerProcess.start("web", Map.of(
                "PARLEY_DATABASE_URL", "postgres://postgres@" + TestServices.HOST + ":5432/" + DATABASE,
                // every address, as by default: Chromium reaches localhost on ::1 first
                "PARLEY_HOST", "0.0.0.0",
                "PARLEY_AUTH_ACCESS_TOKEN_LIFETIME", "PT35S"))) { // short, so the test sees silent refreshes
            server.awaitServing();
            // the README's address, not 127.0.0.1: that is what a newcomer types
            var output = ConformanceIT.node("test/e2e.mjs", "http://localhost:" + server.port(), screenshots.toString(),
                    "--expect-refresh");
            assertThat(String.join("\n", output)).contains("\"result\":\"passed\"");
        }
        assertThat(screenshots.resolve("4-bob-after-reconnect.png")).exists();
    }
}
