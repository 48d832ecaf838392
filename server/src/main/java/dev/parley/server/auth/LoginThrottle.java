package dev.parley.server.auth;

import dev.parley.server.cluster.WindowCounter;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Locale;

/**
 * Limits password guessing: attempts are counted per account (by the login as typed, so unknown logins are
 * throttled the same and reveal nothing) and per client address, each counted before its password is hashed and
 * taken back once it proves right, so what stays counted is the failures. Counting first is what makes a burst of
 * concurrent guesses meet the limit: at most the limit's worth are hashed, the rest are refused at once, until the
 * window ends, whether or not the password would be right.
 */
@ApplicationScoped
class LoginThrottle {

    private final WindowCounter counter;
    private final AuthConfig config;

    LoginThrottle(WindowCounter counter, AuthConfig config) {
        this.counter = counter;
        this.config = config;
    }

    /**
     * Counts an attempt of this login from this address, before its password is checked; RESOURCE_EXHAUSTED with
     * the wait in RetryInfo (and nothing counted) if either has failed too often. A right password is then
     * {@link #succeeded}.
     */
    void attempt(String login, String address) {
        Duration wait = Duration.ZERO;
        String[] keys = keys(login, address);
        for (String key : keys) {
            WindowCounter.Count count = counter.hit(key, config.loginWindow());
            if (count.value() > config.loginAttempts() && count.remaining().compareTo(wait) > 0) {
                wait = count.remaining();
            }
        }
        if (!wait.isZero()) {
            for (String key : keys) {
                counter.undo(key); // refused attempts are not failures: the window ends when it would have
            }
            throw AddressLimits.refused("LOGIN_THROTTLED", "Too many failed log-in attempts", wait);
        }
    }

    /** The attempt's password was right: it no longer counts. */
    void succeeded(String login, String address) {
        for (String key : keys(login, address)) {
            counter.undo(key);
        }
    }

    private static String[] keys(String login, String address) {
        return new String[] {"login:account:" + login.trim().toLowerCase(Locale.ROOT), "login:address:" + address};
    }
}
