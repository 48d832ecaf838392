package dev.parley.server.message;

import dev.parley.api.v1.Conversation;
import dev.parley.api.v1.Message;
import dev.parley.api.v1.SearchOrder;
import dev.parley.api.v1.SearchResult;
import dev.parley.api.v1.SnippetPart;
import dev.parley.server.common.ParleyException;
import dev.parley.server.conversation.Access;
import dev.parley.server.conversation.MemberConversations;
import dev.parley.server.grpc.PageTokens;
import dev.parley.server.search.SearchLanguage;
import dev.parley.server.search.SearchQuery;
import dev.parley.server.search.Snippets;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.hibernate.Session;
import org.postgresql.PGStatement;

/**
 * Finding messages by their words: the conversations the reader is a member of at that moment, how common the
 * query's terms are ({@link TermShares}) and so how to read the messages ({@link SearchPlan}: walking the
 * conversations newest first, or asking an index for the rarest terms), then one query for the page and its
 * snippets, and the page's views. Newest-first pages continue after the last row's
 * (created_at, id); relevance pages, which rank the newest {@value SearchSql#RELEVANCE_CANDIDATES} matches, by
 * offset.
 */
@ApplicationScoped
class Searches {

    /** A page of results, the token for the next ("" on the last page), and the order they are in. */
    record Page(List<SearchResult> results, String nextPageToken, SearchOrder order) {
    }

    /** What a search is, for a page token to be refused when anything but the page has changed. */
    record Asked(String query, String conversationId, String timeZone) {
    }

    private static final String LIST = "search";
    /** Without a word to highlight, a result shows the start of its message. */
    private static final int PLAIN_SNIPPET = 200;

    private final MessageViews views;
    private final EntityManager entities;
    private final SearchLanguage language;

    Searches(MessageViews views, EntityManager entities, SearchLanguage language) {
        this.views = views;
        this.entities = entities;
        this.language = language;
    }

    Page search(UUID readerId, SearchQuery query, UUID conversationId, SearchOrder asked, Asked fingerprint,
            String pageToken, int pageSize) {
        SearchOrder order = asked == SearchOrder.SEARCH_ORDER_RELEVANCE && query.hasText()
                ? SearchOrder.SEARCH_ORDER_RELEVANCE : SearchOrder.SEARCH_ORDER_NEWEST;
        String cursor = PageTokens.decode(LIST, pageToken);
        Cursor from = Cursor.parse(cursor, order, fingerprint);
        return QuarkusTransaction.requiringNew().call(() -> {
            if (conversationId != null) {
                Access.asMember(readerId, conversationId);
            }
            for (UUID named : query.conversationIds()) {
                Access.asMember(readerId, named);
            }
            List<Hit> hits = entities.unwrap(Session.class).doReturningWork(connection ->
                    find(connection, readerId, query, conversationId, order, from, pageSize + 1));
            boolean more = hits.size() > pageSize;
            List<Hit> page = more ? hits.subList(0, pageSize) : hits;
            List<Message> messages = views.of(page.stream().map(Hit::message).toList(), readerId);
            Map<UUID, Conversation> conversations = MemberConversations.of(readerId,
                    page.stream().map(hit -> hit.message().conversationId).distinct().toList());
            List<SearchResult> results = new ArrayList<>();
            for (int i = 0; i < page.size(); i++) {
                results.add(SearchResult.newBuilder().setMessage(messages.get(i))
                        .setConversation(conversations.get(page.get(i).message().conversationId))
                        .addAllSnippet(page.get(i).snippet()).build());
            }
            String next = !more ? ""
                    : PageTokens.encode(LIST, from.next(page.get(page.size() - 1).message(), pageSize, fingerprint));
            return new Page(results, next, order);
        });
    }

    /** One matching message and its snippet. */
    record Hit(ChatMessage message, List<SnippetPart> snippet) {
    }

    private List<Hit> find(Connection connection, UUID readerId, SearchQuery query, UUID conversationId,
            SearchOrder order, Cursor from, int limit) throws SQLException {
        // A walk's fifty scans look costly to the planner, which then compiles the query (JIT) for longer than the
        // query runs: 150-220 ms of compiling for a 20 ms search, in issue 16's benchmark.
        setting(connection, "set local jit = off");
        // Nor should a search start workers: starting them took longer (about 30 ms) than most searches take.
        setting(connection, "set local max_parallel_workers_per_gather = 0");
        Conversations readable = conversations(connection, readerId, query, conversationId);
        if (readable.ids().length == 0) {
            return List.of();
        }
        SearchPlan plan = query.hasText()
                ? SearchPlan.choose(TermShares.of(connection, language.configuration(), query), readable.messages(),
                        readable.ids().length, order == SearchOrder.SEARCH_ORDER_RELEVANCE
                                ? SearchSql.RELEVANCE_CANDIDATES : limit)
                : new SearchPlan(false, false, List.of());
        SearchSql sql = SearchSql.of(readable.ids(), query, plan, order, from, limit, language.configuration());
        if (plan.walk()) {
            // A walk reads the same way whatever the words, so it is planned once per connection and kept, server
            // side from its first use: planning fifty scans took 15-27 ms, running them 2-6. A bitmap would read
            // every message of a conversation before the first; each scan must stop at a page.
            setting(connection, "set local plan_cache_mode = force_generic_plan");
            setting(connection, "set local enable_bitmapscan = off");
        } else {
            // Asking the index, each search is planned with its own words: a plan made for words in general cannot
            // tell a word in every message from a rare one.
            setting(connection, "set local plan_cache_mode = force_custom_plan");
        }
        try (PreparedStatement statement = connection.prepareStatement(sql.text())) {
            if (plan.walk()) {
                statement.unwrap(PGStatement.class).setPrepareThreshold(1);
            }
            sql.bind(statement);
            try (ResultSet rows = statement.executeQuery()) {
                List<Hit> hits = new ArrayList<>();
                while (rows.next()) {
                    ChatMessage message = row(rows);
                    hits.add(new Hit(message, query.hasText() ? Snippets.parts(rows.getString("headline"))
                            : List.of(plain(message.text))));
                }
                return hits;
            }
        } finally {
            setting(connection, "reset plan_cache_mode");
            setting(connection, "reset enable_bitmapscan");
        }
    }

