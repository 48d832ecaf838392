package dev.parley.server.common;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The one exception domain code throws to answer a call with something other than OK. It carries what the client
 * needs to act on: the kind of refusal (a status code once mapped), a stable UPPER_SNAKE reason, and where they apply the bad fields or the wait.
 * {@code grpc.ErrorMapping} turns it into a {@code google.rpc.Status}.
 */
public class ParleyException extends RuntimeException {

    /** One bad request field, named as in the proto ("username", "user_ids[2]"). */
    public record FieldViolation(String field, String description) {
    }

    private final ErrorKind kind;
    private final String reason;
    private final List<FieldViolation> violations;
    private final Duration retryDelay;
    private final Map<String, String> metadata;

    private ParleyException(ErrorKind kind, String reason, String message, List<FieldViolation> violations,
            Duration retryDelay, Map<String, String> metadata) {
        super(message, null, false, false);
        this.kind = kind;
        this.reason = reason;
        this.violations = List.copyOf(violations);
        this.retryDelay = retryDelay;
        this.metadata = Map.copyOf(metadata);
    }

    public static ParleyException of(ErrorKind kind, String reason, String message) {
        return new ParleyException(kind, reason, message, List.of(), null, Map.of());
    }

    public static ParleyException invalid(List<FieldViolation> violations) {
        String message = violations.size() == 1
                ? violations.get(0).field() + " " + violations.get(0).description()
                : "The request has " + violations.size() + " invalid fields";
        return new ParleyException(ErrorKind.INVALID_ARGUMENT, "INVALID_FIELDS", message, violations, null,
                Map.of());
    }

    public static ParleyException invalid(String reason, String field, String description) {
        return new ParleyException(ErrorKind.INVALID_ARGUMENT, reason, field + " " + description,
                List.of(new FieldViolation(field, description)), null, Map.of());
    }

    public static ParleyException throttled(String reason, String message, Duration retryDelay) {
        return new ParleyException(ErrorKind.RESOURCE_EXHAUSTED, reason, message, List.of(), retryDelay, Map.of());
    }

    /** A dependency (PostgreSQL, Redis) cannot be reached; the client may retry after the delay. */
    public static ParleyException unavailable(String reason, String message, Duration retryDelay) {
        return new ParleyException(ErrorKind.UNAVAILABLE, reason, message, List.of(), retryDelay, Map.of());
    }

    public static ParleyException notFound(String what) {
        return of(ErrorKind.NOT_FOUND, "NOT_FOUND", what + " not found");
    }

    public static ParleyException unauthenticated(String reason, String message) {
        return of(ErrorKind.UNAUTHENTICATED, reason, message);
    }

    public static ParleyException permissionDenied(String reason, String message) {
        return of(ErrorKind.PERMISSION_DENIED, reason, message);
    }

    /** A copy that also names something the client may need, in ErrorInfo.metadata. */
    public ParleyException with(String key, String value) {
        var merged = new java.util.HashMap<>(metadata);
        merged.put(key, value);
        return new ParleyException(kind, reason, getMessage(), violations, retryDelay, merged);
    }

    public ErrorKind kind() {
        return kind;
    }

    public String reason() {
        return reason;
    }

    public List<FieldViolation> violations() {
        return violations;
    }

    public Duration retryDelay() {
        return retryDelay;
    }

    public Map<String, String> metadata() {
        return metadata;
    }
}
