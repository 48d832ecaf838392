package dev.parley.server.log;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.parley.api.v1.ConversationEvent;
import dev.parley.api.v1.Message;
import dev.parley.server.common.ErrorKind;
import dev.parley.server.common.ParleyException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * Each conversation's log: every change, numbered 1, 2, 3... in the transaction of the change itself.
 *
 * <p>A number is claimed by incrementing the conversation row's counter ({@code update ... returning}), which takes
 * that row's lock until commit. Writers to one conversation therefore take turns, and a transaction that rolls back
 * gives its number back with everything else: no gap, no repeat, without a counter service. Writes claim first and
 * check access after, so that their checks read what the previous writer committed.
 */
@ApplicationScoped
public class EventLog {

    private final EntityManager entities;
    private final Clock clock;
    private final Publications publications;

    EventLog(EntityManager entities, Clock clock, Publications publications) {
        this.entities = entities;
        this.clock = clock;
        this.publications = publications;
    }

    /**
     * Claims the conversation's next sequence number and locks it for this transaction; NOT_FOUND when there is no
     * such conversation. A message's number also becomes the conversation's newest message.
     */
    public long claim(UUID conversationId, boolean forMessage) {
        @SuppressWarnings("unchecked")
        List<Number> next = entities.createNativeQuery("""
                update conversations
                   set last_sequence = last_sequence + 1,
                       last_message_sequence = case when ?2 then last_sequence + 1 else last_message_sequence end,
                       last_activity_at = ?3
                 where id = ?1
                returning last_sequence""")
                .setParameter(1, conversationId)
                .setParameter(2, forMessage)
                .setParameter(3, clock.instant())
                .getResultList();
        if (next.isEmpty()) {
            throw ParleyException.notFound("Conversation " + conversationId);
        }
        return next.get(0).longValue();
    }

    /**
     * Takes the conversation's lock for this transaction without claiming a number, for changes that may turn out to
     * change nothing (and so must not use one up); NOT_FOUND when there is no such conversation.
     */
    public void lock(UUID conversationId) {
        if (entities.createNativeQuery("select id from conversations where id = ?1 for update")
                .setParameter(1, conversationId).getResultList().isEmpty()) {
            throw ParleyException.notFound("Conversation " + conversationId);
        }
    }

    /** Writes the event with a number claimed in this transaction. */
    public ConversationEvent record(UUID conversationId, long sequence, UUID actorId, UUID messageId,
            UnaryOperator<ConversationEvent.Builder> change) {
        Instant now = clock.instant();
        ConversationEvent event = change.apply(BatchAppends.event(conversationId, sequence, actorId, now)).build();
        entities.createNativeQuery("""
                insert into conversation_events (conversation_id, sequence, message_id, created_at, payload)
                values (?1, ?2, ?3, ?4, ?5)""")
                .setParameter(1, conversationId)
                .setParameter(2, sequence)
                .setParameter(3, messageId)
                .setParameter(4, now)
                .setParameter(5, event.toByteArray())
                .executeUpdate();
        publications.afterCommit(event);
        return event;
    }

    /** Claims a number and writes the event in one go, for changes that are not new messages. */
    public ConversationEvent append(UUID conversationId, UUID actorId, UUID messageId,
            UnaryOperator<ConversationEvent.Builder> change) {
        return record(conversationId, claim(conversationId, false), actorId, messageId, change);
    }

