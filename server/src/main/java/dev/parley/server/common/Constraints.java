package dev.parley.server.common;

import java.util.Optional;
import org.hibernate.exception.ConstraintViolationException;

/** Recognises a unique or check constraint that PostgreSQL enforced, wherever it sits in a failure's causes. */
public final class Constraints {

    private Constraints() {
    }

    /** The name of the violated constraint, if the failure is one. */
    public static Optional<String> violated(Throwable failure) {
        for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof ConstraintViolationException violation) {
                return Optional.of(String.valueOf(violation.getConstraintName()));
            }
        }
        return Optional.empty();
    }
}
