package dev.parley.server.search;

import dev.parley.server.common.Ids;
import dev.parley.server.common.ParleyException;
import dev.parley.server.common.Text;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a search as people type it (the syntax is SearchMessagesRequest.query's, in the contract): words,
 * "quoted phrases" and name:value operators, separated by spaces. Lenient where a person is mid-typing (a quote
 * left open runs to the end, the last word matches as a prefix), strict where a mistake would silently find the
 * wrong thing (an unknown operator, a date it cannot read): INVALID_ARGUMENT naming query and the part.
 */
public final class SearchQueryParser {

    public static final int MAX_LENGTH = 500;
    public static final int MAX_PARTS = 20;
    /** A shorter last word is matched whole: a one-letter prefix would match most of the index. */
    private static final int MIN_PREFIX = 2;
    private static final Pattern OPERATOR = Pattern.compile("([A-Za-z]+):(.*)", Pattern.DOTALL);
    private static final List<String> KNOWN = List.of("from", "in", "has", "is", "before", "after", "on");
    private static final String FIELD = "query";

    private final String query;
    private final ZoneId zone;
    private final List<String> terms = new ArrayList<>();
    /** The words to be found whole (all but a prefix). */
    private final List<String> words = new ArrayList<>();
    private final List<String> phrases = new ArrayList<>();
    private final List<String> authors = new ArrayList<>();
    private final List<UUID> conversationIds = new ArrayList<>();
    private final List<String> directWith = new ArrayList<>();
    private final List<String> titles = new ArrayList<>();
    private final List<SearchQuery.Day> days = new ArrayList<>();
    private boolean hasLink;
    private boolean hasFile;
    private boolean inThread;
    private Instant before;
    private Instant after;
    private String prefix;
    private int parts;
    private int position;
    /** The tsquery term of the last bare word, the word, and where in the query it ends. */
    private int lastWordTerm = -1;
    private String lastWord;
    private int lastWordEnd = -1;

    private SearchQueryParser(String query, ZoneId zone) {
        this.query = query;
        this.zone = zone;
    }

    /** The query taken apart, with days in the given zone; INVALID_ARGUMENT naming query when it cannot be. */
    public static SearchQuery parse(String query, ZoneId zone) {
        if (query.isBlank()) {
            throw invalid("must not be empty");
        }
        if (Text.length(query) > MAX_LENGTH) {
            throw invalid("must be at most " + MAX_LENGTH + " characters");
        }
        return new SearchQueryParser(query, zone).read();
    }

    private SearchQuery read() {
        while (skipSpaces()) {
            if (++parts > MAX_PARTS) {
                throw invalid("must have at most " + MAX_PARTS + " parts (words, phrases and operators)");
            }
            if (query.charAt(position) == '"') {
                phrase(quoted());
            } else {
                part(bare());
            }
        }
        if (lastWordTerm >= 0 && lastWordEnd == query.length() && Text.length(lastWord) >= MIN_PREFIX) {
            terms.set(lastWordTerm, terms.get(lastWordTerm) + ":*");
            words.remove(words.size() - 1);
            prefix = lastWord;
        }
        return new SearchQuery(String.join(" & ", terms), List.copyOf(words), List.copyOf(phrases), prefix,
                List.copyOf(authors),
                List.copyOf(conversationIds), List.copyOf(directWith), List.copyOf(titles), hasLink, hasFile, inThread, before,
                after, List.copyOf(days));
    }

    private void part(String token) {
        Matcher operator = OPERATOR.matcher(token);
        if (!operator.matches() || operator.group(2).startsWith("//")) {
            word(token);
            return;
        }
        String name = operator.group(1).toLowerCase(Locale.ROOT);
        String value = operator.group(2);
        if (!KNOWN.contains(name)) {
            if (value.isEmpty() && position < query.length() && query.charAt(position) != '"') {
                word(token); // "note:" followed by a space is a word with a colon after it
                return;
            }
            throw invalid("has an unknown operator in \"" + token + "\": the operators are from:, in:, has:, is:, "
                    + "before:, after: and on: (quote a phrase to find \"" + token + "\" itself)");
        }
        if (value.isEmpty() && position < query.length() && query.charAt(position) == '"') {
            value = quoted();
        }
        if (value.isBlank()) {
            throw invalid("has " + name + ": without a value");
        }
        operator(name, value, token);
    }

    private void operator(String name, String value, String token) {
        switch (name) {
            case "from" -> authors.add(username(value));
            case "in" -> {
                if (value.startsWith("@")) {
                    directWith.add(username(value));
                } else if (looksLikeId(value)) {
                    conversationIds.add(Ids.parse(value).orElseThrow(() -> invalid("has in:" + value
                            + ", which is neither a conversation id (a UUID) nor a title")));
                } else {
                    titles.add(value.strip().toLowerCase(Locale.ROOT));
                }
            }
            case "has" -> {
                if (value.equalsIgnoreCase("link")) {
                    hasLink = true;
                } else if (value.equalsIgnoreCase("file")) {
                    hasFile = true;
                } else {
                    throw invalid("has " + token + ": has: takes link or file");
                }
            }
            case "is" -> {
                if (!value.equalsIgnoreCase("thread")) {
                    throw invalid("has " + token + ": is: takes thread");
                }
                inThread = true;
            }
            case "before" -> {
                Instant start = startOf(day(value, token));
                before = before == null || start.isAfter(before) ? start : before;
            }
            case "after" -> {
                Instant end = startOf(day(value, token).plusDays(1));
                after = after == null || end.isBefore(after) ? end : after;
            }
            case "on" -> {
                LocalDate day = day(value, token);
                days.add(new SearchQuery.Day(startOf(day), startOf(day.plusDays(1))));
            }
            default -> throw new IllegalStateException(name);
        }
    }

    /** A bare word: its term, quoted so that to_tsquery reads it as text and never as its own syntax. */
    private void word(String word) {
        lastWordTerm = terms.size();
        lastWord = word;
        lastWordEnd = position;
        terms.add(quote(word));
        words.add(word);
    }

    /** A phrase: its words next to each other, in order. A phrase of one word is that word. */
    private void phrase(String phrase) {
        if (phrase.isBlank()) {
            return;
        }
        List<String> words = List.of(phrase.strip().split("\\s+"));
        lastWordTerm = -1;
        if (words.size() == 1) {
            this.words.add(words.get(0));
        } else {
            phrases.add(phrase.strip());
        }
        terms.add(words.size() == 1 ? quote(words.get(0))
                : "(" + String.join(" <-> ", words.stream().map(SearchQueryParser::quote).toList()) + ")");
    }

    /** True when there is another part; moves past the spaces before it. */
    private boolean skipSpaces() {
        while (position < query.length() && Character.isWhitespace(query.charAt(position))) {
            position++;
        }
        return position < query.length();
    }

    /** The text up to the next space or quote. */
    private String bare() {
        int start = position;
        while (position < query.length() && !Character.isWhitespace(query.charAt(position))
                && query.charAt(position) != '"') {
            position++;
        }
        return query.substring(start, position);
    }

    /** The text between this quote and the next, or the end when it is left open. */
    private String quoted() {
        int end = query.indexOf('"', position + 1);
        String text = query.substring(position + 1, end < 0 ? query.length() : end);
        position = end < 0 ? query.length() : end + 1;
        return text;
    }

    private LocalDate day(String value, String token) {
        try {
            return LocalDate.parse(value);
        } catch (DateTimeException e) {
            throw invalid("has " + token + ": dates are written YYYY-MM-DD");
        }
    }

    private Instant startOf(LocalDate day) {
        return day.atStartOfDay(zone).toInstant();
    }

    private static String username(String value) {
        return (value.startsWith("@") ? value.substring(1) : value).toLowerCase(Locale.ROOT);
    }

    /** Ids are 36 characters of hex digits and dashes; titles rarely are, and one that is can be quoted. */
    private static boolean looksLikeId(String value) {
        return value.length() == 36 && value.chars().allMatch(c -> c == '-' || Character.digit(c, 16) >= 0);
    }

    /** A term of to_tsquery: quoted, with its quotes and backslashes escaped. */
    private static String quote(String word) {
        return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'";
    }

    private static ParleyException invalid(String description) {
        return ParleyException.invalid("INVALID_FIELDS", FIELD, description);
    }
}
