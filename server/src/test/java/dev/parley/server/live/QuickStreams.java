package dev.parley.server.live;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** Streams with a one-second heartbeat and a small buffer, so heartbeats and slow consumers show quickly. */
public class QuickStreams implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("parley.events.heartbeat-interval", "PT1S", "parley.events.buffer-size", "64");
    }
}
