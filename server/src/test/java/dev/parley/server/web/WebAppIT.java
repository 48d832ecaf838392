package dev.parley.server.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;

import dev.parley.server.support.NodeScripts;
import dev.parley.server.support.ServerProcess;
import dev.parley.server.support.TestServices;
import java.nio.file.Files;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The web app in headless Chromium against the packaged server, at the README's address (http://localhost, which
 * Chromium reaches on ::1 first) with the server on every address, as by default. e2e.mjs: two people find each
 * other, chat live both ways, react, edit and see each other typing; one goes offline while the other sends 20
 * messages, which all appear once and in order after the reconnect; and both keep working past the expiry of their
 * first access token. first-minutes.mjs: the defects a new user met, at phone and desktop widths.
 * password-reset.mjs: a forgotten password reset from the link in a real mail, relayed to this JVM's SMTP server.
 * The page comes with a strict Content-Security-Policy, and the scripts fail on any violation the page reports.
 * Screenshots are left in server/target/web-screenshots.
 */
class WebAppIT {

    private static final String DATABASE = "parley_it_web";
    private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
    private static final Path SCREENSHOTS = Path.of("target", "web-screenshots").toAbsolutePath();
    private static final Pattern RESET_LINK = Pattern.compile("(http://\\S+)#reset-token=([A-Za-z0-9_-]+)");
    private static ServerProcess server;

    @RegisterExtension
    static final GreenMailExtension SMTP = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
            .withPerMethodLifecycle(false);

    @BeforeAll
    static void startServer() throws Exception {
        assertThat(Files.isExecutable(CHROMIUM)).as("Chromium is needed at " + CHROMIUM
                + " (apt-get install chromium; .ci/run installs it)").isTrue();
        TestServices.dropDatabase(DATABASE); // the server creates it afresh
        server = ServerProcess.start("web", Map.of(
                "PARLEY_DATABASE_URL", "postgres://postgres@" + TestServices.HOST + ":5432/" + DATABASE,
                "PARLEY_HOST", "0.0.0.0",
                "PARLEY_MAIL_SMTP_HOST", "127.0.0.1",
                "PARLEY_MAIL_SMTP_PORT", Integer.toString(SMTP.getSmtp().getPort()),
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

    @Test
    void aForgottenPasswordIsResetFromTheMailedLink() throws Exception {
        String username = "forgetful" + Long.toString(System.nanoTime(), 36);
        String shots = SCREENSHOTS.resolve("password-reset").toString();
        assertThat(String.join("\n", NodeScripts.run("test/password-reset.mjs", address(), shots, "ask", username)))
                .contains("\"result\":\"passed\"");
        String recipient = username + "@example.com";
        var mail = await().atMost(Duration.ofSeconds(10)).until(() -> Arrays.stream(SMTP.getReceivedMessages())
                .filter(message -> GreenMailUtil.getWholeMessage(message).contains("To: " + recipient))
                .findFirst(), java.util.Optional::isPresent).orElseThrow();
        Matcher link = RESET_LINK.matcher(mail.getContent().toString());
        assertThat(link.find()).as("a reset link in the mail").isTrue();
        assertThat(link.group(1)).isEqualTo("http://localhost:" + server.port() + "/");
        assertThat(String.join("\n", NodeScripts.run("test/password-reset.mjs", address(), shots, "use",
                link.group(), username))).contains("\"result\":\"passed\"");
    }

    @Test
    void thePageComesWithAStrictContentSecurityPolicy() throws Exception {
        HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(address() + "/"))
                .build(), HttpResponse.BodyHandlers.ofString());
        String policy = page.headers().firstValue("content-security-policy").orElse("");
        assertThat(policy).contains("script-src 'self'", "connect-src 'self'", "default-src 'none'",
                "frame-ancestors 'none'").doesNotContain("unsafe-inline").doesNotContain("unsafe-eval");
        assertThat(page.body()).doesNotContainPattern("<script(?![^>]*\\bsrc=)[^>]*>"); // no inline script
    }

    /** The README's address, not 127.0.0.1: what a newcomer types. */
    private static String address() {
        return "http://localhost:" + server.port();
    }
}
