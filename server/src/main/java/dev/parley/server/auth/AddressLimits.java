package dev.parley.server.auth;

import dev.parley.server.cluster.WindowCounter;
import dev.parley.server.common.ParleyException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * Rates of the calls anyone can make without an account that cost the server a password hash or a mail: SignUp and
 * RequestPasswordReset, counted per client address in fixed windows (on every node alike when clustered), before
 * any work is done. Past the limit they are answered RESOURCE_EXHAUSTED with the wait in RetryInfo.
 */
@ApplicationScoped
class AddressLimits {

    private final WindowCounter counter;
    private final AuthConfig config;

    AddressLimits(WindowCounter counter, AuthConfig config) {
        this.counter = counter;
        this.config = config;
    }

    void signUp(String address) {
        count("signup:address:" + address, config.signUpsPerAddress(), "SIGN_UP_THROTTLED",
                "Too many accounts created from this address");
    }

    void resetRequest(String address) {
        count("reset:address:" + address, config.resetRequestsPerAddress(), "RESET_THROTTLED",
                "Too many password resets asked for from this address");
    }

    private void count(String key, int limit, String reason, String what) {
        WindowCounter.Count count = counter.hit(key, config.addressWindow());
        if (count.value() > limit) {
            throw refused(reason, what, count.remaining());
        }
    }

    /** RESOURCE_EXHAUSTED saying, and with RetryInfo holding, the wait rounded up to whole seconds (at least one). */
    static ParleyException refused(String reason, String what, Duration remaining) {
        Duration wait = Duration.ofSeconds(Math.max(1, (remaining.toMillis() + 999) / 1000));
        return ParleyException.throttled(reason, what + ", retry in " + wait.toSeconds() + " s", wait);
    }
}
