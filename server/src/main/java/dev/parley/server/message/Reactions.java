package dev.parley.server.message;

import dev.parley.api.v1.Message;
import dev.parley.api.v1.ReactionChanged;
import dev.parley.server.common.ErrorKind;
import dev.parley.server.common.ParleyException;
import dev.parley.server.common.Violations;
import dev.parley.server.log.EventLog;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.UUID;

/** Reactions: one per person per emoji per message, at most 20 emoji per person per message. */
@ApplicationScoped
class Reactions {

    private final Messages messages;
    private final MessageViews views;
    private final EventLog log;
    private final Clock clock;

    Reactions(Messages messages, MessageViews views, EventLog log, Clock clock) {
        this.messages = messages;
        this.views = views;
        this.log = log;
        this.clock = clock;
    }

    /** True when the emoji is not on the message yet and the message already carries as many as it may. */
    private static boolean oneEmojiTooMany(UUID messageId, String emoji) {
        Object[] row = (Object[]) Reaction.getEntityManager().createNativeQuery("""
                select count(distinct emoji), coalesce(bool_or(emoji = ?2), false) from reactions
                where message_id = ?1""").setParameter(1, messageId).setParameter(2, emoji).getSingleResult();
        return !(Boolean) row[1] && ((Number) row[0]).longValue() >= MessageRules.MAX_EMOJI_PER_MESSAGE;
    }

    Message add(UUID callerId, UUID messageId, String emoji) {
        validate(emoji);
        return QuarkusTransaction.requiringNew().call(() -> {
            ChatMessage message = open(callerId, messageId);
            if (Reaction.findById(new Reaction.Key(messageId, callerId, emoji)) == null) {
                if (Reaction.count("messageId = ?1 and accountId = ?2", messageId, callerId)
                        >= MessageRules.MAX_REACTIONS_PER_PERSON) {
                    throw ParleyException.invalid("REACTION_LIMIT", "emoji", "is one more than the "
                            + MessageRules.MAX_REACTIONS_PER_PERSON + " reactions a person may leave on a message");
                }
                if (oneEmojiTooMany(messageId, emoji)) {
                    throw ParleyException.invalid("REACTION_LIMIT", "emoji", "is one more than the "
                            + MessageRules.MAX_EMOJI_PER_MESSAGE + " different emoji a message may carry");
                }
                Reaction reaction = new Reaction();
                reaction.messageId = messageId;
                reaction.accountId = callerId;
                reaction.emoji = emoji;
                reaction.createdAt = clock.instant();
                reaction.persist();
                log.append(message.conversationId, callerId, messageId, event -> event.setReactionAdded(
                        change(messageId, callerId, emoji)));
            }
            return views.of(message, callerId);
        });
    }

    Message remove(UUID callerId, UUID messageId, String emoji) {
        validate(emoji);
        return QuarkusTransaction.requiringNew().call(() -> {
            ChatMessage message = open(callerId, messageId);
            if (Reaction.deleteById(new Reaction.Key(messageId, callerId, emoji))) {
                log.append(message.conversationId, callerId, messageId, event -> event.setReactionRemoved(
                        change(messageId, callerId, emoji)));
            }
            return views.of(message, callerId);
        });
    }

    private ChatMessage open(UUID callerId, UUID messageId) {
        Messages.Target target = messages.locked(callerId, messageId);
        target.access().writable();
        if (target.message().deleted()) {
            throw ParleyException.of(ErrorKind.FAILED_PRECONDITION, "MESSAGE_DELETED",
                    "A deleted message takes no reactions");
        }
        return target.message();
    }

    private static void validate(String emoji) {
        Violations violations = new Violations();
        MessageRules.emoji(violations, emoji);
        violations.throwIfAny();
    }

    private static ReactionChanged change(UUID messageId, UUID userId, String emoji) {
        return ReactionChanged.newBuilder().setMessageId(messageId.toString()).setUserId(userId.toString())
                .setEmoji(emoji).build();
    }
}
