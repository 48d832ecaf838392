package dev.parley.server.live;

import java.util.UUID;

/**
 * The two things an {@link EventStream} tells whoever registered it, and all it knows of them: it stopped following
 * a conversation (its person left it), or it ended. The stream holds no reference to the hub, its feeds or other
 * streams, so it can be tested alone and cannot call back into the delivery path it is written from.
 */
interface StreamExits {

    /** The stream no longer follows the conversation: its person left or was removed. */
    void unfollowed(EventStream stream, UUID conversationId);

    /** The stream ended (failed, cancelled, or the server is stopping): what it held can go. Called once. */
    void ended(EventStream stream);
}
