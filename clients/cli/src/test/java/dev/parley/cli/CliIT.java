package dev.parley.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.client.TestServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The `parley` commands against a live server: their text and --json output, and their exit codes. */
class CliIT {

    private static TestServer server;
    private static final String RUN = UUID.randomUUID().toString().substring(0, 6);

    @TempDir
    Path home;

    record Result(int code, String out, String err) {
    }

    @BeforeAll
    static void startServer() throws Exception {
        server = TestServer.start("parley_it_cli");
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @Test
    void aPersonSignsUpChatsAndLogsOut() throws Exception {
        Path ada = home.resolve("ada");
        Path bob = home.resolve("bob");
        String adaName = "ada_" + RUN;
        String bobName = "bob_" + RUN;

        assertThat(parley(ada, "", "signup", adaName, "--email", adaName + "@example.com", "--name", "Ada L").out())
                .isEqualTo("Signed up and logged in as " + adaName + ".\n");
        assertThat(parley(bob, "", "--json", "signup", bobName, "--email", bobName + "@example.com").out())
                .contains("\"username\":\"" + bobName + "\"");
        Path credentials = ada.resolve("credentials.properties");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(credentials))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(ada))).isEqualTo("rwx------");

        assertThat(parley(ada, "", "whoami").out()).isEqualTo(adaName + " (Ada L, " + adaName + "@example.com)\n");
        assertThat(parley(ada, "", "whoami", "--json").out()).startsWith("{\"user\":{").contains(adaName);
        assertThat(parley(ada, "", "users", "search", "bob_" + RUN).out()).startsWith(bobName + "  " + bobName);

        assertThat(parley(ada, "", "send", "@" + bobName, "hello", "bob").out()).matches("Sent \\(#\\d+\\)\\.\n");
        assertThat(parley(ada, "from standard input\n", "send", "@" + bobName).code()).isZero();
        assertThat(parley(bob, "", "conversations", "list").out()).contains("@" + adaName).contains("(2 unread)");
        String history = parley(bob, "", "history", "@" + adaName).out();
        assertThat(history).contains(adaName + ": hello bob").contains(adaName + ": from standard input");
        assertThat(history.indexOf("hello bob")).isLessThan(history.indexOf("from standard input"));
        assertThat(parley(bob, "", "--json", "history", "@" + adaName, "--limit", "1").out())
                .contains("\"text\":\"from standard input\"").contains("\"hasMore\":true");
        assertThat(parley(bob, "", "read", "@" + adaName).out()).startsWith("Read up to #");
        assertThat(parley(bob, "", "conversations", "list").out()).doesNotContain("unread");

        assertThat(parley(ada, "", "logout").out()).isEqualTo("Logged out.\n");
        Result signedOut = parley(ada, "", "whoami");
        assertThat(signedOut.code()).isEqualTo(ExitCodes.NOT_LOGGED_IN);
        assertThat(signedOut.err()).contains("not logged in");
        assertThat(parley(ada, "", "login", adaName).out()).isEqualTo("Logged in as " + adaName + ".\n");
    }

    @Test
    void groupsAreCreatedJoinedAndManaged() throws Exception {
        Path owner = home.resolve("owner");
        Path guest = home.resolve("guest");
        Path asker = home.resolve("asker");
        String ownerName = "own_" + RUN;
        String guestName = "gst_" + RUN;
        String askerName = "ask_" + RUN;
        parley(owner, "", "signup", ownerName, "--email", ownerName + "@example.com");
        parley(guest, "", "signup", guestName, "--email", guestName + "@example.com");
        parley(asker, "", "signup", askerName, "--email", askerName + "@example.com");

        String open = "open-" + RUN;
        assertThat(parley(owner, "", "conversations", "group", open, "--public").out()).startsWith("Created #" + open);
        assertThat(parley(guest, "", "conversations", "join", open).out()).isEqualTo("Joined #" + open + ".\n");
        assertThat(parley(owner, "", "conversations", "members", open).out())
                .contains(ownerName).contains("owner").contains(guestName).contains("member");
        assertThat(parley(guest, "", "conversations", "leave", open).code()).isZero();
        assertThat(parley(owner, "", "--json", "conversations", "members", open).out()).doesNotContain(guestName);

        String closed = "closed-" + RUN;
        parley(owner, "", "conversations", "group", closed);
        assertThat(parley(owner, "", "conversations", "invite", closed, guestName).out())
                .isEqualTo("Added " + guestName + ".\n");
        Result notAllowed = parley(guest, "", "conversations", "invite", closed, askerName);
        assertThat(notAllowed.code()).isEqualTo(ExitCodes.NOT_ALLOWED);
        assertThat(parley(owner, "", "conversations", "requests", closed).out()).isEqualTo("No pending requests.\n");

        Result unknown = parley(owner, "", "send", "no-such-conversation-" + RUN, "hi");
        assertThat(unknown.code()).isEqualTo(ExitCodes.NOT_FOUND);
        Result empty = parley(owner, "   \n", "send", closed);
        assertThat(empty.code()).isEqualTo(ExitCodes.INVALID);
        Result tooLong = parley(owner, "", "send", closed, "x".repeat(8_001));
        assertThat(tooLong.code()).isEqualTo(ExitCodes.INVALID);
        assertThat(tooLong.err()).contains("text");
    }

    @Test
    void tailPrintsMessagesLiveAsTheyArrive() throws Exception {
        Path watcher = home.resolve("watcher");
        Path talker = home.resolve("talker");
        String watcherName = "wat_" + RUN;
        String talkerName = "tal_" + RUN;
        parley(watcher, "", "signup", watcherName, "--email", watcherName + "@example.com");
        parley(talker, "", "signup", talkerName, "--email", talkerName + "@example.com");
        String room = "room-" + RUN;
        parley(talker, "", "conversations", "group", room, "--member", watcherName);

        var out = new ByteArrayOutputStream();
        CompletableFuture<Integer> tail = CompletableFuture.supplyAsync(() -> run(watcher, "", out,
                new ByteArrayOutputStream(), "tail", room, "--count", "2"));
        // the stream starts live from now: what is sent before it is live is history, not tail
        await().atMost(Duration.ofSeconds(15)).until(() -> out.toString(StandardCharsets.UTF_8).contains("-- live --"));
        parley(talker, "", "send", room, "first live line");
        parley(talker, "", "send", room, "second live line");
        assertThat(tail.get(30, TimeUnit.SECONDS)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("#" + room)
                .contains(talkerName + ": first live line").contains(talkerName + ": second live line");
    }

    private static Result parley(Path configDir, String stdin, String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int code = run(configDir, stdin, out, err, args);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** One command in this JVM, as a person with this config directory, against the test server. */
    private static int run(Path configDir, String stdin, ByteArrayOutputStream out, ByteArrayOutputStream err,
            String... args) {
        Map<String, String> environment = new HashMap<>();
        environment.put("PARLEY_SERVER", server.target());
        environment.put("PARLEY_CONFIG_DIR", configDir.toString());
        environment.put("PARLEY_PASSWORD", "a long enough passphrase");
        return Parley.run(args, environment, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }
}
