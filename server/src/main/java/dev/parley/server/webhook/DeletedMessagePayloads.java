package dev.parley.server.webhook;

import dev.parley.server.message.DeletedInTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Clock;
import java.util.UUID;

/**
 * A deleted message's webhook deliveries lose its text in the deleting transaction: their payload becomes a stub
 * naming the message as deleted, and those not yet delivered are given up (a receiver must not learn the text of a
 * message deleted before it was told of it).
 */
@ApplicationScoped
class DeletedMessagePayloads implements DeletedInTransaction {

    private final EntityManager entities;
    private final Clock clock;

    DeletedMessagePayloads(EntityManager entities, Clock clock) {
        this.entities = entities;
        this.clock = clock;
    }

    @Override
    public void deleted(UUID messageId) {
        entities.createNativeQuery("""
                update webhook_deliveries
                set payload = cast(json_build_object('type', 'deleted', 'message_id', cast(?1 as text)) as text),
                    dead_at = case when delivered_at is null then coalesce(dead_at, ?2) else dead_at end,
                    last_error = case when delivered_at is null then 'the message was deleted' else last_error end
                where message_id = ?1""").setParameter(1, messageId).setParameter(2, clock.instant())
                .executeUpdate();
    }
}
