package dev.parley.server.auth;

import dev.parley.server.common.ParleyException;
import dev.parley.server.grpc.ErrorMapping;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.StatusException;
import io.quarkus.grpc.GlobalInterceptor;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.time.Duration;
import java.util.Set;

/**
 * Requires a valid access token of an open session on every call except the few that exist to obtain one, and the
 * health and reflection services that generic tools use. Closed by default: a new RPC is protected unless it is
 * added to {@link #PUBLIC_METHODS}. The check is CPU-only (signature and an in-memory revocation set), so it runs
 * on the I/O thread without a database read.
 */
@GlobalInterceptor
@ApplicationScoped
class AuthInterceptor implements ServerInterceptor {

    static final Set<String> PUBLIC_METHODS = Set.of(
            "parley.v1.AuthService/SignUp",
            "parley.v1.AuthService/LogIn",
            "parley.v1.AuthService/RefreshSession",
            "parley.v1.AuthService/RequestPasswordReset",
            "parley.v1.AuthService/ResetPassword");
    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private final AccessTokens tokens;
    private final RevokedSessions revoked;
    private final ClientAddresses addresses;
    private final BotTokens bots;
    /** Set once every start-up bean (signing keys, revocations, bot tokens) has loaded from the database. */
    private volatile boolean started;

    AuthInterceptor(AccessTokens tokens, RevokedSessions revoked, ClientAddresses addresses, BotTokens bots) {
        this.tokens = tokens;
        this.bots = bots;
        this.revoked = revoked;
        this.addresses = addresses;
    }

    /**
     * The native gRPC port listens (and health says SERVING) before start-up completes. A call that needs a token
     * in that second makes the beans that check tokens load from the database on the thread it runs on: a worker
     * thread may, an event loop (SendMessage starts there) may not, so such a call is answered UNAVAILABLE
     * (SERVER_STARTING, with RetryInfo) instead, which clients retry.
     */
    void started(@Observes @Priority(Interceptor.Priority.PLATFORM_AFTER + 1000) StartupEvent event) {
        started = true;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        String address = addresses.of(call, headers);
        Context context = Context.current().withValue(Caller.ADDRESS, address);
        if (isPublic(call.getMethodDescriptor().getFullMethodName(), call.getMethodDescriptor().getServiceName())) {
            return Contexts.interceptCall(context, call, headers, next);
        }
        try {
            if (!started && io.vertx.core.Context.isOnEventLoopThread()) {
                throw ParleyException.unavailable("SERVER_STARTING", "This server is starting, retry shortly",
                        Duration.ofMillis(500));
            }
            Caller caller = authenticate(headers.get(AUTHORIZATION), address);
            return Contexts.interceptCall(context.withValue(Caller.KEY, caller), call, headers, next);
        } catch (ParleyException refused) {
            StatusException answer = ErrorMapping.toStatusException(refused);
            call.close(answer.getStatus(), answer.getTrailers());
            return new ServerCall.Listener<>() {
            };
        }
    }

    private Caller authenticate(String authorization, String address) {
        if (authorization == null || authorization.isBlank()) {
            throw ParleyException.unauthenticated("TOKEN_MISSING",
                    "This call needs an access token in the authorization metadata, as 'Bearer <token>'");
        }
        if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw ParleyException.unauthenticated("TOKEN_INVALID", "The authorization metadata must be 'Bearer <access token>'");
        }
        String token = authorization.substring(7).trim();
        Caller caller = bots.looksLikeBotToken(token) ? bots.verify(token, address) : tokens.verify(token, address);
        if (revoked.isRevoked(caller.sessionId())) {
            throw ParleyException.unauthenticated("SESSION_REVOKED", "This session has ended, log in again");
        }
        return caller;
    }

    private static boolean isPublic(String method, String service) {
        return PUBLIC_METHODS.contains(method) || service.startsWith("grpc.health.")
                || service.startsWith("grpc.reflection.");
    }
}
