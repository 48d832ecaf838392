package dev.parley.server.live;

import dev.parley.api.v1.ConversationEvent;
import dev.parley.api.v1.Presence;
import dev.parley.api.v1.ReadPositionChanged;
import dev.parley.api.v1.Typing;
import java.util.UUID;

/** What {@link EventFanout} hands on from the bus, decoded once per node: implemented by the {@link StreamHub}. */
interface Notices {

    /** A committed event of a conversation this node follows. */
    void onLogEvent(ConversationEvent event);

    /** Someone typing in a conversation this node follows. */
    void onTyping(Typing typing);

    /** A member of a conversation this node follows changed presence. */
    void onPresence(Presence presence, UUID conversationId);

    /** A person streaming here moved their read position. */
    void onReadPosition(UUID userId, ReadPositionChanged position);

    /** A person streaming here joined a conversation (their member_joined event, whatever this node follows). */
    void onJoined(ConversationEvent event);
}
