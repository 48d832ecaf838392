package dev.parley.server.log;

import dev.parley.api.v1.ConversationEvent;
import dev.parley.server.common.AfterCommit;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.util.ArrayList;
import java.util.List;

/**
 * Publishes log events once their transaction has committed, never before: a listener must never see an event
 * that could still roll back. Events of one transaction go out together, in the order they were written.
 */
@ApplicationScoped
class Publications {

    private static final Object KEY = new Object();
    private final TransactionSynchronizationRegistry transactions;
    private final CommittedEvents committed;

    Publications(TransactionSynchronizationRegistry transactions, CommittedEvents committed) {
        this.transactions = transactions;
        this.committed = committed;
    }

    void afterCommit(ConversationEvent event) {
        @SuppressWarnings("unchecked")
        List<ConversationEvent> pending = (List<ConversationEvent>) transactions.getResource(KEY);
        if (pending == null) {
            List<ConversationEvent> events = new ArrayList<>();
            transactions.putResource(KEY, events);
            AfterCommit.run(transactions, () -> events.forEach(committed::committed));
            pending = events;
        }
        pending.add(event);
    }
}
