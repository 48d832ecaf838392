package dev.parley.server.grpc;

import com.google.protobuf.Any;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import dev.parley.server.common.ErrorKind;
import dev.parley.server.common.ParleyException;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.quarkus.grpc.ExceptionHandler;
import io.quarkus.grpc.ExceptionHandlerProvider;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The one place where what went wrong becomes what the client sees: a {@code google.rpc.Status} with
 * {@code ErrorInfo} (always), {@code BadRequest} and {@code RetryInfo} (where they apply). Anything unexpected is
 * logged with an error id and answered INTERNAL with only that id, so no stack trace or SQL ever leaves the server.
 */
@ApplicationScoped
public class ErrorMapping implements ExceptionHandlerProvider {

    public static final String DOMAIN = "parley.dev";
    private static final Logger LOG = Logger.getLogger(ErrorMapping.class);
    private static final Duration DATABASE_RETRY = Duration.ofSeconds(1);

    @Override
    public <ReqT, RespT> ExceptionHandler<ReqT, RespT> createHandler(ServerCall.Listener<ReqT> listener,
            ServerCall<ReqT, RespT> call, Metadata metadata) {
        return new ExceptionHandler<>(listener, call, metadata) {
            @Override
            protected void handleException(Throwable failure, ServerCall<ReqT, RespT> call, Metadata metadata) {
                if (isAlreadyAnswered(failure)) {
                    LOG.debugf("%s was already answered: %s", call.getMethodDescriptor().getFullMethodName(),
                            failure.getMessage());
                    return;
                }
                StatusException answer = toStatusException(failure);
                try {
                    call.close(answer.getStatus(), answer.getTrailers());
                } catch (IllegalStateException alreadyClosed) {
                    LOG.debugf("call %s already closed when %s", call.getMethodDescriptor().getFullMethodName(),
                            answer.getStatus());
                }
            }
        };
    }

    @Override
    public Throwable transform(Throwable failure) {
        return toStatusException(failure);
    }

    /** What the client receives for a failure, with the typed details in the trailers. */
    public static StatusException toStatusException(Throwable failure) {
        if (failure instanceof StatusException known) {
            return known;
        }
        if (failure instanceof StatusRuntimeException known) {
            return new StatusException(known.getStatus(), known.getTrailers());
        }
        if (failure instanceof ParleyException domain) {
            return toStatusException(domain);
        }
        if (isDatabaseUnreachable(failure)) {
            LOG.warnf("PostgreSQL unreachable or saturated: %s", rootMessage(failure));
            return toStatusException(ParleyException.unavailable("DATABASE_UNAVAILABLE",
                    "The database is unavailable, retry shortly", DATABASE_RETRY));
        }
        String errorId = UUID.randomUUID().toString();
        LOG.errorf(failure, "Unexpected failure, error id %s", errorId);
        return toStatusException(ParleyException.of(ErrorKind.INTERNAL, "INTERNAL",
                "Internal error (error id " + errorId + ")").with("error_id", errorId));
    }

    public static StatusException toStatusException(ParleyException failure) {
        Duration retryDelay = failure.retryDelay();
        var status = com.google.rpc.Status.newBuilder()
                .setCode(code(failure.kind()).value())
                .setMessage(failure.getMessage())
                .addDetails(Any.pack(ErrorInfo.newBuilder()
                        .setReason(failure.reason())
                        .setDomain(DOMAIN)
                        .putAllMetadata(failure.metadata())
                        .build()));
        if (!failure.violations().isEmpty()) {
            var badRequest = BadRequest.newBuilder();
            failure.violations().forEach(v -> badRequest.addFieldViolations(BadRequest.FieldViolation.newBuilder()
                    .setField(v.field()).setDescription(v.description())));
            status.addDetails(Any.pack(badRequest.build()));
        }
        if (retryDelay != null) {
            status.addDetails(Any.pack(RetryInfo.newBuilder()
                    .setRetryDelay(com.google.protobuf.Duration.newBuilder()
                            .setSeconds(retryDelay.getSeconds())
                            .setNanos(retryDelay.getNano()))
                    .build()));
        }
        return StatusProto.toStatusException(status.build());
    }

    /** The gRPC code of each kind of refusal: they carry the same names, as the API's error table does. */
    public static Status.Code code(ErrorKind kind) {
        return switch (kind) {
            case INVALID_ARGUMENT -> Status.Code.INVALID_ARGUMENT;
            case NOT_FOUND -> Status.Code.NOT_FOUND;
            case ALREADY_EXISTS -> Status.Code.ALREADY_EXISTS;
            case PERMISSION_DENIED -> Status.Code.PERMISSION_DENIED;
            case UNAUTHENTICATED -> Status.Code.UNAUTHENTICATED;
            case FAILED_PRECONDITION -> Status.Code.FAILED_PRECONDITION;
            case RESOURCE_EXHAUSTED -> Status.Code.RESOURCE_EXHAUSTED;
            case UNAVAILABLE -> Status.Code.UNAVAILABLE;
            case INTERNAL -> Status.Code.INTERNAL;
        };
    }

    /**
     * Vert.x answers some calls itself (a message over the size limit gets RESOURCE_EXHAUSTED) and then still lets
     * grpc-java's unary listener close the call again, which fails. The client already has its answer.
     */
    private static boolean isAlreadyAnswered(Throwable failure) {
        return failure instanceof IllegalStateException && failure.getMessage() != null
                && (failure.getMessage().contains("already sent") || failure.getMessage().contains("already closed"));
    }

    private static boolean isDatabaseUnreachable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof SQLTransientConnectionException
                    || t instanceof org.hibernate.exception.JDBCConnectionException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P0"))) {
                return true;
            }
            // Every pooled connection busy for the whole acquisition timeout (Agroal says so without an SQLState).
            if (t instanceof SQLException sql && sql.getMessage() != null
                    && sql.getMessage().contains("acquisition timeout")) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
