package dev.parley.server.support;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * Limits as low as production's or lower, for the tests of limits (AbuseLimitsTest, WriteRateLimitsTest,
 * AccountCapsTest): one
 * profile, so Quarkus restarts once for all of them.
 */
public class LowLimits implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("parley.auth.sign-ups-per-address", "3", "parley.auth.reset-requests-per-address", "2",
                "parley.limits.scale", "1", // the documented write limits, as in production
                "parley.limits.memberships-per-account", "4", "parley.limits.bots-per-owner", "2");
    }
}
