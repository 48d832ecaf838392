package dev.parley.server.live;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** Opening a stream pauses between listening and reading PostgreSQL, and replays at most 20 events. */
public class SlowSwitch implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("parley.events.backfill-delay", "PT1.5S", "parley.events.replay-limit", "20");
    }
}
