package dev.parley.server.auth;

import dev.parley.server.cluster.WindowCounter;
import dev.parley.server.common.ParleyException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Locale;

/**
 * Limits password guessing: failed attempts are counted per account (by the login as typed, so unknown logins are
 * throttled the same and reveal nothing) and per client address. Once either count reaches the limit, further
 * attempts are refused until its window ends, whether or not the password would be right.
 */
@ApplicationScoped
class LoginThrottle {

    private final WindowCounter counter;
    private final AuthConfig config;

    LoginThrottle(WindowCounter counter, AuthConfig config) {
        this.counter = counter;
        this.config = config;
    }

    /** RESOURCE_EXHAUSTED with the wait in RetryInfo if this login or address has failed too often. */
    void checkAllowed(String login, String address) {
        Duration wait = Duration.ZERO;
        for (String key : keys(login, address)) {
            WindowCounter.Count count = counter.peek(key);
            if (count.value() >= config.loginAttempts() && count.remaining().compareTo(wait) > 0) {
                wait = count.remaining();
            }
        }
        if (!wait.isZero()) {
            Duration rounded = Duration.ofSeconds(Math.max(1, (wait.toMillis() + 999) / 1000));
            throw ParleyException.throttled("LOGIN_THROTTLED", "Too many failed log-in attempts, retry in "
                    + rounded.toSeconds() + " s", rounded);
        }
    }

    void recordFailure(String login, String address) {
        for (String key : keys(login, address)) {
            counter.hit(key, config.loginWindow());
        }
    }

    private static String[] keys(String login, String address) {
        return new String[] {"login:account:" + login.trim().toLowerCase(Locale.ROOT), "login:address:" + address};
    }
}
