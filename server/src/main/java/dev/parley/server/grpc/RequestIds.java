package dev.parley.server.grpc;

import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.spi.Prioritized;
import java.util.UUID;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * Gives every call a request id: the x-request-id Envoy set (so proxy and server logs join), else a new one. It is
 * in the log's MDC (request_id) for everything logged while handling the call (Quarkus keeps the MDC with the
 * call's Vert.x context, across the hop to a worker thread), it is sent back in the response headers, and with
 * PARLEY_LOG_CALLS=true each call ends with one log line: method, status, milliseconds.
 */
@GlobalInterceptor
@ApplicationScoped
class RequestIds implements ServerInterceptor, Prioritized {

    private static final Logger LOG = Logger.getLogger("parley.calls");
    private static final Metadata.Key<String> REQUEST_ID = Metadata.Key.of("x-request-id",
            Metadata.ASCII_STRING_MARSHALLER);
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:-]{1,100}");

    private final boolean logCalls;

    RequestIds(@ConfigProperty(name = "parley.log.calls") boolean logCalls) {
        this.logCalls = logCalls;
    }

    /** Outermost of all interceptors, so that every way a call ends (auth refusal, error mapping) is logged. */
    @Override
    public int getPriority() {
        return Integer.MAX_VALUE;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        String given = headers.get(REQUEST_ID);
        String id = given != null && SAFE.matcher(given).matches() ? given : UUID.randomUUID().toString();
        MDC.put("request_id", id);
        long started = System.nanoTime();
        return next.startCall(new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
            @Override
            public void sendHeaders(Metadata responseHeaders) {
                responseHeaders.put(REQUEST_ID, id);
                super.sendHeaders(responseHeaders);
            }

            @Override
            public void close(Status status, Metadata trailers) {
                if (logCalls) {
                    MDC.put("request_id", id);
                    LOG.infof("%s %s %d ms", call.getMethodDescriptor().getFullMethodName(), status.getCode(),
                            (System.nanoTime() - started) / 1_000_000);
                }
                super.close(status, trailers);
            }
        }, headers);
    }
}
