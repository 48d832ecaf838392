package dev.parley.server.conversation;

import dev.parley.api.v1.Conversation;
import dev.parley.api.v1.Message;
import dev.parley.server.common.ParleyException;
import dev.parley.server.common.Text;
import io.quarkus.hibernate.orm.panache.Panache;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/** Reading conversations: one, the caller's, public ones, and members. Cursors are opaque to clients. */
@ApplicationScoped
class Listings {

    /** A page of views and the cursor after its last row ("" on the last page). */
    record Page<T>(List<T> items, String next) {
    }

    private final LastMessages lastMessages;

    Listings(LastMessages lastMessages) {
        this.lastMessages = lastMessages;
    }

    Conversation get(UUID callerId, UUID conversationId) {
        return QuarkusTransaction.requiringNew().call(() -> {
            var membership = Membership.of(conversationId, callerId);
            StoredConversation conversation = StoredConversation.findById(conversationId);
            if (membership.isPresent()) {
                return memberView(callerId, conversation, membership.get());
            }
            if (conversation != null && !conversation.isDirect() && conversation.isPublic()) {
                return ConversationViews.of(conversation);
            }
            throw Access.hidden(conversationId);
        });
    }

    /** The conversation as one of its members sees it. Runs in the caller's transaction. */
    Conversation memberView(UUID callerId, StoredConversation conversation, Membership membership) {
        return views(callerId, List.<Object[]>of(new Object[] {conversation, membership})).get(0);
    }

    Page<Conversation> mine(UUID callerId, String after, int pageSize, boolean includeArchived) {
        String[] cursor = after.isEmpty() ? null : after.split(";", 2);
        return QuarkusTransaction.requiringNew().call(() -> {
            List<Object[]> rows = Panache.getEntityManager().createQuery("""
                    select c, m from StoredConversation c, Membership m
                     where m.conversationId = c.id and m.accountId = :me
                       and (:archived = true or c.archivedAt is null)
                       and (:cursor = false or c.lastActivityAt < :at or (c.lastActivityAt = :at and c.id < :id))
                     order by c.lastActivityAt desc, c.id desc""", Object[].class)
                    .setParameter("me", callerId)
                    .setParameter("archived", includeArchived)
                    .setParameter("cursor", cursor != null)
                    .setParameter("at", cursor == null ? Instant.EPOCH : parseInstant(cursor[0]))
                    .setParameter("id", cursor == null ? new UUID(0, 0) : parseId(cursor[1]))
                    .setMaxResults(pageSize + 1)
                    .getResultList();
            boolean more = rows.size() > pageSize;
            List<Object[]> page = more ? rows.subList(0, pageSize) : rows;
            String next = "";
            if (more) {
                StoredConversation last = (StoredConversation) page.get(pageSize - 1)[0];
                next = last.lastActivityAt.toString() + ";" + last.id;
            }
            return new Page<>(views(callerId, page), next);
        });
    }

    Page<Conversation> browse(UUID callerId, String prefix, String after, int pageSize) {
        if (Text.length(prefix) > ConversationRules.MAX_TITLE) {
            throw ParleyException.invalid("INVALID_FIELDS", "prefix", "must be at most 100 characters");
        }
        // Any word of the title: "team" finds "Design team" too.
        String pattern = "% " + Text.likePrefix(prefix.strip().toLowerCase(Locale.ROOT));
        String[] cursor = after.isEmpty() ? new String[] {"", ""} : after.split("\n", 2);
        return QuarkusTransaction.requiringNew().call(() -> {
            List<StoredConversation> found = StoredConversation.<StoredConversation>find("""
                    kind = 'group' and visibility = 'public' and archivedAt is null
                    and concat(' ', lower(title)) like ?1 escape '\\'
                    and (lower(title) > ?2 or (lower(title) = ?2 and cast(id as string) > ?3))
                    order by lower(title), cast(id as string)""", pattern, cursor[0], cursor[1])
                    .range(0, pageSize).list();
            boolean more = found.size() > pageSize;
            found = more ? found.subList(0, pageSize) : found;
            Map<UUID, Membership> mine = new HashMap<>();
            if (!found.isEmpty()) {
                Membership.<Membership>list("accountId = ?1 and conversationId in ?2", callerId,
                        found.stream().map(c -> c.id).toList()).forEach(m -> mine.put(m.conversationId, m));
            }
            List<Conversation> views = found.stream().map(c -> mine.containsKey(c.id)
                    ? ConversationViews.of(c, mine.get(c.id), null, null) : ConversationViews.of(c)).toList();
            String next = !more ? ""
                    : found.get(pageSize - 1).title.toLowerCase(Locale.ROOT) + "\n" + found.get(pageSize - 1).id;
            return new Page<>(views, next);
        });
    }

    Page<Membership> members(UUID callerId, UUID conversationId, String after, int pageSize) {
        String[] cursor = after.isEmpty() ? null : after.split(";", 2);
        return QuarkusTransaction.requiringNew().call(() -> {
            Access.asMember(callerId, conversationId);
            List<Membership> rows = cursor == null
                    ? Membership.<Membership>find("conversationId = ?1 order by joinedAt, accountId", conversationId)
                            .range(0, pageSize).list()
                    : Membership.<Membership>find("""
                            conversationId = ?1 and (joinedAt > ?2 or (joinedAt = ?2 and accountId > ?3))
                            order by joinedAt, accountId""", conversationId, parseInstant(cursor[0]),
                            parseId(cursor[1])).range(0, pageSize).list();
            boolean more = rows.size() > pageSize;
            List<Membership> page = more ? rows.subList(0, pageSize) : rows;
            Membership last = page.isEmpty() ? null : page.get(page.size() - 1);
            return new Page<>(page, more ? last.joinedAt + ";" + last.accountId : "");
        });
    }

    /** Member views with last messages and, for direct conversations, the other person: a few queries per page. */
    private List<Conversation> views(UUID callerId, List<Object[]> rows) {
        List<StoredConversation> conversations = rows.stream().map(row -> (StoredConversation) row[0]).toList();
        Map<UUID, Message> last = conversations.isEmpty() ? Map.of() : lastMessages.of(callerId, conversations);
        Map<UUID, String> others = new HashMap<>();
        List<UUID> direct = conversations.stream().filter(StoredConversation::isDirect).map(c -> c.id).toList();
        if (!direct.isEmpty()) {
            Membership.<Membership>list("conversationId in ?1 and accountId <> ?2", direct, callerId)
                    .forEach(m -> others.put(m.conversationId, m.accountId.toString()));
        }
        return rows.stream().map(row -> {
            StoredConversation c = (StoredConversation) row[0];
            return ConversationViews.of(c, (Membership) row[1], last.get(c.id), others.get(c.id));
        }).toList();
    }

    private static Instant parseInstant(String text) {
        try {
            return Instant.parse(text);
        } catch (RuntimeException e) {
            throw badToken();
        }
    }

    private static UUID parseId(String text) {
        try {
            return UUID.fromString(text);
        } catch (RuntimeException e) {
            throw badToken();
        }
    }

    private static ParleyException badToken() {
        return ParleyException.invalid("INVALID_PAGE_TOKEN", "page_token", "is not a token this list returned");
    }
}
