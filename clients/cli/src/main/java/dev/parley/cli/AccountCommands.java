package dev.parley.cli;

import dev.parley.api.v1.GetMeResponse;
import dev.parley.api.v1.SessionTokens;
import dev.parley.api.v1.User;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** signup, login, logout, whoami. */
final class AccountCommands {

    private AccountCommands() {
    }

    @Command(name = "signup", description = "Create an account and log in to it.")
    static final class SignUp implements Runnable {
        @ParentCommand
        Parley parley;
        @Parameters(index = "0", description = "Username: 3 to 32 letters, digits, '_', '.', '-'.")
        String username;
        @Option(names = "--email", required = true, description = "Email address (for password resets).")
        String email;
        @Option(names = "--name", description = "Display name (default: the username).")
        String name;

        @Override
        public void run() {
            var tokens = new AtomicReference<SessionTokens>();
            try (var client = parley.anonymous(tokens)) {
                User user = client.signUp(username, email, name == null ? username : name, password(parley));
                parley.remember(user, tokens.get());
                parley.output().print(user, "Signed up and logged in as " + user.getUsername() + ".");
            }
        }
    }

    @Command(name = "login", description = "Log in; the session is kept in your config directory.")
    static final class LogIn implements Runnable {
        @ParentCommand
        Parley parley;
        @Parameters(index = "0", description = "Username or email.")
        String login;

        @Override
        public void run() {
            var tokens = new AtomicReference<SessionTokens>();
            try (var client = parley.anonymous(tokens)) {
                User user = client.logIn(login, password(parley));
                parley.remember(user, tokens.get());
                parley.output().print(user, "Logged in as " + user.getUsername() + ".");
            }
        }
    }

    @Command(name = "logout", description = "End the session on the server and forget it here.")
    static final class LogOut implements Runnable {
        @ParentCommand
        Parley parley;

        @Override
        public void run() {
            try (var client = parley.client()) {
                client.logOut();
            } finally {
                parley.store.forget();
            }
            parley.output().print(dev.parley.api.v1.LogOutResponse.getDefaultInstance(), "Logged out.");
        }
    }

    @Command(name = "whoami", description = "Show the account logged in.")
    static final class WhoAmI implements Runnable {
        @ParentCommand
        Parley parley;

        @Override
        public void run() {
            try (var client = parley.client()) {
                User me = client.refreshMe();
                parley.output().print(GetMeResponse.newBuilder().setUser(me),
                        me.getUsername() + " (" + me.getDisplayName() + ", " + me.getEmail() + ")");
            }
        }
    }

    /**
     * The password: from $PARLEY_PASSWORD (scripts), else asked without echo on a terminal, else the first line
     * of standard input. Never an argument, which other users could see in the process list.
     */
    static String password(Parley parley) {
        String fromEnvironment = parley.environment.get("PARLEY_PASSWORD");
        if (fromEnvironment != null) {
            return fromEnvironment;
        }
        var console = System.console();
        if (console != null && parley.in == System.in) {
            char[] typed = console.readPassword("Password: ");
            return typed == null ? "" : new String(typed);
        }
        try {
            String line = new BufferedReader(new InputStreamReader(parley.in)).readLine();
            return line == null ? "" : line;
        } catch (java.io.IOException e) {
            throw new CliFailure(ExitCodes.FAILED, "cannot read the password: " + e.getMessage());
        }
    }
}
