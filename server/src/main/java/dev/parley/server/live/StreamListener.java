package dev.parley.server.live;

import java.util.UUID;

/** Told when a person's streams on this node open and close; presence is built on it. */
public interface StreamListener {

    /** A stream of the user opened; {@code first} when it is their only one on this node. */
    void streamOpened(UUID userId, boolean first);

    /** A stream of the user closed; {@code last} when they have none left on this node. */
    void streamClosed(UUID userId, boolean last);
}
