package dev.parley.client;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ClientStreamTracer;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Watches every attempt of every call for the server refusing the access token as expired or as signed with a key
 * it no longer uses (after a key rotation), and marks the token stale; the service config retries such calls, and
 * the retry renews the token first. Sessions rest on refresh tokens, which no signing key affects.
 */
final class TokenRefusals implements ClientInterceptor {

    private static final Set<String> RENEWABLE = Set.of("TOKEN_EXPIRED", "TOKEN_INVALID");
    private final Supplier<TokenSession> session;

    TokenRefusals(Supplier<TokenSession> session) {
        this.session = session;
    }

    @Override
    public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
        return next.newCall(method, options.withStreamTracerFactory(new ClientStreamTracer.Factory() {
            @Override
            public ClientStreamTracer newClientStreamTracer(ClientStreamTracer.StreamInfo info, Metadata headers) {
                return new ClientStreamTracer() {
                    private volatile Metadata trailers = new Metadata();

                    @Override
                    public void inboundTrailers(Metadata received) {
                        trailers = received;
                    }

                    @Override
                    public void streamClosed(Status status) {
                        if (status.getCode() == Status.Code.UNAUTHENTICATED && RENEWABLE.contains(
                                ParleyException.from(status.asRuntimeException(trailers)).reason())) {
                            TokenSession current = session.get();
                            if (current != null) {
                                current.expireNow();
                            }
                        }
                    }
                };
            }
        }));
    }
}
