package dev.parley.server.message;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The words of a search that few messages have, as the configuration cuts them, rarest first. A GIN index answers
 * "this conversation and these words" by walking each word's list of messages, so a word in half of all messages
 * costs as much as reading half the table's entries even when a rare word beside it leaves a handful: the index is
 * asked for the rare words only, and the rest are checked on the few rows it returns. How common a word is comes
 * from PostgreSQL's own statistics of the column (ANALYZE keeps its most common words); a word not among them is
 * rare.
 */
final class RareWords {

    /**
     * A word in more than this share of messages is common. Asking the index for the rarest word under it leaves at
     * most this share of the reader's messages to check (2,500 of 50,000), where walking newest first could read
     * them all when the rest of the query (a phrase of it and a common word, say) seldom holds; above it, walking
     * newest first meets a page of matches sooner.
     */
    static final double COMMON = 0.05;
    /** Two rare words narrow a search as far as it needs; each further one is another list to walk. */
    private static final int MOST = 2;

    private static final String SQL = """
            select w.lexeme from (select distinct unnest(tsvector_to_array(to_tsvector(?::regconfig, ?))) as lexeme) w
              left join (select e.lexeme, e.share from pg_stats s,
                                unnest(s.most_common_elems::text::text[], s.most_common_elem_freqs) as e(lexeme, share)
                          where s.schemaname = current_schema() and s.tablename = 'messages'
                            and s.attname = 'search') c on c.lexeme = w.lexeme
             where coalesce(c.share, 0) <= ?
             order by coalesce(c.share, 0), w.lexeme
             limit ?""";

    private RareWords() {
    }

    /** The rare words of these whole words (none when every word is common, or there are no whole words). */
    static List<String> of(Connection connection, String configuration, String wholeWords) throws SQLException {
        if (wholeWords.isBlank()) {
            return List.of();
        }
        try (PreparedStatement statement = connection.prepareStatement(SQL)) {
            statement.setString(1, configuration);
            statement.setString(2, wholeWords);
            statement.setDouble(3, COMMON);
            statement.setInt(4, MOST);
            try (ResultSet rows = statement.executeQuery()) {
                List<String> lexemes = new ArrayList<>();
                while (rows.next()) {
                    lexemes.add(rows.getString(1));
                }
                return lexemes;
            }
        }
    }

    /** The words as a tsquery that matches messages with all of them (the lexemes already cut, so cast, not parsed). */
    static String allOf(List<String> lexemes) {
        return String.join(" & ", lexemes.stream()
                .map(lexeme -> "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'").toList());
    }
}
