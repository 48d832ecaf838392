package dev.parley.server.message;

import jakarta.persistence.EntityManager;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Finds @username mentions in text and keeps those naming members of the conversation. */
final class Mentions {

    /** '@' not preceded by a username character (so e-mail addresses are not mentions). */
    private static final Pattern MENTION = Pattern.compile("(?<![A-Za-z0-9_.-])@([A-Za-z0-9_.-]{3,32})");

    private Mentions() {
    }

    /** The usernames the text mentions, lower-cased, in order of first mention. */
    static Set<String> names(String text) {
        Set<String> names = new LinkedHashSet<>();
        if (text.indexOf('@') < 0) {
            return names;
        }
        Matcher matcher = MENTION.matcher(text);
        while (matcher.find()) {
            names.add(matcher.group(1).toLowerCase(Locale.ROOT).replaceAll("[.]+$", ""));
        }
        return names;
    }

    /** The mentioned members' ids, in order of first mention; {@code members} maps a member's username to its id. */
    static UUID[] ordered(Set<String> names, Map<String, UUID> members) {
        return names.stream().map(members::get).filter(Objects::nonNull).toArray(UUID[]::new);
    }

    /** The mentioned members' ids, in order of first mention. Runs in the caller's transaction. */
    static UUID[] resolve(EntityManager entities, UUID conversationId, String text) {
        Set<String> names = names(text);
        if (names.isEmpty()) {
            return new UUID[0];
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = entities.createNativeQuery("""
                select a.username, a.id from accounts a join memberships m on m.account_id = a.id
                 where m.conversation_id = ?1 and a.username = any(?2)""")
                .setParameter(1, conversationId)
                .setParameter(2, names.toArray(String[]::new))
                .getResultList();
        return ordered(names, rows.stream().collect(Collectors.toMap(r -> (String) r[0], r -> (UUID) r[1])));
    }
}
