package dev.parley.server.auth;

import static dev.parley.server.grpc.Replies.reply;

import dev.parley.api.v1.AuthServiceGrpc;
import dev.parley.api.v1.ChangePasswordRequest;
import dev.parley.api.v1.ChangePasswordResponse;
import dev.parley.api.v1.ListSessionsRequest;
import dev.parley.api.v1.ListSessionsResponse;
import dev.parley.api.v1.LogInRequest;
import dev.parley.api.v1.LogInResponse;
import dev.parley.api.v1.LogOutRequest;
import dev.parley.api.v1.LogOutResponse;
import dev.parley.api.v1.RefreshSessionRequest;
import dev.parley.api.v1.RefreshSessionResponse;
import dev.parley.api.v1.RequestPasswordResetRequest;
import dev.parley.api.v1.RequestPasswordResetResponse;
import dev.parley.api.v1.ResetPasswordRequest;
import dev.parley.api.v1.ResetPasswordResponse;
import dev.parley.api.v1.RevokeSessionRequest;
import dev.parley.api.v1.RevokeSessionResponse;
import dev.parley.api.v1.Session;
import dev.parley.api.v1.SessionTokens;
import dev.parley.api.v1.SignUpRequest;
import dev.parley.api.v1.SignUpResponse;
import dev.parley.server.account.UserViews;
import dev.parley.server.common.Ids;
import dev.parley.server.common.ParleyException;
import dev.parley.server.grpc.ProtoTime;
import dev.parley.server.grpc.ServiceDefinitions;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.common.annotation.NonBlocking;

/**
 * AuthService over gRPC: parses, calls the domain, maps. The calls anyone can make without an account run on
 * virtual threads ({@link StrangerCalls}), the others on worker threads.
 */
@GrpcService
@Blocking
class AuthGrpcService extends AuthServiceGrpc.AuthServiceImplBase {

    /** The generated definition, with the house's request parsing (malformed requests: INVALID_ARGUMENT). */
    @Override
    public ServerServiceDefinition bindService() {
        return ServiceDefinitions.standard(super.bindService());
    }

    private final Accounts accounts;
    private final Sessions sessions;
    private final PasswordResets resets;

    AuthGrpcService(Accounts accounts, Sessions sessions, PasswordResets resets) {
        this.accounts = accounts;
        this.sessions = sessions;
        this.resets = resets;
    }

    @Override
    @NonBlocking
    public void signUp(SignUpRequest request, StreamObserver<SignUpResponse> response) {
        StrangerCalls.answer(response, () -> {
            Accounts.SignedIn signedIn = accounts.signUp(request.getUsername().strip(), request.getEmail().strip(),
                    request.getDisplayName(), request.getPassword(), request.getDeviceName().strip());
            return SignUpResponse.newBuilder()
                    .setUser(UserViews.ofSelf(signedIn.account()))
                    .setTokens(tokens(signedIn.session()))
                    .build();
        });
    }

    @Override
    @NonBlocking
    public void logIn(LogInRequest request, StreamObserver<LogInResponse> response) {
        StrangerCalls.answer(response, () -> {
            Accounts.SignedIn signedIn = accounts.logIn(request.getLogin(), request.getPassword(),
                    request.getDeviceName().strip());
            return LogInResponse.newBuilder()
                    .setUser(UserViews.ofSelf(signedIn.account()))
                    .setTokens(tokens(signedIn.session()))
                    .build();
        });
    }

    @Override
    public void refreshSession(RefreshSessionRequest request, StreamObserver<RefreshSessionResponse> response) {
        if (request.getRefreshToken().isBlank()) {
            throw ParleyException.invalid("INVALID_FIELDS", "refresh_token", "is required");
        }
        reply(response, RefreshSessionResponse.newBuilder()
                .setTokens(tokens(sessions.refresh(request.getRefreshToken().strip())))
                .build());
    }

    @Override
    public void logOut(LogOutRequest request, StreamObserver<LogOutResponse> response) {
        Caller caller = Caller.current();
        sessions.end(caller.accountId(), caller.sessionId(), "logged out");
        reply(response, LogOutResponse.getDefaultInstance());
    }

    @Override
    public void listSessions(ListSessionsRequest request, StreamObserver<ListSessionsResponse> response) {
        Caller caller = Caller.current();
        var list = ListSessionsResponse.newBuilder();
        for (AccountSession session : sessions.openOf(caller.accountId())) {
            list.addSessions(Session.newBuilder()
                    .setId(session.id.toString())
                    .setDeviceName(session.deviceName)
                    .setClientAddress(session.clientAddress)
                    .setCreateTime(ProtoTime.of(session.createdAt))
                    .setRefreshTime(ProtoTime.of(session.refreshedAt))
                    .setExpireTime(ProtoTime.of(session.expiresAt))
                    .setCurrent(session.id.equals(caller.sessionId())));
        }
        reply(response, list.build());
    }

    @Override
    public void revokeSession(RevokeSessionRequest request, StreamObserver<RevokeSessionResponse> response) {
        Caller caller = Caller.current();
        sessions.end(caller.accountId(), Ids.require(request.getSessionId(), "session_id"), "revoked");
        reply(response, RevokeSessionResponse.getDefaultInstance());
    }

    @Override
    @NonBlocking
    public void requestPasswordReset(RequestPasswordResetRequest request,
            StreamObserver<RequestPasswordResetResponse> response) {
        StrangerCalls.answer(response, () -> {
            resets.request(request.getEmail());
            return RequestPasswordResetResponse.getDefaultInstance();
        });
    }

    @Override
    @NonBlocking
    public void resetPassword(ResetPasswordRequest request, StreamObserver<ResetPasswordResponse> response) {
        StrangerCalls.answer(response, () -> {
            resets.reset(request.getResetToken(), request.getNewPassword());
            return ResetPasswordResponse.getDefaultInstance();
        });
    }

    @Override
    public void changePassword(ChangePasswordRequest request, StreamObserver<ChangePasswordResponse> response) {
        accounts.changePassword(Caller.current(), request.getCurrentPassword(), request.getNewPassword());
        reply(response, ChangePasswordResponse.getDefaultInstance());
    }

    private static SessionTokens tokens(Sessions.Issued issued) {
        return SessionTokens.newBuilder()
                .setAccessToken(issued.access().token())
                .setAccessTokenExpireTime(ProtoTime.of(issued.access().expiresAt()))
                .setRefreshToken(issued.refreshToken())
                .setRefreshTokenExpireTime(ProtoTime.of(issued.refreshExpiresAt()))
                .setSessionId(issued.sessionId().toString())
                .build();
    }
}
