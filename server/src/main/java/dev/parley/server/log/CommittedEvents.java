package dev.parley.server.log;

import dev.parley.api.v1.ConversationEvent;

/**
 * Where the log hands each event once its transaction has committed. The log knows nothing of who listens: the live
 * feature implements this to carry events to every node's streams.
 */
public interface CommittedEvents {

    /** An event that has committed; called in commit order for the events of one transaction. */
    void committed(ConversationEvent event);
}
