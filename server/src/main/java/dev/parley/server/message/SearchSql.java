package dev.parley.server.message;

import dev.parley.api.v1.SearchOrder;
import dev.parley.server.search.SearchQuery;
import dev.parley.server.search.Snippets;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * The SQL of one search and its parameters, built from the parts the query has: every value is a parameter, the
 * text-search configuration included, so nothing a person types is ever SQL. The page is chosen first and the
 * snippets (ts_headline, the costly part) are cut for its rows only.
 */
record SearchSql(String text, List<Object> parameters) {

    private static final String COLUMNS = "m.id, m.conversation_id, m.sequence, m.author_id, m.client_message_id, "
            + "m.text, m.reply_to_id, m.thread_root_id, m.mentions, m.created_at, m.edited_at, m.attachment_count";
    private static final String TSQUERY = "to_tsquery(?::regconfig, ?)";
    /** How many of the newest matches a relevance search ranks (the proto's SEARCH_ORDER_RELEVANCE says so). */
    static final int RELEVANCE_CANDIDATES = 500;

    /**
     * The conversations the reader is a member of now, narrowed by conversation_id and the in: operators, with the
     * sequence of their last message. Read first, so that the search itself names them, and its plan can be chosen
     * knowing how many messages they hold.
     */
    static SearchSql conversations(UUID readerId, SearchQuery query, UUID conversationId) {
        List<Object> parameters = new ArrayList<>();
        StringBuilder where = new StringBuilder("select s.conversation_id, c.last_sequence from memberships s "
                + "join conversations c on c.id = s.conversation_id where s.account_id = ?");
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
        return new SearchSql(where.toString(), parameters);
    }

    /**
     * The page: matching messages of these conversations, then their snippets. Walking, one scan per conversation
     * newest first, merged, the whole query checked on each message (in a form no index can take, so that each scan
     * stays a walk); otherwise the index is asked for the plan's terms (by conversation when the plan says so), and
     * the whole query is checked on what it returns (again hidden from the planner, which would hand it to the index
     * too and count it as selective).
     */
    static SearchSql of(UUID[] conversations, SearchQuery query, SearchPlan plan, SearchOrder order,
            Searches.Cursor from, int limit, String configuration) {
        List<Object> parameters = new ArrayList<>();
        boolean relevance = order == SearchOrder.SEARCH_ORDER_RELEVANCE;
        int wanted = relevance ? RELEVANCE_CANDIDATES : limit;
        String columns = COLUMNS + (relevance ? ", m.search" : "");
        String newest;
        if (plan.walk()) {
            List<String> branches = new ArrayList<>();
            for (UUID conversation : conversations) {
                parameters.add(conversation);
                String where = "m.conversation_id = ?" + filters(query, plan, conversations, order, from,
                        configuration, parameters);
                branches.add("(select " + columns + " from messages m\n where " + where
                        + "\n order by m.created_at desc, m.id desc limit ?)");
                parameters.add(wanted);
            }
            newest = "select * from (" + String.join("\n union all ", branches)
                    + ") m\n order by m.created_at desc, m.id desc\n limit ";
        } else {
            parameters.add(conversations);
            // Asked by conversation, the index has kept to the reader's conversations already: a bitmap of all their
            // messages, which PostgreSQL would otherwise read to intersect, would cost more than the whole search.
            String where = (plan.keyed() ? "(m.conversation_id = any(?::uuid[])) is true"
                    : "m.conversation_id = any(?::uuid[])") + filters(query, plan, conversations, order, from,
                    configuration, parameters);
            newest = "select " + columns + " from messages m\n where " + where
                    + "\n order by m.created_at desc, m.id desc\n limit ";
        }
        String page;
        if (relevance) {
            // The newest matches ranked, normalised by the log of each message's length so that a short message all
            // about it comes first: ranking every match of a common word would read them all.
            page = "select " + COLUMNS + ", ts_rank_cd(m.search, " + TSQUERY + ", 1) as rank from (" + newest
                    + RELEVANCE_CANDIDATES + ") m\n order by rank desc, m.created_at desc, m.id desc limit ? offset ?";
            parameters.add(0, query.textQuery());
            parameters.add(0, configuration);
            parameters.add(limit);
            parameters.add(from.offset());
        } else {
            page = newest + "?";
            parameters.add(limit);
        }
        String outer = relevance ? "h.rank desc, h.created_at desc, h.id desc" : "h.created_at desc, h.id desc";
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

    /** The conditions after the conversation's: the text, the operators, and where the page starts. */
    private static String filters(SearchQuery query, SearchPlan plan, UUID[] conversations, SearchOrder order,
            Searches.Cursor from, String configuration, List<Object> parameters) {
        StringBuilder where = new StringBuilder("\n and m.text is not null");
        List<SearchTerm> words = plan.indexed().stream().filter(t -> t.kind() != SearchTerm.Kind.PAIR).toList();
        List<String> pairs = plan.indexed().stream().filter(t -> t.kind() == SearchTerm.Kind.PAIR)
                .map(SearchTerm::tsquery).toList();
        if (!words.isEmpty() && plan.keyed()) {
            // Each conversation with all the words in it, so that the index reads those conversations' entries only.
            where.append("\n and message_conversation_words(m.conversation_id, m.search) @@ ?::tsquery");
            parameters.add(String.join(" | ", Arrays.stream(conversations).map(conversation -> "(" + String.join(
                    " & ", words.stream().map(term -> term.tsqueryIn(conversation)).toList()) + ")").toList()));
        } else if (!words.isEmpty()) {
            where.append("\n and m.search @@ ?::tsquery");
            parameters.add(String.join(" & ", words.stream().map(SearchTerm::tsquery).toList()));
        }
        boolean hideText = plan.walk() || !plan.indexed().isEmpty();
        if (!pairs.isEmpty()) {
            // Written as V12's index is, the configuration included: an index on an expression serves only that one.
            where.append("\n and message_word_pairs(").append(literal(configuration))
                    .append("::regconfig, m.text) @@ ?::tsquery");
            parameters.add(String.join(" & ", pairs));
        }
        if (query.hasText()) {
            where.append(hideText ? "\n and (m.search || ''::tsvector) @@ " : "\n and m.search @@ ").append(TSQUERY);
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
        if (query.hasFile()) {
            where.append("\n and m.attachment_count > 0");
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
        if (order != SearchOrder.SEARCH_ORDER_RELEVANCE && from.createdAt() != null) {
            where.append("\n and (m.created_at, m.id) < (?, ?)");
            parameters.add(Timestamp.from(from.createdAt()));
            parameters.add(from.id());
        }
        return where.toString();
    }

    /** A configuration's name as an SQL literal (a name PostgreSQL knows: SearchLanguage refuses any other). */
    private static String literal(String configuration) {
        return "'" + configuration.replace("'", "''") + "'";
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
