package dev.parley.server.auth;

import dev.parley.server.grpc.Ids;
import dev.parley.server.grpc.ParleyException;
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

    private final SigningKeys keys;
    private final AuthConfig config;
    private final JwtConsumer consumer;

    AccessTokens(SigningKeys keys, AuthConfig config) {
        this.keys = keys;
        this.config = config;
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
        try {
            JwtClaims claims = consumer.processToClaims(token);
            UUID account = Ids.parse(claims.getSubject()).orElseThrow(AccessTokens::invalid);
            UUID session = Ids.parse(claims.getStringClaimValue("sid")).orElseThrow(AccessTokens::invalid);
            return new Caller(account, session, clientAddress);
        } catch (InvalidJwtException e) {
            if (e.hasExpired()) {
                throw ParleyException.unauthenticated("TOKEN_EXPIRED", "The access token has expired, refresh it");
            }
            throw invalid();
        } catch (MalformedClaimException e) {
            throw invalid();
        }
    }

    private static ParleyException invalid() {
        return ParleyException.unauthenticated("TOKEN_INVALID", "The access token is not valid");
    }
}