    /**
     * Replaces every copy of a message in the log by its latest version (the edited message, or its tombstone), so
     * that editing or deleting a message removes the earlier text from replays too, not only from history.
     */
    public void scrub(UUID messageId, Message tombstone) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = entities.createNativeQuery("""
                select conversation_id, sequence, payload from conversation_events where message_id = ?1""")
                .setParameter(1, messageId)
                .getResultList();
        for (Object[] row : rows) {
            ConversationEvent event = parse((byte[]) row[2]);
            ConversationEvent scrubbed = switch (event.getChangeCase()) {
                case MESSAGE_SENT -> event.toBuilder().setMessageSent(tombstone.toBuilder()
                        .setSequence(event.getMessageSent().getSequence())).build();
                case MESSAGE_EDITED -> event.toBuilder().setMessageEdited(tombstone).build();
                default -> event;
            };
            if (scrubbed != event) {
                entities.createNativeQuery("""
                        update conversation_events set payload = ?3 where conversation_id = ?1 and sequence = ?2""")
                        .setParameter(1, row[0]).setParameter(2, row[1]).setParameter(3, scrubbed.toByteArray())
                        .executeUpdate();
            }
        }
    }

    /** The conversation's newest sequence number, or -1 when there is no such conversation. */
    public long head(UUID conversationId) {
        @SuppressWarnings("unchecked")
        List<Number> head = entities.createNativeQuery("select last_sequence from conversations where id = ?1")
                .setParameter(1, conversationId).getResultList();
        return head.isEmpty() ? -1 : head.get(0).longValue();
    }

    /** The newest sequence number of each of these conversations that exists. */
    public Map<UUID, Long> heads(Collection<UUID> conversationIds) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = entities.createNativeQuery(
                "select id, last_sequence from conversations where id = any(?1)")
                .setParameter(1, conversationIds.toArray(UUID[]::new)).getResultList();
        Map<UUID, Long> heads = new HashMap<>();
        rows.forEach(row -> heads.put((UUID) row[0], ((Number) row[1]).longValue()));
        return heads;
    }

    /** The events of a conversation after a sequence number, in order, at most {@code limit}. */
    public List<ConversationEvent> after(UUID conversationId, long sequence, int limit) {
        @SuppressWarnings("unchecked")
        List<byte[]> payloads = entities.createNativeQuery("""
                select payload from conversation_events
                 where conversation_id = ?1 and sequence > ?2 order by sequence limit ?3""")
                .setParameter(1, conversationId).setParameter(2, sequence).setParameter(3, limit)
                .getResultList();
        return payloads.stream().map(EventLog::parse).toList();
    }

    /**
     * The events after a sequence number, for a client that resumes from it: as {@link #after}, but refused with
     * EVENTS_EXPIRED when the retention has purged any event after that number, so that a replay never skips one
     * silently. One statement, so the events and the purge mark are read from one snapshot.
     */
    public List<ConversationEvent> replayAfter(UUID conversationId, long sequence, int limit) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = entities.createNativeQuery("""
                select sequence, payload from (
                    (select sequence, payload from conversation_events
                      where conversation_id = ?1 and sequence > ?2 order by sequence limit ?3)
                    union all
                    (select -1, null from conversation_purges where conversation_id = ?1 and purged_through > ?2)
                ) replay order by sequence""")
                .setParameter(1, conversationId).setParameter(2, sequence).setParameter(3, limit)
                .getResultList();
        if (!rows.isEmpty() && ((Number) rows.get(0)[0]).longValue() < 0) {
            throw expired(List.of(conversationId));
        }
        return rows.stream().map(row -> parse((byte[]) row[1])).toList();
    }

    /** How far the retention has purged each of these conversations' logs; absent where it has purged nothing. */
    public Map<UUID, Long> purgedThrough(Collection<UUID> conversationIds) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = entities.createNativeQuery(
                "select conversation_id, purged_through from conversation_purges where conversation_id = any(?1)")
                .setParameter(1, conversationIds.toArray(UUID[]::new)).getResultList();
        Map<UUID, Long> purged = new HashMap<>();
        rows.forEach(row -> purged.put((UUID) row[0], ((Number) row[1]).longValue()));
        return purged;
    }

    /** The refusal of a resume from positions the log no longer holds the events after. */
    public static ParleyException expired(Collection<UUID> conversationIds) {
        return ParleyException.of(ErrorKind.FAILED_PRECONDITION, "EVENTS_EXPIRED", "Some positions are older than "
                + "the server replays, reload those conversations and stream without their positions")
                .with("conversations", conversationIds.stream().map(UUID::toString).collect(Collectors.joining(",")));
    }

    private static ConversationEvent parse(byte[] payload) {
        try {
            return ConversationEvent.parseFrom(payload);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("unreadable event in the log", e);
        }
    }
}
