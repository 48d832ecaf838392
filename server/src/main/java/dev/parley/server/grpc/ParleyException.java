package dev.parley.server.grpc;

import io.grpc.Status;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The one exception domain code throws to answer a call with something other than OK. It carries what the client
 * needs to act on: the status code, a stable UPPER_SNAKE reason, and where they apply the bad fields or the wait.
 * {@link ErrorMapping} turns it into a {@code google.rpc.Status}.
 */
public class ParleyException extends RuntimeException {

    /** One bad request field, named as in the proto ("username", "user_ids[2]"). */
    public record FieldViolation(String field, String description) {
    }

    private final Status.Code code;
    private final String reason;
    private final List<FieldViolation> violations;
    private final Duration retryDelay;
    private final Map<String, String> metadata;

    private ParleyException(Status.Code code, String reason, String message, List<FieldViolation> violations,
            Duration retryDelay, Map<String, String> metadata) {
        super(message, null, false, false);
        this.code = code;
        this.reason = reason;
        this.violations = List.copyOf(violations);
        this.retryDelay = retryDelay;
        this.metadata = Map.copyOf(metadata);
    }

    public static ParleyException of(Status.Code code, String reason, String message) {
        return new ParleyException(code, reason, message, List.of(), null, Map.of());
    }

    public static ParleyException invalid(List<FieldViolation> violations) {
        String message = violations.size() == 1
                ? violations.get(0).field() + " " + violations.get(0).description()
                : "The request has " + violations.size() + " invalid fields";
        return new ParleyException(Status.Code.INVALID_ARGUMENT, "INVALID_FIELDS", message, violations, null,
                Map.of());
    }

    public static ParleyException invalid(String reason, String field, String description) {
        return new ParleyException(Status.Code.INVALID_ARGUMENT, reason, field + " " + description,
                List.of(new FieldViolation(field, description)), null, Map.of());
    }

    public static ParleyException throttled(String reason, String message, Duration retryDelay) {
        return new ParleyException(Status.Code.RESOURCE_EXHAUSTED, reason, message, List.of(), retryDelay, Map.of());
    }

    /** A dependency (PostgreSQL, Redis) cannot be reached; the client may retry after the delay. */
    public static ParleyException unavailable(String reason, String message, Duration retryDelay) {
        return new ParleyException(Status.Code.UNAVAILABLE, reason, message, List.of(), retryDelay, Map.of());
    }

    public static ParleyException notFound(String what) {
        return of(Status.Code.NOT_FOUND, "NOT_FOUND", what + " not found");
    }

    public static ParleyException unauthenticated(String reason, String message) {
        return of(Status.Code.UNAUTHENTICATED, reason, message);
    }

    public static ParleyException permissionDenied(String reason, String message) {
        return of(Status.Code.PERMISSION_DENIED, reason, message);
    }

    /** A copy that also names something the client may need, in ErrorInfo.metadata. */
    public ParleyException with(String key, String value) {
        var merged = new java.util.HashMap<>(metadata);
        merged.put(key, value);
        return new ParleyException(code, reason, getMessage(), violations, retryDelay, merged);
    }

    public Status.Code code() {
        return code;
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
