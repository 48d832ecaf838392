package dev.parley.server.common;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects every bad field of a request before answering, so that a client fixing a form learns all its mistakes
 * in one round trip rather than one per call.
 */
public final class Violations {

    private final List<ParleyException.FieldViolation> found = new ArrayList<>();

    public Violations add(String field, String description) {
        found.add(new ParleyException.FieldViolation(field, description));
        return this;
    }

    public Violations check(boolean ok, String field, String description) {
        return ok ? this : add(field, description);
    }

    public boolean has(String field) {
        return found.stream().anyMatch(v -> v.field().equals(field));
    }

    /** Throws INVALID_ARGUMENT naming every violation, if there was any. */
    public void throwIfAny() {
        if (!found.isEmpty()) {
            throw ParleyException.invalid(found);
        }
    }
}
