package dev.parley.loadgen;

import dev.parley.api.v1.AuthServiceGrpc;
import dev.parley.api.v1.ConversationServiceGrpc;
import dev.parley.api.v1.EventServiceGrpc;
import dev.parley.api.v1.LogInRequest;
import dev.parley.api.v1.MessageServiceGrpc;
import dev.parley.api.v1.SignUpRequest;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;

/**
 * One simulated person: an account, and an HTTP/2 channel of its own (users are never multiplexed), on the shared
 * event loops of {@link ClientChannels}.
 */
final class SimulatedUser implements AutoCloseable {

    static final String PASSWORD = "load generator passphrase";
    final String id;
    final ManagedChannel channel;
    private final Metadata auth = new Metadata();
    private final String accessToken;

    private SimulatedUser(String id, String accessToken, ManagedChannel channel) {
        this.id = id;
        this.accessToken = accessToken;
        this.channel = channel;
        auth.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + accessToken);
    }

    /**
     * Signs the named user up, or logs in when it exists from an earlier run. Signing up first means no failed
     * log-in is ever counted against this host's address.
     */
    static SimulatedUser as(String target, String name) {
        ManagedChannel channel = ClientChannels.open(target);
        var auth = AuthServiceGrpc.newBlockingStub(channel);
        try {
            var signUp = auth.signUp(SignUpRequest.newBuilder().setUsername(name).setEmail(name + "@loadgen.test")
                    .setPassword(PASSWORD).build());
            return new SimulatedUser(signUp.getUser().getId(), signUp.getTokens().getAccessToken(), channel);
        } catch (StatusRuntimeException exists) {
            if (exists.getStatus().getCode() != io.grpc.Status.Code.ALREADY_EXISTS) {
                throw exists;
            }
            var login = auth.logIn(LogInRequest.newBuilder().setLogin(name).setPassword(PASSWORD).build());
            return new SimulatedUser(login.getUser().getId(), login.getTokens().getAccessToken(), channel);
        }
    }

    MessageServiceGrpc.MessageServiceBlockingStub messages() {
        return authed(MessageServiceGrpc.newBlockingStub(channel));
    }

    MessageServiceGrpc.MessageServiceFutureStub messagesAsync() {
        return authed(MessageServiceGrpc.newFutureStub(channel));
    }

    ConversationServiceGrpc.ConversationServiceBlockingStub conversations() {
        return authed(ConversationServiceGrpc.newBlockingStub(channel));
    }

    dev.parley.api.v1.NotificationServiceGrpc.NotificationServiceBlockingStub notifications() {
        return authed(dev.parley.api.v1.NotificationServiceGrpc.newBlockingStub(channel));
    }

    EventServiceGrpc.EventServiceStub events() {
        return authed(EventServiceGrpc.newStub(channel));
    }

    /** The access token, for calls made over another transport (gRPC-Web). */
    String accessToken() {
        return accessToken;
    }

    /** The channel with this user's access token on every call, for calls made without a generated stub. */
    Channel authenticated() {
        return ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(auth));
    }

    private <S extends AbstractStub<S>> S authed(S stub) {
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(auth));
    }

    @Override
    public void close() {
        channel.shutdownNow();
    }
}
