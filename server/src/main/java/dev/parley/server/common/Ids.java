package dev.parley.server.common;

import java.util.Optional;
import java.util.UUID;

/** Ids travel as canonical UUID text; anything else in an id field is a client mistake, not a lookup miss. */
public final class Ids {

    private Ids() {
    }

    public static Optional<UUID> parse(String text) {
        if (text == null || text.length() != 36) {
            return Optional.empty();
        }
        try {
            return Optional.of(UUID.fromString(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The id in a required field, or INVALID_ARGUMENT naming that field. */
    public static UUID require(String text, String field) {
        return parse(text).orElseThrow(() -> ParleyException.invalid("INVALID_ID", field,
                text == null || text.isEmpty() ? "is required" : "must be a UUID"));
    }
}
