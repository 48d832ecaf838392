package dev.parley.cli;

import dev.parley.client.ParleyException;
import io.grpc.Status;
import java.net.ConnectException;
import java.net.UnknownHostException;

/**
 * A failed command in one line a person can act on: the server's own words for what it refused, or, when it could
 * not be reached at all, which address was tried and why; never gRPC's exception text, which names the transport
 * rather than the problem.
 */
final class Failures {

    private Failures() {
    }

    /** The message after "parley: "; {@code target} is the server tried (null when none was). */
    static String describe(Exception failure, String target) {
        if (!(failure instanceof ParleyException refused)) {
            return failure.getMessage() != null ? failure.getMessage() : failure.toString();
        }
        if (unreachable(refused)) {
            return "cannot reach the server at " + target + " (" + why(refused) + "): is it running, and is "
                    + "--server (or $PARLEY_SERVER) right?";
        }
        StringBuilder text = new StringBuilder(refused.getCause() instanceof io.grpc.StatusRuntimeException s
                && s.getStatus().getDescription() != null ? s.getStatus().getDescription() : refused.getMessage());
        refused.fieldViolations().forEach((field, problem) -> text.append("\n  ").append(field).append(": ")
                .append(problem));
        refused.retryDelay().ifPresent(wait -> text.append("\n  try again in ").append(wait.toSeconds())
                .append(" s"));
        return text.toString();
    }

    /**
     * No connection, or no answer: UNAVAILABLE without a reason comes from the client's own transport (a server
     * that is up but cannot serve, its database down say, gives a reason and says so itself).
     */
    private static boolean unreachable(ParleyException refused) {
        return refused.code() == Status.Code.DEADLINE_EXCEEDED
                || refused.code() == Status.Code.UNAVAILABLE && refused.reason().isEmpty();
    }

    private static String why(ParleyException refused) {
        for (Throwable cause = refused; cause != null; cause = cause.getCause()) {
            if (cause instanceof UnknownHostException) {
                return "unknown host";
            }
            if (cause instanceof ConnectException) {
                return "connection refused";
            }
        }
        return refused.code() == Status.Code.DEADLINE_EXCEEDED ? "no answer in time" : "no connection";
    }
}
