package dev.parley.server.auth;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** A server whose access tokens last two seconds, to watch one expire for real. */
public class ShortLivedTokens implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("parley.auth.access-token-lifetime", "PT2S");
    }
}
