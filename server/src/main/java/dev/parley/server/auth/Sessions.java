package dev.parley.server.auth;

import dev.parley.server.account.Account;
import dev.parley.server.common.AfterCommit;
import dev.parley.server.common.ParleyException;
import dev.parley.server.common.SecretTokens;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Opening, refreshing and ending sessions. A session's refresh token is rotated on every use; the used one is kept,
 * so that if it is ever presented again, which only a copy held by someone else can do, the whole session ends.
 */
@ApplicationScoped
public class Sessions {

    /** A session just opened or refreshed, with the secrets to hand to the client once. */
    public record Issued(UUID sessionId, AccessTokens.Issued access, String refreshToken, Instant refreshExpiresAt) {
    }

    private final AccessTokens accessTokens;
    private final RevokedSessions revoked;
    private final AuthConfig config;
    private final Clock clock;
    private final TransactionSynchronizationRegistry transactions;

    Sessions(AccessTokens accessTokens, RevokedSessions revoked, AuthConfig config, Clock clock,
            TransactionSynchronizationRegistry transactions) {
        this.accessTokens = accessTokens;
        this.revoked = revoked;
        this.config = config;
        this.clock = clock;
        this.transactions = transactions;
    }

    /** Opens a session for the account; runs in the caller's transaction. */
    Issued open(Account account, String deviceName, String clientAddress) {
        Instant now = clock.instant();
        AccountSession session = new AccountSession();
        session.id = UUID.randomUUID();
        session.accountId = account.id;
        session.deviceName = deviceName;
        session.clientAddress = clientAddress;
        session.createdAt = now;
        session.refreshedAt = now;
        session.expiresAt = now.plus(config.refreshTokenLifetime());
        session.persist();
        return rotate(session, now);
    }

    /** New tokens for the refresh token's session, or UNAUTHENTICATED; a reused token ends the session first. */
    Issued refresh(String refreshToken) {
        record Outcome(Issued issued, ParleyException refusal, UUID ended) {
        }
        Outcome outcome = QuarkusTransaction.requiringNew().call(() -> {
            Instant now = clock.instant();
            RefreshToken token = RefreshToken.findById(SecretTokens.hash(refreshToken), LockModeType.PESSIMISTIC_WRITE);
            if (token == null) {
                return new Outcome(null, invalidRefresh(), null);
            }
            AccountSession session = AccountSession.findById(token.sessionId, LockModeType.PESSIMISTIC_WRITE);
            if (!session.openAt(now)) {
                return new Outcome(null, sessionEnded(), null);
            }
            if (token.usedAt != null) {
                session.revoke(now, "refresh token reused");
                return new Outcome(null, ParleyException.unauthenticated("REFRESH_TOKEN_REUSED",
                        "This refresh token was already used, so the session has been ended. Log in again"), session.id);
            }
            if (!token.expiresAt.isAfter(now)) {
                return new Outcome(null, ParleyException.unauthenticated("TOKEN_EXPIRED",
                        "The refresh token has expired, log in again"), null);
            }
            token.usedAt = now;
            return new Outcome(rotate(session, now), null, null);
        });
        if (outcome.ended() != null) {
            revoked.announce(List.of(outcome.ended()));
        }
        if (outcome.refusal() != null) {
            throw outcome.refusal();
        }
        return outcome.issued();
    }

    /** The account's open sessions, most recently refreshed first. */
    List<AccountSession> openOf(UUID accountId) {
        return QuarkusTransaction.requiringNew().call(() -> AccountSession.openOf(accountId, clock.instant()));
    }

    /** Ends one session of the account; NOT_FOUND if it is not the account's or has already ended. */
    void end(UUID accountId, UUID sessionId, String reason) {
        QuarkusTransaction.requiringNew().run(() -> {
            AccountSession session = AccountSession.findById(sessionId, LockModeType.PESSIMISTIC_WRITE);
            if (session == null || !session.accountId.equals(accountId) || !session.openAt(clock.instant())) {
                throw ParleyException.notFound("Session " + sessionId);
            }
            session.revoke(clock.instant(), reason);
            announceAfterCommit(List.of(sessionId));
        });
    }

    /**
     * Ends every open session of an account, except one if given; runs in the caller's transaction and makes the
     * ended sessions fail everywhere once it commits.
     */
    public void endAll(UUID accountId, Optional<UUID> except, String reason) {
        Instant now = clock.instant();
        List<UUID> ended = AccountSession.openOf(accountId, now).stream()
                .filter(session -> except.map(id -> !id.equals(session.id)).orElse(true))
                .peek(session -> session.revoke(now, reason))
                .map(session -> session.id)
                .toList();
        announceAfterCommit(ended);
    }

    private Issued rotate(AccountSession session, Instant now) {
        String refreshToken = SecretTokens.generate();
        RefreshToken stored = new RefreshToken();
        stored.tokenHash = SecretTokens.hash(refreshToken);
        stored.sessionId = session.id;
        stored.createdAt = now;
        stored.expiresAt = now.plus(config.refreshTokenLifetime());
        stored.persist();
        session.refreshedAt = now;
        session.expiresAt = stored.expiresAt;
        return new Issued(session.id, accessTokens.issue(session.accountId, session.id, now), refreshToken,
                stored.expiresAt);
    }

    private void announceAfterCommit(List<UUID> sessionIds) {
        if (sessionIds.isEmpty()) {
            return;
        }
        AfterCommit.run(transactions, () -> revoked.announce(sessionIds));
    }

    private static ParleyException invalidRefresh() {
        return ParleyException.unauthenticated("TOKEN_INVALID", "The refresh token is not valid");
    }

    private static ParleyException sessionEnded() {
        return ParleyException.unauthenticated("SESSION_REVOKED", "This session has ended, log in again");
    }
}
