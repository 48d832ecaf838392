package dev.parley.server.live;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Positions an account keeps on the server (EventService.AcknowledgeEvents): how far it has handled each
 * conversation, so a bot that was offline resumes exactly after what it handled, from any process. A position
 * only moves forward, so acknowledgements arriving out of order cannot move it back.
 */
@ApplicationScoped
class Acknowledgements {

    private final EntityManager entities;

    Acknowledgements(EntityManager entities) {
        this.entities = entities;
    }

    Map<UUID, Long> of(UUID accountId) {
        return QuarkusTransaction.requiringNew().call(() -> {
            @SuppressWarnings("unchecked")
            List<Object[]> rows = entities.createNativeQuery(
                    "select conversation_id, sequence from acknowledged_positions where account_id = ?1")
                    .setParameter(1, accountId).getResultList();
            Map<UUID, Long> positions = new HashMap<>();
            rows.forEach(row -> positions.put((UUID) row[0], ((Number) row[1]).longValue()));
            return positions;
        });
    }

    /** Moves the positions forward where they are behind; returns them as they now are. */
    Map<UUID, Long> record(UUID accountId, Map<UUID, Long> positions) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Map<UUID, Long> now = new HashMap<>();
            positions.forEach((conversationId, sequence) -> now.put(conversationId, ((Number) entities
                    .createNativeQuery("insert into acknowledged_positions (account_id, conversation_id, sequence) "
                            + "values (?1, ?2, ?3) on conflict (account_id, conversation_id) do update "
                            + "set sequence = greatest(acknowledged_positions.sequence, excluded.sequence) "
                            + "returning sequence")
                    .setParameter(1, accountId).setParameter(2, conversationId).setParameter(3, sequence)
                    .getSingleResult()).longValue()));
            return now;
        });
    }
}
