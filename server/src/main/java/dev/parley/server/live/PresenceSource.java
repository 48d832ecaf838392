package dev.parley.server.live;

import dev.parley.api.v1.Presence;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Where the stream learns people's presence as it is now, answered by the presence feature. */
public interface PresenceSource {

    /** The presence of each of the people, offline ones included. */
    Map<UUID, Presence> presenceOf(Set<UUID> userIds);
}
