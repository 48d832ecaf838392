package dev.parley.client;

import dev.parley.api.v1.AuthServiceGrpc;
import dev.parley.api.v1.RefreshSessionRequest;
import dev.parley.api.v1.SessionTokens;
import io.grpc.CallCredentials;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The signed-in session: puts the access token on every call and renews it shortly before it expires, so callers
 * never see TOKEN_EXPIRED. Renewal rotates the refresh token too; the owner hears of each new pair (to save it).
 */
final class TokenSession extends CallCredentials {

    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    /** Renew this long before expiry, so that a call never starts with a token about to lapse. */
    private static final Duration MARGIN = Duration.ofSeconds(30);
    private static final Pattern EXPIRY = Pattern.compile("\"exp\"\\s*:\\s*(\\d+)");

    private final AuthServiceGrpc.AuthServiceBlockingStub auth;
    private final Consumer<SessionTokens> changed;
    private final Clock clock = Clock.systemUTC();
    private volatile String accessToken;
    private volatile String refreshToken;
    private volatile Instant expiresAt;

    TokenSession(AuthServiceGrpc.AuthServiceBlockingStub auth, SessionTokens tokens, Consumer<SessionTokens> changed) {
        this.auth = auth;
        this.changed = changed;
        adopt(tokens);
    }

    @Override
    public void applyRequestMetadata(RequestInfo request, Executor executor, MetadataApplier applier) {
        executor.execute(() -> {
            try {
                Metadata headers = new Metadata();
                headers.put(AUTHORIZATION, "Bearer " + accessToken());
                applier.apply(headers);
            } catch (StatusRuntimeException refused) {
                applier.fail(refused.getStatus());
            } catch (RuntimeException broken) {
                applier.fail(Status.UNAUTHENTICATED.withDescription("cannot renew the session").withCause(broken));
            }
        });
    }

    /** A valid access token, renewed first when it is expired or about to be. */
    String accessToken() {
        if (expiresAt != Instant.MAX && clock.instant().isAfter(expiresAt.minus(MARGIN))) {
            refresh();
        }
        return accessToken;
    }

    String refreshToken() {
        return refreshToken;
    }

    /** Renews the tokens now (also after the server said TOKEN_EXPIRED); one renewal at a time. */
    synchronized void refresh() {
        if (expiresAt == Instant.MAX || clock.instant().isBefore(expiresAt.minus(MARGIN))) {
            return; // another caller renewed while this one waited
        }
        SessionTokens renewed = auth.withDeadlineAfter(10, TimeUnit.SECONDS).refreshSession(RefreshSessionRequest
                .newBuilder().setRefreshToken(refreshToken).build()).getTokens();
        adopt(renewed);
        changed.accept(renewed);
    }

    /** Marks the access token as unusable, so the next call renews it. */
    void expireNow() {
        if (expiresAt != Instant.MAX) {
            expiresAt = Instant.EPOCH;
        }
    }

    private void adopt(SessionTokens tokens) {
        accessToken = tokens.getAccessToken();
        refreshToken = tokens.getRefreshToken();
        expiresAt = tokens.hasAccessTokenExpireTime()
                ? Instant.ofEpochSecond(tokens.getAccessTokenExpireTime().getSeconds())
                : expiryOf(tokens.getAccessToken());
    }

    /**
     * The exp claim of a JWT (read, not verified: the server verifies), never for a bot token, or the epoch (so it
     * is renewed at once) when it cannot be read.
     */
    static Instant expiryOf(String jwt) {
        if (jwt.startsWith("pbt_")) {
            return Instant.MAX;
        }
        String[] parts = jwt.split("\\.");
        if (parts.length == 3) {
            try {
                String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
                Matcher exp = EXPIRY.matcher(payload);
                if (exp.find()) {
                    return Instant.ofEpochSecond(Long.parseLong(exp.group(1)));
                }
            } catch (IllegalArgumentException unreadable) {
                // treated as expired: the next call renews it
            }
        }
        return Instant.EPOCH;
    }
}
