package dev.parley.server.support;

import dev.parley.api.v1.AuthServiceGrpc;
import dev.parley.api.v1.UserServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import java.util.concurrent.TimeUnit;

/** Real gRPC stubs over a real HTTP/2 channel to the server under test, with or without a bearer token. */
public final class Api {

    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final Metadata.Key<String> FORWARDED_FOR =
            Metadata.Key.of("x-forwarded-for", Metadata.ASCII_STRING_MARSHALLER);
    private static final java.util.concurrent.atomic.AtomicInteger ADDRESSES =
            new java.util.concurrent.atomic.AtomicInteger();
    private static ManagedChannel shared;

    /** The test server's native gRPC port (quarkus.grpc.server.test-port); 8081 is its HTTP port. */
    public static final int GRPC_PORT = 9091;

    private Api() {
    }

    /** One channel for the whole run, like a real client process would keep. */
    public static synchronized ManagedChannel channel() {
        if (shared == null) {
            shared = channel("localhost", GRPC_PORT);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> shared.shutdownNow()));
        }
        return shared;
    }

    public static ManagedChannel channel(String host, int port) {
        return ManagedChannelBuilder.forAddress(host, port).usePlaintext().maxInboundMessageSize(16 << 20).build();
    }

    public static AuthServiceGrpc.AuthServiceBlockingStub auth() {
        return deadline(AuthServiceGrpc.newBlockingStub(channel()));
    }

    public static UserServiceGrpc.UserServiceBlockingStub users() {
        return deadline(UserServiceGrpc.newBlockingStub(channel()));
    }

    /** The stub, sending the access token as every real client does. */
    public static <S extends AbstractStub<S>> S withToken(S stub, String accessToken) {
        return withHeader(stub, AUTHORIZATION, "Bearer " + accessToken);
    }

    /** The stub, calling as if from another client address (the tests trust x-forwarded-for, as behind Envoy). */
    public static <S extends AbstractStub<S>> S from(S stub, String address) {
        return withHeader(stub, FORWARDED_FOR, address);
    }

    /** A client address no other call of the run has used, so that throttling of one test leaves others alone. */
    public static String freshAddress() {
        int n = ADDRESSES.incrementAndGet();
        return "198.51." + (n / 250) + "." + (n % 250 + 1);
    }

    public static <S extends AbstractStub<S>> S withHeader(S stub, Metadata.Key<String> key, String value) {
        Metadata headers = new Metadata();
        headers.put(key, value);
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    private static <S extends AbstractStub<S>> S deadline(S stub) {
        return stub.withDeadlineAfter(30, TimeUnit.SECONDS);
    }
}
