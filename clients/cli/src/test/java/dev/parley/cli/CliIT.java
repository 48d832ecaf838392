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
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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

    @Test
    void tailNamesTheOtherPersonOfADirectConversationStartedWhileItRuns() throws Exception {
        Person watcher = person("dwat");
        Person grace = person("grace");
        var out = new ByteArrayOutputStream();
        CompletableFuture<Integer> tail = CompletableFuture.supplyAsync(() -> run(watcher.home(), "", out,
                new ByteArrayOutputStream(), "tail", "--count", "1"));
        await().atMost(Duration.ofSeconds(15)).until(() -> out.toString(StandardCharsets.UTF_8).contains("-- live --"));

        parley(grace.home(), "", "send", "@" + watcher.name(), "hello from grace");

        assertThat(tail.get(30, TimeUnit.SECONDS)).isZero();
        String shown = out.toString(StandardCharsets.UTF_8);
        assertThat(shown.lines().filter(line -> line.contains("hello from grace")))
                .singleElement().asString().startsWith("@" + grace.name() + " #");
        assertThat(shown).doesNotContain("joined #\n");
    }

    @Test
    void searchFindsMessagesAsTextAndAsJsonAndNamesABadPart() {
        Person ada = person("sada");
        Person bob = person("sbob");
        parley(ada.home(), "", "send", "@" + bob.name(), "the deploy checklist is ready");
        parley(ada.home(), "", "send", "@" + bob.name(), "lunch later");

        Result text = parley(bob.home(), "", "search", "deploy", "checkl");
        assertThat(text.code()).isZero();
        assertThat(text.out()).containsPattern("@" + ada.name() + "  #\\d+ .* " + ada.name()
                + ": the deploy checklist is ready\n").doesNotContain("lunch");
        Result json = parley(bob.home(), "", "--json", "search", "\"deploy checklist\"", "--in", "@" + ada.name());
        assertThat(json.out()).contains("\"text\":\"the deploy checklist is ready\"")
                .contains("{\"text\":\"deploy\",\"highlighted\":true}");
        assertThat(parley(bob.home(), "", "search", "nothing-like-it").out()).isEqualTo("Nothing found.\n");
        Result bad = parley(bob.home(), "", "search", "note:x");
        assertThat(bad.code()).isEqualTo(ExitCodes.INVALID);
        assertThat(bad.err()).contains("unknown operator");
    }

    @Test
    void filesAreSentWithMessagesAndDownloadedByTheOtherPerson() throws Exception {
        Person ada = person("fada");
        Person bob = person("fbob");
        Path notes = Files.createTempFile("notes", ".txt");
        byte[] bytes = new byte[3_000_000]; // three chunks
        new java.util.Random(7).nextBytes(bytes);
        Files.write(notes, bytes);

        Result sent = parley(ada.home(), "", "send", "@" + bob.name(), "--file", notes.toString());
        assertThat(sent.out()).matches("Sent \\(#\\d+\\) with 1 file\\.\n");
        String history = parley(bob.home(), "", "history", "@" + ada.name()).out();
        assertThat(history).containsPattern(ada.name() + ":   \\[file " + notes.getFileName() + ", 3000000 bytes, "
                + "id [0-9a-f-]{36}]");
        String id = history.replaceAll("(?s).*id ([0-9a-f-]{36})].*", "$1");
        Path into = Files.createTempDirectory("downloads");

        Result saved = parley(bob.home(), "", "download", id, "-o", into.toString());
        assertThat(saved.code()).as(saved.err()).isZero();
        assertThat(Files.readAllBytes(into.resolve(notes.getFileName().toString()))).isEqualTo(bytes);
        Result missing = parley(bob.home(), "", "send", "@" + ada.name(), "--file", "/no/such/file");
        assertThat(missing.code()).isEqualTo(ExitCodes.INVALID);
        Person eve = person("feve");
        assertThat(parley(eve.home(), "", "download", id).code()).isEqualTo(ExitCodes.NOT_FOUND);
    }

    @Test
    void historyShowsMessageIdsThatRepliesUse() {
        Person ada = person("hada");
        Person bob = person("hbob");
        parley(ada.home(), "", "send", "@" + bob.name(), "the plan");
        String plan = idOf(bob, "@" + ada.name(), "the plan");

        assertThat(parley(bob.home(), "", "send", "@" + ada.name(), "--reply-to", plan, "agreed").code()).isZero();

        String history = parley(ada.home(), "", "history", "@" + bob.name(), "--ids").out();
        assertThat(history).containsPattern(plan + "  #\\d+ .* " + ada.name() + ": the plan  \\[1 replies]")
                .containsPattern("[0-9a-f-]{36}  #\\d+ .*↳ +" + bob.name() + ": agreed");
        assertThat(parley(ada.home(), "", "history", "@" + bob.name()).out()).doesNotContain(plan);
    }

    @Test
    void authorsEditTheirOwnMessagesAndNobodyElses() {
        Person ada = person("eada");
        Person bob = person("ebob");
        parley(ada.home(), "", "send", "@" + bob.name(), "first draft");
        String draft = idOf(ada, "@" + bob.name(), "first draft");

        assertThat(parley(ada.home(), "", "edit", draft, "second", "draft").out()).matches("Edited #\\d+\\.\n");
        assertThat(parley(ada.home(), "", "--json", "edit", draft, "third draft").out())
                .contains("\"id\":\"" + draft + "\"").contains("\"text\":\"third draft\"");
        assertThat(parley(bob.home(), "", "history", "@" + ada.name()).out()).contains("third draft (edited)");

        Result someoneElses = parley(bob.home(), "", "edit", draft, "hijacked");
        assertThat(someoneElses.code()).isEqualTo(ExitCodes.NOT_ALLOWED);
        assertThat(someoneElses.err()).startsWith("parley: ");
        assertThat(parley(ada.home(), "", "edit", UUID.randomUUID().toString(), "x").code())
                .isEqualTo(ExitCodes.NOT_FOUND);
    }

    @Test
    void reactionsAreAddedAndTakenBack() {
        Person ada = person("rada");
        Person bob = person("rbob");
        parley(ada.home(), "", "send", "@" + bob.name(), "lunch?");
        String lunch = idOf(bob, "@" + ada.name(), "lunch?");

        assertThat(parley(bob.home(), "", "react", lunch, "👍").out()).matches("Reacted 👍 to #\\d+\\.\n");
        assertThat(parley(bob.home(), "", "--json", "react", lunch, ":tada:").out())
                .contains("\"emoji\":\":tada:\"").contains("\"reactedByMe\":true");
        assertThat(parley(ada.home(), "", "history", "@" + bob.name()).out()).contains("lunch?  👍1 :tada:1");

        assertThat(parley(bob.home(), "", "react", lunch, "👍", "--remove").out())
                .matches("Took back 👍 from #\\d+\\.\n");
        assertThat(parley(bob.home(), "", "--json", "react", "--remove", lunch, ":tada:").out())
                .startsWith("{\"message\":{").doesNotContain(":tada:");
        assertThat(parley(ada.home(), "", "history", "@" + bob.name()).out()).contains("lunch?\n");
        assertThat(parley(bob.home(), "", "react", UUID.randomUUID().toString(), "👍").code())
                .isEqualTo(ExitCodes.NOT_FOUND);
    }

    @Test
    void authorsDeleteTheirOwnMessagesAndNobodyElses() {
        Person ada = person("dada");
        Person bob = person("dbob");
        parley(ada.home(), "", "send", "@" + bob.name(), "oops");
        parley(bob.home(), "", "send", "@" + ada.name(), "saw that");
        String oops = idOf(ada, "@" + bob.name(), "oops");
        String saw = idOf(bob, "@" + ada.name(), "saw that");

        Result someoneElses = parley(bob.home(), "", "delete", oops);
        assertThat(someoneElses.code()).isEqualTo(ExitCodes.NOT_ALLOWED);
        assertThat(parley(ada.home(), "", "delete", oops).out()).matches("Deleted #\\d+\\.\n");
        assertThat(parley(bob.home(), "", "--json", "delete", saw).out()).contains("\"deleted\":true");
        assertThat(parley(bob.home(), "", "history", "@" + ada.name()).out())
                .contains(ada.name() + ": (deleted)").contains(bob.name() + ": (deleted)");
        assertThat(parley(ada.home(), "", "delete", UUID.randomUUID().toString()).code())
                .isEqualTo(ExitCodes.NOT_FOUND);
    }

    /** Someone signed up, with a config directory of their own. */
    record Person(Path home, String name) {
    }

    private Person person(String prefix) {
        String name = prefix + "_" + RUN;
        Path config = home.resolve(name);
        assertThat(parley(config, "", "signup", name, "--email", name + "@example.com").code()).isZero();
        return new Person(config, name);
    }

    /** The id of the message with this text, as `history --ids` shows it. */
    private static String idOf(Person reader, String conversation, String text) {
        return parley(reader.home(), "", "history", conversation, "--ids").out().lines()
                .filter(line -> line.contains(": " + text)).findFirst().orElseThrow().split(" ")[0];
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
        environment.put("PARLEY_HTTP", server.httpAddress());
        environment.put("PARLEY_CONFIG_DIR", configDir.toString());
        environment.put("PARLEY_PASSWORD", "a long enough passphrase");
        return Parley.run(args, environment, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }
}
