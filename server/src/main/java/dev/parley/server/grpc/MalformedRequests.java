package dev.parley.server.grpc;

import dev.parley.server.common.ErrorKind;
import dev.parley.server.common.ParleyException;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.spi.Prioritized;

/**
 * A request whose bytes are not the expected message (broken protobuf, or a string field that is not UTF-8) is the
 * client's mistake, not ours: it is answered INVALID_ARGUMENT, reason MALFORMED_REQUEST, and goes no further. Such a
 * request arrives as a {@code null} message ({@link ServiceDefinitions#standard}).
 */
@GlobalInterceptor
@ApplicationScoped
class MalformedRequests implements ServerInterceptor, Prioritized {

    /** Inside the request ids, outside everything that reads the message. */
    @Override
    public int getPriority() {
        return Integer.MAX_VALUE - 1;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        return new RefusingListener<>(call, next.startCall(call, headers)) {
            @Override
            ParleyException refusal(Q message) {
                return message != null ? null : ParleyException.of(ErrorKind.INVALID_ARGUMENT, "MALFORMED_REQUEST",
                        "The request is not a valid " + call.getMethodDescriptor().getFullMethodName()
                                + " request (bad protobuf, or text that is not UTF-8)");
            }
        };
    }
}
