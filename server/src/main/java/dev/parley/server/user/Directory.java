package dev.parley.server.user;

import dev.parley.server.account.Account;
import dev.parley.server.common.Ids;
import dev.parley.server.common.ParleyException;
import dev.parley.server.common.Text;
import dev.parley.server.common.Violations;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Finding people: by id, and by the start of any word of their username or display name. */
@ApplicationScoped
class Directory {

    static final int MAX_IDS = 100;
    private static final int MAX_PREFIX = 64;

    /** A page of accounts and the username to continue after, empty on the last page. */
    record Page(List<Account> accounts, String nextAfter) {
    }

    /** The accounts with these ids, in the order asked, each once; unknown ids are skipped. */
    List<Account> byIds(List<String> ids) {
        if (ids.isEmpty() || ids.size() > MAX_IDS) {
            throw ParleyException.invalid("INVALID_FIELDS", "user_ids", "must hold 1 to " + MAX_IDS + " ids");
        }
        Violations violations = new Violations();
        Set<UUID> wanted = new LinkedHashSet<>();
        for (int i = 0; i < ids.size(); i++) {
            int index = i;
            Ids.parse(ids.get(i)).ifPresentOrElse(wanted::add,
                    () -> violations.add("user_ids[" + index + "]", "must be a UUID"));
        }
        violations.throwIfAny();
        Map<UUID, Account> found = QuarkusTransaction.requiringNew().call(() ->
                Account.<Account>list("id in ?1", wanted).stream()
                        .collect(Collectors.toMap(account -> account.id, Function.identity())));
        List<Account> ordered = new ArrayList<>();
        wanted.stream().map(found::get).filter(java.util.Objects::nonNull).forEach(ordered::add);
        return ordered;
    }

    /**
     * Active accounts with a word of their username or display name starting with the prefix ("hop" finds Grace
     * Hopper and grace_hopper), by username, after a cursor. Words are split at spaces, '_', '-' and '.'.
     */
    Page search(String prefix, String after, int pageSize) {
        if (Text.length(prefix) > MAX_PREFIX) {
            throw ParleyException.invalid("INVALID_FIELDS", "prefix", "must be at most " + MAX_PREFIX + " characters");
        }
        String pattern = "% " + Text.likePrefix(prefix.strip().toLowerCase(Locale.ROOT).replaceAll("[_.-]", " "));
        List<Account> found = QuarkusTransaction.requiringNew().call(() -> Account.<Account>find("""
                active = true and username > ?1
                and (concat(' ', translate(username, '_-.', '   ')) like ?2 escape '\\'
                     or concat(' ', translate(lower(displayName), '_-.', '   ')) like ?2 escape '\\')
                order by username""", after, pattern).page(0, pageSize + 1).list());
        if (found.size() <= pageSize) {
            return new Page(found, "");
        }
        List<Account> page = found.subList(0, pageSize);
        return new Page(page, page.get(pageSize - 1).username);
    }
}
