package dev.parley.client;

import dev.parley.api.v1.StreamEventsResponse;
import java.util.Set;

/** What an {@link EventSubscription} reports. Called on gRPC threads, one call at a time per subscription. */
public interface EventListener {

    /** An item of the stream. Conversation events come exactly once each and in sequence order per conversation. */
    void onEvent(StreamEventsResponse item);

    /** The stream is live: what was missed has been replayed. Called after every (re)connection. */
    default void onLive() {
    }

    /** The connection broke; the subscription reconnects by itself and resumes from its positions. */
    default void onDisconnected(ParleyException cause) {
    }

    /**
     * The server no longer keeps events that far back for these conversations: read their history again
     * (ListMessages); the stream continues with them from now.
     */
    default void onExpired(Set<String> conversationIds) {
    }

    /** The subscription has stopped for good: the session ended (logged out, revoked) or it was closed. */
    default void onClosed(ParleyException cause) {
    }
}
