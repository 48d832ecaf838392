package dev.parley.server.message;

import dev.parley.api.v1.ReadPositionChanged;
import dev.parley.server.common.ParleyException;
import dev.parley.server.conversation.Access;
import dev.parley.server.live.EventFanout;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.util.UUID;

/**
 * Read positions: one per member, shared by all their devices, only ever moving forward. Personal, so allowed in
 * archived conversations too, and not part of the conversation's log.
 */
@ApplicationScoped
class ReadMarkers {

    /** The reader's position after marking, and what is still unread. */
    record Position(long readSequence, long unread) {
    }

    private final EntityManager entities;
    private final EventFanout fanout;

    ReadMarkers(EntityManager entities, EventFanout fanout) {
        this.entities = entities;
        this.fanout = fanout;
    }

    Position markRead(UUID readerId, UUID conversationId, long upTo) {
        if (upTo < 0) {
            throw ParleyException.invalid("INVALID_FIELDS", "up_to_sequence", "must not be negative");
        }
        Position position = QuarkusTransaction.requiringNew().call(() -> {
            Access.asMember(readerId, conversationId);
            Object[] row = (Object[]) entities.createNativeQuery("""
                    update memberships m
                       set read_sequence = greatest(m.read_sequence, least(?3, c.last_sequence)),
                           unread_mentions = """ + UnreadMentions.AFTER_POSITION
                            .formatted("greatest(m.read_sequence, least(?3, c.last_sequence))") + """

                      from conversations c
                     where c.id = m.conversation_id and m.conversation_id = ?1 and m.account_id = ?2
                    returning m.read_sequence, c.last_message_sequence""")
                    .setParameter(1, conversationId).setParameter(2, readerId).setParameter(3, upTo)
                    .getSingleResult();
            long read = ((Number) row[0]).longValue();
            return new Position(read, Math.max(0, ((Number) row[1]).longValue() - read));
        });
        // Committed: the reader's other devices (and this one) learn it on their streams.
        fanout.publishReadPosition(readerId, ReadPositionChanged.newBuilder().setConversationId(conversationId.toString())
                .setReadSequence(position.readSequence()).setUnreadCount(position.unread()).build());
        return position;
    }
}
