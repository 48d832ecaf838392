package dev.parley.client;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A call the server refused, with what the server said about it: the status code, the stable {@code ErrorInfo}
 * reason (e.g. {@code USERNAME_TAKEN}, {@code EVENTS_EXPIRED}), the bad fields and how long to wait. Subclasses
 * name the families applications handle differently; switch on {@link #reason()} for the rest.
 */
public class ParleyException extends RuntimeException {

    private final Status.Code code;
    private final String reason;
    private final Map<String, String> metadata;
    private final Map<String, String> fieldViolations;
    private final Duration retryDelay;

    ParleyException(StatusRuntimeException cause, String reason, Map<String, String> metadata,
            Map<String, String> fieldViolations, Duration retryDelay) {
        super(cause.getStatus().getCode() + (reason.isEmpty() ? "" : " " + reason) + ": "
                + cause.getStatus().getDescription(), cause);
        this.code = cause.getStatus().getCode();
        this.reason = reason;
        this.metadata = Map.copyOf(metadata);
        this.fieldViolations = Map.copyOf(fieldViolations);
        this.retryDelay = retryDelay;
    }

    /** The typed exception for a failed call. */
    public static ParleyException from(StatusRuntimeException failure) {
        String reason = "";
        Map<String, String> metadata = Map.of();
        Map<String, String> fields = new LinkedHashMap<>();
        Duration delay = null;
        com.google.rpc.Status status = StatusProto.fromThrowable(failure);
        if (status != null) {
            for (var detail : status.getDetailsList()) {
                try {
                    if (detail.is(ErrorInfo.class)) {
                        ErrorInfo info = detail.unpack(ErrorInfo.class);
                        reason = info.getReason();
                        metadata = info.getMetadataMap();
                    } else if (detail.is(BadRequest.class)) {
                        detail.unpack(BadRequest.class).getFieldViolationsList()
                                .forEach(v -> fields.put(v.getField(), v.getDescription()));
                    } else if (detail.is(RetryInfo.class)) {
                        var wait = detail.unpack(RetryInfo.class).getRetryDelay();
                        delay = Duration.ofSeconds(wait.getSeconds(), wait.getNanos());
                    }
                } catch (InvalidProtocolBufferException unreadable) {
                    // a detail this client cannot read is left out
                }
            }
        }
        return switch (failure.getStatus().getCode()) {
            case INVALID_ARGUMENT -> new InvalidArgumentException(failure, reason, metadata, fields, delay);
            case NOT_FOUND -> new NotFoundException(failure, reason, metadata, fields, delay);
            case ALREADY_EXISTS, FAILED_PRECONDITION, ABORTED ->
                    new ConflictException(failure, reason, metadata, fields, delay);
            case PERMISSION_DENIED -> new PermissionDeniedException(failure, reason, metadata, fields, delay);
            case UNAUTHENTICATED -> new UnauthenticatedException(failure, reason, metadata, fields, delay);
            case RESOURCE_EXHAUSTED -> new RateLimitedException(failure, reason, metadata, fields, delay);
            case UNAVAILABLE, DEADLINE_EXCEEDED, CANCELLED ->
                    new UnavailableException(failure, reason, metadata, fields, delay);
            default -> new ParleyException(failure, reason, metadata, fields, delay);
        };
    }

    /** The gRPC status code. */
    public Status.Code code() {
        return code;
    }

    /** The ErrorInfo reason, or "" when the server gave none. */
    public String reason() {
        return reason;
    }

    /** ErrorInfo facts, e.g. {@code conversations} of EVENTS_EXPIRED. */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** Each bad field of the request and what is wrong with it. */
    public Map<String, String> fieldViolations() {
        return fieldViolations;
    }

    /** How long the server asks to wait before trying again. */
    public Optional<Duration> retryDelay() {
        return Optional.ofNullable(retryDelay);
    }

    /** A request field was wrong; see {@link #fieldViolations()}. */
    public static final class InvalidArgumentException extends ParleyException {
        InvalidArgumentException(StatusRuntimeException c, String r, Map<String, String> m, Map<String, String> f,
                Duration d) {
            super(c, r, m, f, d);
        }
    }

    /** It does not exist, or the caller may not know it does. */
    public static final class NotFoundException extends ParleyException {
        NotFoundException(StatusRuntimeException c, String r, Map<String, String> m, Map<String, String> f,
                Duration d) {
            super(c, r, m, f, d);
        }
    }

    /** The state does not allow it: taken name, expired stream position, archived conversation... */
    public static final class ConflictException extends ParleyException {
        ConflictException(StatusRuntimeException c, String r, Map<String, String> m, Map<String, String> f,
                Duration d) {
            super(c, r, m, f, d);
        }
    }

    /** A member without the role it takes. */
    public static final class PermissionDeniedException extends ParleyException {
        PermissionDeniedException(StatusRuntimeException c, String r, Map<String, String> m, Map<String, String> f,
                Duration d) {
            super(c, r, m, f, d);
        }
    }

    /** No session, or one that has ended: log in again. */
    public static final class UnauthenticatedException extends ParleyException {
        UnauthenticatedException(StatusRuntimeException c, String r, Map<String, String> m, Map<String, String> f,
                Duration d) {
            super(c, r, m, f, d);
        }
    }

    /** Too many attempts; {@link #retryDelay()} says when to try again. */
    public static final class RateLimitedException extends ParleyException {
        RateLimitedException(StatusRuntimeException c, String r, Map<String, String> m, Map<String, String> f,
                Duration d) {
            super(c, r, m, f, d);
        }
    }

    /** The server could not be reached or did not answer in time; safe calls may be retried. */
    public static final class UnavailableException extends ParleyException {
        UnavailableException(StatusRuntimeException c, String r, Map<String, String> m, Map<String, String> f,
                Duration d) {
            super(c, r, m, f, d);
        }
    }
}
