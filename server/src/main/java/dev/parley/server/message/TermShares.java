package dev.parley.server.message;

import dev.parley.server.search.SearchQuery;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The terms of a search with how common each is: its words and its phrases' words, cut by the configuration; each
 * phrase's adjacent pairs; and the prefix, whose share is guessed from those of the common words it begins. How
 * common comes from PostgreSQL's own statistics (ANALYZE keeps the thousand commonest words of messages.search, and
 * the commonest pairs of the messages_word_pairs index), so it costs one small query and no count.
 */
final class TermShares {

    private static final String SQL = """
            with word_stats as (
              select e.lexeme, e.share from pg_stats s,
                     unnest(s.most_common_elems::text::text[], s.most_common_elem_freqs) as e(lexeme, share)
               where s.schemaname = current_schema() and s.tablename = 'messages' and s.attname = 'search'),
            pair_stats as (
              select e.lexeme, e.share from pg_stats s,
                     unnest(s.most_common_elems::text::text[], s.most_common_elem_freqs) as e(lexeme, share)
               where s.schemaname = current_schema() and s.tablename = 'messages_word_pairs'
                 and s.attname = 'message_word_pairs'),
            phrases as (select t.body, t.n::int as n from unnest(?::text[]) with ordinality as t(body, n)),
            texts as (select ?::text as body, 0 as n union all select body, n from phrases)
            select 'WORD', w.lexeme, coalesce(c.share, 0), t.n
              from texts t cross join unnest(tsvector_to_array(to_tsvector(?::regconfig, t.body))) as w(lexeme)
              left join word_stats c on c.lexeme = w.lexeme
            union all
            select 'PAIR', p.lexeme, coalesce(c.share, 0), t.n
              from phrases t cross join unnest(tsvector_to_array(message_word_pairs(?::regconfig, t.body))) as p(lexeme)
              left join pair_stats c on c.lexeme = p.lexeme
            union all
            select 'PREFIX', x.lexeme[1],
                   (select least(1, ? * (1 - exp(coalesce(sum(ln(1 - c.share)), 0)))) from word_stats c
                     where starts_with(c.lexeme, x.lexeme[1])), 0
              from (select tsvector_to_array(to_tsvector(?::regconfig, ?)) as lexeme) x
             where cardinality(x.lexeme) = 1""";

    /**
     * A prefix's share is that of the listed words it begins, combined as independent (so that "l" is in no more
     * than every message), times this: the statistics list only the commonest words, and those they leave out that
     * begin with the prefix are, in a vocabulary of Zipf's shape, about as common again as those they list (1.4 to
     * 3.3 times, prefixes of listed words in issue 16's benchmark). Counted too low, a common prefix would be asked
     * of the index, which reads every one of its matches.
     */
    static final double UNLISTED_PREFIX_WORDS = 2;

    private TermShares() {
    }

    /** The query's terms; a prefix the configuration cuts into several words (or none) is left out. */
    static List<SearchTerm> of(Connection connection, String configuration, SearchQuery query) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(SQL)) {
            statement.setArray(1, connection.createArrayOf("text", query.phrases().toArray(String[]::new)));
            statement.setString(2, String.join(" ", query.words()));
            statement.setString(3, configuration);
            statement.setString(4, configuration);
            statement.setDouble(5, UNLISTED_PREFIX_WORDS);
            statement.setString(6, configuration);
            statement.setString(7, query.prefix() == null ? "" : query.prefix());
            try (ResultSet rows = statement.executeQuery()) {
                List<SearchTerm> terms = new ArrayList<>();
                while (rows.next()) {
                    SearchTerm term = new SearchTerm(SearchTerm.Kind.valueOf(rows.getString(1)), rows.getString(2),
                            rows.getDouble(3), rows.getInt(4));
                    if (!terms.contains(term)) {
                        terms.add(term);
                    }
                }
                return terms;
            }
        }
    }
}