    private static void setting(Connection connection, String sql) throws SQLException {
        try (var statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** The conversations a search reads, and about how many messages they hold (their last sequences'). */
    private record Conversations(UUID[] ids, long messages) {
    }

    private static Conversations conversations(Connection connection, UUID readerId, SearchQuery query,
            UUID conversationId) throws SQLException {
        SearchSql sql = SearchSql.conversations(readerId, query, conversationId);
        try (PreparedStatement statement = connection.prepareStatement(sql.text())) {
            sql.bind(statement);
            try (ResultSet rows = statement.executeQuery()) {
                List<UUID> ids = new ArrayList<>();
                long messages = 0;
                while (rows.next()) {
                    ids.add(rows.getObject(1, UUID.class));
                    messages += rows.getLong(2);
                }
                return new Conversations(ids.toArray(UUID[]::new), messages);
            }
        }
    }

    private static ChatMessage row(ResultSet rows) throws SQLException {
        ChatMessage message = new ChatMessage();
        message.id = rows.getObject("id", UUID.class);
        message.conversationId = rows.getObject("conversation_id", UUID.class);
        message.sequence = rows.getLong("sequence");
        message.authorId = rows.getObject("author_id", UUID.class);
        message.clientMessageId = rows.getString("client_message_id");
        message.text = rows.getString("text");
        message.replyToId = rows.getObject("reply_to_id", UUID.class);
        message.threadRootId = rows.getObject("thread_root_id", UUID.class);
        message.mentions = (UUID[]) rows.getArray("mentions").getArray();
        message.createdAt = rows.getTimestamp("created_at").toInstant();
        Timestamp edited = rows.getTimestamp("edited_at");
        message.editedAt = edited == null ? null : edited.toInstant();
        message.attachmentCount = rows.getShort("attachment_count");
        return message;
    }

    private static SnippetPart plain(String text) {
        String start = text;
        if (text.codePointCount(0, text.length()) > PLAIN_SNIPPET) {
            int cut = text.offsetByCodePoints(0, PLAIN_SNIPPET);
            int space = text.lastIndexOf(' ', cut);
            start = text.substring(0, space > PLAIN_SNIPPET / 2 ? space : cut) + " …";
        }
        return SnippetPart.newBuilder().setText(start).build();
    }

    /**
     * Where a page starts: after a (created_at, id) newest first, or after so many results by relevance. The
     * fingerprint of the search rides along, so a token used with another query is refused, not misread.
     */
    record Cursor(SearchOrder order, Instant createdAt, UUID id, int offset) {

        static Cursor parse(String cursor, SearchOrder order, Asked asked) {
            if (cursor.isEmpty()) {
                return new Cursor(order, null, null, 0);
            }
            String[] parts = cursor.split(";", -1);
            try {
                if (parts.length == 4 && parts[0].equals("n") && order == SearchOrder.SEARCH_ORDER_NEWEST
                        && parts[3].equals(fingerprint(asked))) {
                    return new Cursor(order, Instant.parse(parts[1]), UUID.fromString(parts[2]), 0);
                }
                if (parts.length == 3 && parts[0].equals("r") && order == SearchOrder.SEARCH_ORDER_RELEVANCE
                        && parts[2].equals(fingerprint(asked))) {
                    return new Cursor(order, null, null, Math.max(0, Integer.parseInt(parts[1])));
                }
            } catch (RuntimeException e) {
                // the same answer as a token of another search
            }
            throw ParleyException.invalid("INVALID_PAGE_TOKEN", "page_token",
                    "is not a token this search returned: the query, conversation_id, order and time_zone must stay "
                            + "the same from page to page");
        }

        /** The cursor of the page after one ending with this message. */
        String next(ChatMessage last, int pageSize, Asked asked) {
            return order == SearchOrder.SEARCH_ORDER_RELEVANCE ? "r;" + (offset + pageSize) + ";" + fingerprint(asked)
                    : "n;" + last.createdAt + ";" + last.id + ";" + fingerprint(asked);
        }

        /** Stable across nodes and versions (String and Objects hashes are specified), unlike a record's. */
        private static String fingerprint(Asked asked) {
            return Integer.toHexString(Objects.hash(asked.query(), asked.conversationId(), asked.timeZone()));
        }
    }
}
