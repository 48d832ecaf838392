package dev.parley.client;

/** How a {@link ParleyClient} signs in: with a password (a new session), or with the tokens of an existing one. */
public sealed interface Credentials {

    /** Logs in with a username or email and a password when the client is built. */
    static Credentials password(String login, String password) {
        return new Password(login, password);
    }

    /** Resumes a session kept from earlier (by the CLI, say); the access token may have expired already. */
    static Credentials tokens(String accessToken, String refreshToken) {
        return new Tokens(accessToken, refreshToken);
    }

    /** A bot's token (from BotService.CreateBot or RotateBotToken): it does not expire, so nothing is renewed. */
    static Credentials bot(String token) {
        return new Bot(token);
    }

    /** No session: only SignUp, LogIn and the other public calls work until {@link ParleyClient#logIn} is called. */
    static Credentials none() {
        return new None();
    }

    /** A login and password. */
    record Password(String login, String password) implements Credentials {
        @Override
        public String toString() {
            return "Password[login=" + login + "]";
        }
    }

    /** An access token and the refresh token that renews it. */
    record Tokens(String accessToken, String refreshToken) implements Credentials {
        @Override
        public String toString() {
            return "Tokens[...]";
        }
    }

    /** A bot token. */
    record Bot(String token) implements Credentials {
        @Override
        public String toString() {
            return "Bot[...]";
        }
    }

    /** Signed out. */
    record None() implements Credentials {
    }
}
