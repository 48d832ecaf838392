package dev.parley.server.auth;

import dev.parley.server.common.Ids;
import dev.parley.server.common.ParleyException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.UUID;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.lang.JoseException;

/**
 * Access tokens: ES256 JWTs naming the account ({@code sub}) and the session ({@code sid}). Verification accepts
 * ES256 and nothing else, which shuts out {@code alg: none} and the HMAC-with-the-public-key confusion alike.
 */
@ApplicationScoped
class AccessTokens {

    private static final String ALGORITHM = AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256;

    /** A token whose signature and claims were checked once; only its expiry needs checking again. */
    private record Verified(UUID accountId, UUID sessionId, Instant expiresAt) {
    }

    /**
     * Checking an ES256 signature costs far more than the rest of a call, and a client sends the same token on
     * every call for its whole lifetime: each token is verified once and then found here by its exact text.
     */
    private static final int MAX_CACHED = 50_000;
    private final java.util.Map<String, Verified> verified = new java.util.concurrent.ConcurrentHashMap<>();
    private final SigningKeys keys;
    private final AuthConfig config;
    private final JwtConsumer consumer;
    private final java.time.Clock clock;

    AccessTokens(SigningKeys keys, AuthConfig config, java.time.Clock clock) {
        this.keys = keys;
        this.config = config;
        this.clock = clock;
        this.consumer = new JwtConsumerBuilder()
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, ALGORITHM)
                .setVerificationKey(keys.verifying())
                .setExpectedIssuer(config.issuer())
                .setRequireExpirationTime()
                .setRequireSubject()
                .setAllowedClockSkewInSeconds(0)
                .build();
    }

    record Issued(String token, Instant expiresAt) {
    }

    Issued issue(UUID accountId, UUID sessionId, Instant now) {
        Instant expiresAt = now.plus(config.accessTokenLifetime());
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(config.issuer());
        claims.setSubject(accountId.toString());
        claims.setClaim("sid", sessionId.toString());
        claims.setIssuedAt(NumericDate.fromMilliseconds(now.toEpochMilli()));
        claims.setExpirationTime(NumericDate.fromMilliseconds(expiresAt.toEpochMilli()));
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(keys.signing());
        jws.setAlgorithmHeaderValue(ALGORITHM);
        jws.setHeader("typ", "JWT");
        try {
            return new Issued(jws.getCompactSerialization(), expiresAt);
        } catch (JoseException e) {
            throw new IllegalStateException("cannot sign an access token", e);
        }
    }

    /** The account and session a token proves, or UNAUTHENTICATED saying why not. */
    Caller verify(String token, String clientAddress) {
        Verified known = verified.get(token);
        if (known != null) {
            if (!known.expiresAt().isAfter(clock.instant())) {
                verified.remove(token);
                throw ParleyException.unauthenticated("TOKEN_EXPIRED", "The access token has expired, refresh it");
            }
            return new Caller(known.accountId(), known.sessionId(), clientAddress, false);
        }
        try {
            JwtClaims claims = consumer.processToClaims(token);
            UUID account = Ids.parse(claims.getSubject()).orElseThrow(AccessTokens::invalid);
            UUID session = Ids.parse(claims.getStringClaimValue("sid")).orElseThrow(AccessTokens::invalid);
            remember(token, new Verified(account, session,
                    Instant.ofEpochMilli(claims.getExpirationTime().getValueInMillis())));
            return new Caller(account, session, clientAddress, false);
        } catch (InvalidJwtException e) {
            if (e.hasExpired()) {
                throw ParleyException.unauthenticated("TOKEN_EXPIRED", "The access token has expired, refresh it");
            }
            throw invalid();
        } catch (MalformedClaimException e) {
            throw invalid();
        }
    }

    private void remember(String token, Verified checked) {
        if (verified.size() >= MAX_CACHED) {
            Instant now = clock.instant();
            verified.values().removeIf(v -> !v.expiresAt().isAfter(now));
            if (verified.size() >= MAX_CACHED) {
                verified.clear();
            }
        }
        verified.put(token, checked);
    }

    private static ParleyException invalid() {
        return ParleyException.unauthenticated("TOKEN_INVALID", "The access token is not valid");
    }
}
