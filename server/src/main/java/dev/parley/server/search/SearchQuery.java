package dev.parley.server.search;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A search taken apart (by {@link SearchQueryParser}): what the words ask of the text, as a PostgreSQL tsquery for
 * {@code to_tsquery}, and the operators' filters. Each list holds the values of one operator, any of which may hold;
 * an empty list filters nothing.
 *
 * @param textQuery the words and phrases in {@code to_tsquery} syntax, each quoted; empty when there are none
 * @param words the words every match has whole (a phrase of one word among them), for the search to tell its
 *     rare words from its common ones
 * @param phrases the phrases of two words or more, as typed between the quotes
 * @param prefix the last word when it is matched as a prefix (search as you type), or null
 * @param authors usernames of {@code from:}, in lower case
 * @param conversationIds ids of {@code in:<id>}
 * @param directWith usernames of {@code in:@username}, in lower case
 * @param titles titles of {@code in:<title>}, in lower case
 * @param hasLink {@code has:link}
 * @param hasFile {@code has:file}: sent with attachments
 * @param inThread {@code is:thread}
 * @param before sent before this ({@code before:}), or null
 * @param after sent at or after this ({@code after:}), or null
 * @param days the days of {@code on:}, any of which may hold
 */
public record SearchQuery(String textQuery, List<String> words, List<String> phrases, String prefix,
        List<String> authors, List<UUID> conversationIds,
        List<String> directWith, List<String> titles, boolean hasLink, boolean hasFile, boolean inThread, Instant before, Instant after,
        List<Day> days) {

    /** A day of {@code on:}: from its start, inclusive, to the next day's, exclusive. */
    public record Day(Instant start, Instant end) {
    }

    public boolean hasText() {
        return !textQuery.isEmpty();
    }

    /** Whether any {@code in:} operator narrows the conversations. */
    public boolean namesConversations() {
        return !conversationIds.isEmpty() || !directWith.isEmpty() || !titles.isEmpty();
    }
}
