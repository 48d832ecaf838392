package dev.parley.server.grpc;

import dev.parley.server.common.ErrorKind;
import dev.parley.server.common.ParleyException;
import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusException;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * A request whose bytes are not the expected message (broken protobuf, or a string field that is not UTF-8) is
 * dropped by the Vert.x transport before any handler sees it, and grpc-java then ends the call as INTERNAL "Half-closed
 * without a request". That is the client's mistake, not ours: it is answered INVALID_ARGUMENT, reason
 * MALFORMED_REQUEST.
 */
@GlobalInterceptor
@ApplicationScoped
class MalformedRequests implements ServerInterceptor {

    private static final String SYMPTOM = "Half-closed without a request";

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        return next.startCall(new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
            @Override
            public void close(Status status, Metadata trailers) {
                if (status.getCode() == Status.Code.INTERNAL && SYMPTOM.equals(status.getDescription())) {
                    StatusException answer = ErrorMapping.toStatusException(ParleyException.of(
                            ErrorKind.INVALID_ARGUMENT, "MALFORMED_REQUEST", "The request is not a valid "
                                    + call.getMethodDescriptor().getFullMethodName() + " request (bad protobuf, or text "
                                    + "that is not UTF-8)"));
                    super.close(answer.getStatus(), answer.getTrailers());
                } else {
                    super.close(status, trailers);
                }
            }
        }, headers);
    }
}
