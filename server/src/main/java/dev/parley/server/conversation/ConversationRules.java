package dev.parley.server.conversation;

import dev.parley.server.common.Ids;
import dev.parley.server.common.Text;
import dev.parley.server.common.Violations;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** Limits on what conversations hold. */
final class ConversationRules {

    static final int MAX_TITLE = 100;
    static final int MAX_DESCRIPTION = 1000;
    static final int MAX_MEMBERS = 10_000;
    static final int MAX_IDS_PER_CALL = 100;
    static final long MIN_RETENTION_SECONDS = 3600;
    static final long MAX_RETENTION_SECONDS = 3650L * 24 * 3600;

    private ConversationRules() {
    }

    static void title(Violations violations, String title) {
        int length = Text.length(title.strip());
        violations.check(length >= 1 && length <= MAX_TITLE && !Text.isInvisible(title)
                && !Text.hasControlCharacters(title), "title", "must be 1 to " + MAX_TITLE
                + " characters, not all of them spaces or invisible, without control characters");
    }

    /** Message retention: whole seconds from an hour to ten years, or zero for none. */
    static void messageRetention(Violations violations, com.google.protobuf.Duration retention) {
        long seconds = retention.getSeconds();
        violations.check(retention.getNanos() == 0 && (seconds == 0
                || (seconds >= MIN_RETENTION_SECONDS && seconds <= MAX_RETENTION_SECONDS)), "message_retention",
                "must be whole seconds from 3600 (1 hour) to 315360000 (3,650 days), or 0 to keep messages for good");
    }

    static void description(Violations violations, String description) {
        violations.check(Text.length(description) <= MAX_DESCRIPTION && !Text.hasLoneSurrogates(description)
                && description.indexOf('\0') < 0, "description", "must be at most " + MAX_DESCRIPTION
                + " characters, without NUL");
    }

    /** Distinct user ids from a repeated field, each named by its index when it is not a UUID. */
    static Set<UUID> userIds(Violations violations, String field, List<String> ids, boolean required) {
        Set<UUID> parsed = new LinkedHashSet<>();
        if (ids.size() > MAX_IDS_PER_CALL || (required && ids.isEmpty())) {
            violations.add(field, "must hold " + (required ? "1" : "0") + " to " + MAX_IDS_PER_CALL + " user ids");
            return parsed;
        }
        for (int i = 0; i < ids.size(); i++) {
            int index = i;
            Ids.parse(ids.get(i)).ifPresentOrElse(parsed::add,
                    () -> violations.add(field + "[" + index + "]", "must be a user id (UUID)"));
        }
        return parsed;
    }
}
