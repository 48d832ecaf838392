package dev.parley.server.message;

import dev.parley.api.v1.SearchOrder;
import dev.parley.server.search.SearchQuery;
import dev.parley.server.search.Snippets;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The SQL of one search and its parameters, built from the parts the query has: every value is a parameter, the
 * text-search configuration included, so nothing a person types is ever SQL. The page is chosen first and the
 * snippets (ts_headline, the costly part) are cut for its rows only.
 */
record SearchSql(String text, List<Object> parameters) {

    private static final String COLUMNS = "m.id, m.conversation_id, m.sequence, m.author_id, m.client_message_id, "
            + "m.text, m.reply_to_id, m.thread_root_id, m.mentions, m.created_at, m.edited_at";
    private static final String TSQUERY = "to_tsquery(?::regconfig, ?)";

    static SearchSql of(UUID readerId, SearchQuery query, UUID conversationId, SearchOrder order,
            Searches.Cursor from, int limit, String configuration) {
        List<Object> parameters = new ArrayList<>();
        StringBuilder where = new StringBuilder();
        // Members now: a person removed from a conversation finds nothing more from it.
        where.append("m.conversation_id in (select s.conversation_id from memberships s where s.account_id = ?");
        parameters.add(readerId);
        if (conversationId != null) {
            where.append(" and s.conversation_id = ?");
            parameters.add(conversationId);
        }
        if (query.namesConversations()) {
            where.append(" and (s.conversation_id = any(?::uuid[])");
            parameters.add(query.conversationIds().toArray(UUID[]::new));
            where.append("""
                     or s.conversation_id in (select o.conversation_id from memberships o
                        join accounts a on a.id = o.account_id join conversations c on c.id = o.conversation_id
                       where c.kind = 'direct' and o.account_id <> ? and a.username = any(?::text[]))""");
            parameters.add(readerId);
            parameters.add(query.directWith().toArray(String[]::new));
            where.append(" or s.conversation_id in (select c.id from conversations c where c.kind = 'group' "
                    + "and lower(c.title) = any(?::text[])))");
            parameters.add(query.titles().toArray(String[]::new));
        }
        where.append(")\n and m.text is not null");
        if (query.hasText()) {
            where.append("\n and m.search @@ ").append(TSQUERY);
            parameters.add(configuration);
            parameters.add(query.textQuery());
        }
        if (!query.authors().isEmpty()) {
            where.append("\n and m.author_id in (select a.id from accounts a where a.username = any(?::text[]))");
            parameters.add(query.authors().toArray(String[]::new));
        }
        if (query.hasLink()) {
            where.append("\n and m.text ~* 'https?://'");
        }
        if (query.inThread()) {
            where.append("\n and (m.thread_root_id is not null"
                    + " or exists (select 1 from messages r where r.thread_root_id = m.id))");
        }
        if (query.before() != null) {
            where.append("\n and m.created_at < ?");
            parameters.add(Timestamp.from(query.before()));
        }
        if (query.after() != null) {
            where.append("\n and m.created_at >= ?");
            parameters.add(Timestamp.from(query.after()));
        }
        if (!query.days().isEmpty()) {
            where.append("\n and (").append(String.join(" or ", query.days().stream()
                    .map(day -> "(m.created_at >= ? and m.created_at < ?)").toList())).append(")");
            query.days().forEach(day -> {
                parameters.add(Timestamp.from(day.start()));
                parameters.add(Timestamp.from(day.end()));
            });
        }
        boolean relevance = order == SearchOrder.SEARCH_ORDER_RELEVANCE;
        if (!relevance && from.createdAt() != null) {
            where.append("\n and (m.created_at, m.id) < (?, ?)");
            parameters.add(Timestamp.from(from.createdAt()));
            parameters.add(from.id());
        }
        String rank = "";
        String inner = "m.created_at desc, m.id desc";
        String outer = "h.created_at desc, h.id desc";
        if (relevance) {
            // Normalised by the log of the message's length, so that a short message all about it comes first.
            rank = ", ts_rank_cd(m.search, " + TSQUERY + ", 1) as rank";
            parameters.add(0, query.textQuery());
            parameters.add(0, configuration);
            inner = "rank desc, " + inner;
            outer = "h.rank desc, " + outer;
        }
        String page = "select " + COLUMNS + rank + " from messages m\n where " + where + "\n order by " + inner
                + "\n limit ?" + (relevance ? " offset ?" : "");
        parameters.add(limit);
        if (relevance) {
            parameters.add(from.offset());
        }
        String cut = "ts_headline(?::regconfig, " + Snippets.source("h.text") + ", " + TSQUERY + ", ?)";
        String headline = query.hasText() ? "case when char_length(h.text) <= " + Snippets.WHOLE + " then " + cut
                + " else " + cut + " end" : "null";
        List<Object> all = new ArrayList<>();
        if (query.hasText()) {
            for (String options : List.of(Snippets.WHOLE_TEXT, Snippets.FRAGMENTS)) {
                all.add(configuration);
                all.add(configuration);
                all.add(query.textQuery());
                all.add(options);
            }
        }
        all.addAll(parameters);
        return new SearchSql("select h.*, " + headline + " as headline from (" + page + ") h order by " + outer,
                all);
    }

    void bind(PreparedStatement statement) throws SQLException {
        for (int i = 0; i < parameters.size(); i++) {
            Object value = parameters.get(i);
            if (value instanceof UUID[] ids) {
                statement.setArray(i + 1, statement.getConnection().createArrayOf("uuid", ids));
            } else if (value instanceof String[] texts) {
                statement.setArray(i + 1, statement.getConnection().createArrayOf("text", texts));
            } else {
                statement.setObject(i + 1, value);
            }
        }
    }
}
