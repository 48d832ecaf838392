package dev.parley.server.message;

import dev.parley.api.v1.Attachment;
import dev.parley.api.v1.Mention;
import dev.parley.api.v1.Message;
import dev.parley.api.v1.ReactionSummary;
import dev.parley.server.attachment.MessageAttachments;
import dev.parley.server.grpc.ProtoTime;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hibernate.Session;

/**
 * Messages as a reader sees them: with mentions named, reactions summed up (and whether the reader is among them)
 * and reply counts. A page costs three queries whatever its size.
 */
@ApplicationScoped
class MessageViews {

    private final EntityManager entities;

    MessageViews(EntityManager entities) {
        this.entities = entities;
    }

    Message of(ChatMessage message, UUID readerId) {
        return of(List.of(message), readerId).get(0);
    }

    List<Message> of(List<ChatMessage> messages, UUID readerId) {
        if (messages.isEmpty()) {
            return List.of();
        }
        List<UUID> ids = messages.stream().map(m -> m.id).toList();
        Map<UUID, List<ReactionSummary>> reactions = reactions(ids, readerId);
        Map<UUID, Integer> replies = replyCounts(ids);
        Map<UUID, String> usernames = usernames(messages.stream().flatMap(m -> Arrays.stream(m.mentions)).toList());
        Map<UUID, List<Attachment>> attachments = attachments(messages);
        return messages.stream().map(m -> view(m, reactions.getOrDefault(m.id, List.of()),
                replies.getOrDefault(m.id, 0), usernames, attachments.getOrDefault(m.id, List.of()))).toList();
    }

    /** A message just sent, as the log records it and every member receives it: no reactions, no replies yet. */
    static Message bare(NewMessage sent, Map<UUID, String> usernames, List<Attachment> attachments) {
        ChatMessage message = new ChatMessage();
        message.id = sent.id();
        message.conversationId = sent.request().conversationId();
        message.sequence = sent.sequence();
        message.authorId = sent.request().authorId();
        message.clientMessageId = sent.request().clientMessageId();
        message.text = sent.request().text();
        message.replyToId = sent.request().replyToId();
        message.threadRootId = sent.threadRootId();
        message.mentions = sent.mentions();
        message.createdAt = sent.createdAt();
        return view(message, List.of(), 0, usernames, attachments);
    }

    private static Message view(ChatMessage m, List<ReactionSummary> reactions, int replyCount,
            Map<UUID, String> usernames, List<Attachment> attachments) {
        var view = Message.newBuilder()
                .setId(m.id.toString())
                .setConversationId(m.conversationId.toString())
                .setSequence(m.sequence)
                .setAuthorId(m.authorId.toString())
                .setClientMessageId(m.clientMessageId)
                .setCreateTime(ProtoTime.of(m.createdAt))
                .setDeleted(m.deleted())
                .setReplyCount(replyCount);
        ProtoTime.ifPresent(m.editedAt, view::setEditTime);
        ProtoTime.ifPresent(m.deletedAt, view::setDeleteTime);
        if (m.replyToId != null) {
            view.setReplyToMessageId(m.replyToId.toString()).setThreadRootId(m.threadRootId.toString());
        }
        if (!m.deleted()) {
            view.setText(m.text).addAllReactions(reactions).addAllAttachments(attachments);
            for (UUID mentioned : m.mentions) {
                view.addMentions(Mention.newBuilder().setUserId(mentioned.toString())
                        .setUsername(usernames.getOrDefault(mentioned, "")));
            }
        }
        return view.build();
    }

    Map<UUID, String> usernames(Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = entities.createNativeQuery("select id, username from accounts where id = any(?1)")
                .setParameter(1, ids.toArray(UUID[]::new)).getResultList();
        Map<UUID, String> names = new HashMap<>();
        rows.forEach(row -> names.put((UUID) row[0], (String) row[1]));
        return names;
    }

    /** The files of the messages that have any: no query at all for a page without them. */
    private Map<UUID, List<Attachment>> attachments(List<ChatMessage> messages) {
        List<UUID> ids = messages.stream().filter(m -> m.attachmentCount > 0 && !m.deleted()).map(m -> m.id).toList();
        if (ids.isEmpty()) {
            return Map.of();
        }
        return entities.unwrap(Session.class).doReturningWork(connection -> MessageAttachments.of(connection, ids));
    }

    private Map<UUID, List<ReactionSummary>> reactions(List<UUID> messageIds, UUID readerId) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = entities.createNativeQuery("""
                select message_id, emoji, count(*), bool_or(account_id = ?2) from reactions
                 where message_id = any(?1) group by message_id, emoji order by min(created_at), emoji""")
                .setParameter(1, messageIds.toArray(UUID[]::new)).setParameter(2, readerId).getResultList();
        Map<UUID, List<ReactionSummary>> summaries = new LinkedHashMap<>();
        for (Object[] row : rows) {
            summaries.computeIfAbsent((UUID) row[0], id -> new ArrayList<>()).add(ReactionSummary.newBuilder()
                    .setEmoji((String) row[1]).setCount(((Number) row[2]).intValue())
                    .setReactedByMe((Boolean) row[3]).build());
        }
        return summaries;
    }

    private Map<UUID, Integer> replyCounts(List<UUID> messageIds) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = entities.createNativeQuery("""
                select thread_root_id, count(*) from messages where thread_root_id = any(?1) group by thread_root_id""")
                .setParameter(1, messageIds.toArray(UUID[]::new)).getResultList();
        Map<UUID, Integer> counts = new HashMap<>();
        rows.forEach(row -> counts.put((UUID) row[0], ((Number) row[1]).intValue()));
        return counts;
    }
}
