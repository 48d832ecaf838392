package dev.parley.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.support.NodeScripts;
import dev.parley.server.support.ServerProcess;
import dev.parley.server.support.TestServices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The web app in headless Chromium against the packaged server, at the README's address (http://localhost, which
 * Chromium reaches on ::1 first) with the server on every address, as by default. e2e.mjs: two people find each
 * other, chat live both ways, react, edit and see each other typing; one goes offline while the other sends 20
 * messages, which all appear once and in order after the reconnect; and both keep working past the expiry of their
 * first access token. first-minutes.mjs: the defects a new user met, at phone and desktop widths. Screenshots are
 * left in server/target/web-screenshots.
 */
class WebAppIT {

    private static final String DATABASE = "parley_it_web";
    private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
    private static final Path SCREENSHOTS = Path.of("target", "web-screenshots").toAbsolutePath();
    private static ServerProcess server;

    @BeforeAll
    static void startServer() throws Exception {
        assertThat(Files.isExecutable(CHROMIUM)).as("Chromium is needed at " + CHROMIUM
                + " (apt-get install chromium; .ci/run installs it)").isTrue();
        ConformanceIT.recreate(DATABASE);
        server = ServerProcess.start("web", Map.of(
                "PARLEY_DATABASE_URL", "postgres://postgres@" + TestServices.HOST + ":5432/" + DATABASE,
                "PARLEY_HOST", "0.0.0.0",
                "PARLEY_AUTH_ACCESS_TOKEN_LIFETIME", "PT35S")); // short, so the test sees silent refreshes
        server.awaitServing();
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @Test
    void twoPeopleChatInTheBrowserAndMissNothingAcrossANetworkDrop() throws Exception {
        var output = NodeScripts.run("test/e2e.mjs", address(), SCREENSHOTS.toString(), "--expect-refresh");
        assertThat(String.join("\n", output)).contains("\"result\":\"passed\"");
        assertThat(SCREENSHOTS.resolve("4-bob-after-reconnect.png")).exists();
    }

    @Test
    void aNewUsersFirstMinutesMeetNoneOfTheDefectsFoundBefore() throws Exception {
        var output = NodeScripts.run("test/first-minutes.mjs", address(), SCREENSHOTS.resolve("first-minutes")
                .toString());
        assertThat(String.join("\n", output)).contains("\"result\":\"passed\"");
    }

    /** The README's address, not 127.0.0.1: what a newcomer types. */
    private static String address() {
        return "http://localhost:" + server.port();
    }
}
