package dev.parley.server.message;

import jakarta.persistence.EntityManager;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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

    /** The mentioned members' ids, in order of first mention. Runs in the caller's transaction. */
    static UUID[] resolve(EntityManager entities, UUID conversationId, String text) {
        Set<String> names = new LinkedHashSet<>();
        Matcher matcher = MENTION.matcher(text);
        while (matcher.find()) {
            names.add(matcher.group(1).toLowerCase(Locale.ROOT).replaceAll("[.]+$", ""));
        }
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
        Map<String, UUID> found = rows.stream().collect(Collectors.toMap(r -> (String) r[0], r -> (UUID) r[1]));
        List<UUID> ordered = new ArrayList<>();
        names.stream().map(found::get).filter(java.util.Objects::nonNull).forEach(ordered::add);
        return ordered.toArray(UUID[]::new);
    }
}
