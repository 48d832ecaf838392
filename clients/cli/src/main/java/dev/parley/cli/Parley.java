package dev.parley.cli;

import dev.parley.api.v1.SessionTokens;
import dev.parley.api.v1.User;
import dev.parley.client.Credentials;
import dev.parley.client.ParleyClient;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code parley} command: the root, its global options, and what every subcommand needs to reach the server.
 * Its help options, version and exit-code footer are inherited, so that {@code --help} works on every subcommand.
 */
@Command(name = "parley", scope = ScopeType.INHERIT, mixinStandardHelpOptions = true, version = "parley 0.1.0",
        description = "Chat on a Parley server from the terminal.",
        subcommands = {AccountCommands.SignUp.class, AccountCommands.LogIn.class, AccountCommands.LogOut.class,
                AccountCommands.WhoAmI.class, UserCommands.class, ConversationCommands.class,
                MessageCommands.Send.class, MessageCommands.Download.class, MessageCommands.History.class, MessageCommands.Read.class,
                MessageCommands.Search.class,
                MessageChanges.Edit.class, MessageChanges.Delete.class, MessageChanges.React.class,
                TailCommand.class},
        footer = {"", "Exit codes: 0 done, 1 failed, 2 bad usage, 3 not logged in, 4 not found,",
                "5 not allowed, 6 invalid input, 7 server unreachable, 8 conflict,", "9 rate limited."})
public final class Parley implements Runnable {

    /** Held so the setting sticks: java.util.logging keeps loggers only weakly. */
    private static final Logger GRPC_LOG = Logger.getLogger("io.grpc");

    @Option(names = "--server", scope = ScopeType.INHERIT, paramLabel = "HOST:PORT",
            description = "Server to talk to (default: $PARLEY_SERVER, else the one logged in to, "
                    + "else localhost:9090).")
    String server;

    @Option(names = "--tls", scope = ScopeType.INHERIT, description = "Use TLS (default: $PARLEY_TLS, else plaintext).")
    boolean tls;

    @Option(names = "--http", scope = ScopeType.INHERIT, paramLabel = "URL",
            description = "The server's HTTP address, for downloads (default: $PARLEY_HTTP, else the server's host "
                    + "on port 8080).")
    String http;

    @Option(names = "--json", scope = ScopeType.INHERIT, description = "Print JSON for scripts instead of text.")
    boolean json;

    final Map<String, String> environment;
    final InputStream in;
    final PrintStream out;
    final CredentialStore store;
    /** The server of the last client made, named when it cannot be reached. */
    private String target;

    Parley(Map<String, String> environment, InputStream in, PrintStream out) {
        this.environment = environment;
        this.in = in;
        this.out = out;
        this.store = CredentialStore.locate(environment);
    }

    public static void main(String[] args) {
        // A command line gains nothing from Netty's off-heap tricks, and newer JDKs warn about them on stderr.
        System.setProperty("io.grpc.netty.shaded.io.netty.noUnsafe", "true");
        // gRPC logs a failed name lookup with its stack trace; the error handler says it in one line instead.
        GRPC_LOG.setLevel(Level.OFF);
        System.exit(run(args, System.getenv(), System.in, System.out, System.err));
    }

    /** Runs one command line; returns its exit code. */
    static int run(String[] args, Map<String, String> environment, InputStream in, PrintStream out, PrintStream err) {
        Parley parley = new Parley(environment, in, out);
        CommandLine command = new CommandLine(parley);
        command.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
        command.setExecutionExceptionHandler((failure, line, parsed) -> {
            err.println("parley: " + Failures.describe(failure, parley.target));
            return ExitCodes.of(failure);
        });
        return command.execute(args);
    }

    @Override
    public void run() {
        new CommandLine(this).usage(out);
    }

    Output output() {
        return new Output(out, json);
    }

    /** A client signed in with the stored session, which it keeps up to date as tokens are renewed. */
    ParleyClient client() {
        var saved = store.load().orElseThrow(() -> new CliFailure(ExitCodes.NOT_LOGGED_IN,
                "not logged in: run `parley login <username>` (or `parley signup`) first"));
        return builder(serverOr(saved.server())).credentials(Credentials.tokens(saved.accessToken(),
                saved.refreshToken())).onTokensChanged(tokens -> store.save(saved.renewed(tokens))).build();
    }

    /** A client without a session, for signing up or in; the tokens it gets go to {@code tokens}. */
    ParleyClient anonymous(AtomicReference<SessionTokens> tokens) {
        return builder(serverOr(null)).onTokensChanged(tokens::set).build();
    }

    /** Keeps the session of a sign-up or log-in for the next commands. */
    void remember(User user, SessionTokens tokens) {
        store.save(new CredentialStore.Saved(serverOr(null), user.getId(), user.getUsername(), tokens.getAccessToken(),
                tokens.getRefreshToken()));
    }

    private ParleyClient.Builder builder(String target) {
        this.target = target;
        var builder = ParleyClient.builder(target).deviceName("parley CLI");
        String address = http != null ? http : environment.get("PARLEY_HTTP");
        if (address != null) {
            builder.httpAddress(java.net.URI.create(address.endsWith("/") ? address : address + "/"));
        }
        boolean secure = tls || "true".equalsIgnoreCase(environment.getOrDefault("PARLEY_TLS", ""));
        return secure ? builder : builder.plaintext();
    }

    private String serverOr(String saved) {
        if (server != null) {
            return server;
        }
        return environment.getOrDefault("PARLEY_SERVER", saved != null ? saved : "localhost:9090");
    }
}
