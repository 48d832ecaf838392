package dev.parley.server.auth;

import static dev.parley.server.support.Errors.assertFails;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.api.v1.GetMeRequest;
import dev.parley.server.support.Api;
import dev.parley.server.support.TestServices;
import dev.parley.server.support.TestUsers;
import io.grpc.Metadata;
import io.grpc.Status;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Base64;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.Test;

/** The token check, from the side of someone trying to get past it. */
@QuarkusTest
class AccessTokenTest {

    @Test
    void callsWithoutATokenAreUnauthenticated() {
        assertFails(Status.Code.UNAUTHENTICATED, "TOKEN_MISSING",
                () -> Api.users().getMe(GetMeRequest.getDefaultInstance()));
    }

    @Test
    void anAuthorizationThatIsNotBearerIsRefused() {
        var basic = Api.withHeader(Api.users(), Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
                "Basic YWxpY2U6c2VjcmV0");
        assertFails(Status.Code.UNAUTHENTICATED, "TOKEN_INVALID", () -> basic.getMe(GetMeRequest.getDefaultInstance()));
        assertFails(Status.Code.UNAUTHENTICATED, "TOKEN_INVALID",
                () -> Api.withToken(Api.users(), "not-a-jwt").getMe(GetMeRequest.getDefaultInstance()));
    }

    @Test
    void aTokenSignedWithAnotherKeyIsRefused() throws Exception {
        var ivan = TestUsers.signUp("ivan");
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));

        String forged = sign(claimsFor(ivan, Instant.now().plusSeconds(600)), generator.generateKeyPair().getPrivate(),
                AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);

        assertFails(Status.Code.UNAUTHENTICATED, "TOKEN_INVALID", () -> getMe(forged));
    }

    @Test
    void aTokenWithAlgNoneIsRefused() throws Exception {
        var judy = TestUsers.signUp("judy");
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claimsFor(judy, Instant.now().plusSeconds(600)).toJson());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.NONE);
        jws.setAlgorithmConstraints(AlgorithmConstraints.NO_CONSTRAINTS);
        String unsigned = jws.getCompactSerialization();

        assertThat(unsigned).endsWith(".");
        assertFails(Status.Code.UNAUTHENTICATED, "TOKEN_INVALID", () -> getMe(unsigned));
    }

    @Test
    void anHmacTokenKeyedWithThePublicKeyIsRefused() throws Exception {
        var kim = TestUsers.signUp("kim");
        byte[] publicKey = storedKey("public_key").getBytes(StandardCharsets.US_ASCII);
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claimsFor(kim, Instant.now().plusSeconds(600)).toJson());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
        jws.setKey(new HmacKey(publicKey));
        jws.setDoKeyValidation(false);
        String confused = jws.getCompactSerialization();

        assertFails(Status.Code.UNAUTHENTICATED, "TOKEN_INVALID", () -> getMe(confused));
    }

    @Test
    void aTokenWhosePayloadWasChangedIsRefused() {
        var leo = TestUsers.signUp("leo");
        var mia = TestUsers.signUp("mia");
        String[] parts = leo.tokens().getAccessToken().split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace(leo.id(), mia.id());
        String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];

        assertFails(Status.Code.UNAUTHENTICATED, "TOKEN_INVALID", () -> getMe(tampered));
    }

    @Test
    void aGenuineTokenPastItsExpiryIsExpired() throws Exception {
        var nina = TestUsers.signUp("nina");
        PrivateKey serverKey = KeyFactory.getInstance("EC").generatePrivate(
                new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(storedKey("private_key"))));
        String expired = sign(claimsFor(nina, Instant.now().minusSeconds(5)), serverKey,
                AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);

        assertFails(Status.Code.UNAUTHENTICATED, "TOKEN_EXPIRED", () -> getMe(expired));
    }

    private static void getMe(String token) {
        Api.withToken(Api.users(), token).getMe(GetMeRequest.getDefaultInstance());
    }

    private static JwtClaims claimsFor(TestUsers.TestUser user, Instant expiry) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer("parley");
        claims.setSubject(user.id());
        claims.setClaim("sid", user.tokens().getSessionId());
        claims.setIssuedAt(NumericDate.fromMilliseconds(expiry.minusSeconds(900).toEpochMilli()));
        claims.setExpirationTime(NumericDate.fromMilliseconds(expiry.toEpochMilli()));
        return claims;
    }

    private static String sign(JwtClaims claims, PrivateKey key, String algorithm) throws Exception {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key);
        jws.setAlgorithmHeaderValue(algorithm);
        return jws.getCompactSerialization();
    }

    private static String storedKey(String column) throws Exception {
        try (Connection connection = TestServices.connect();
                ResultSet row = connection.createStatement().executeQuery("select " + column + " from signing_keys")) {
            row.next();
            return row.getString(1);
        }
    }
}
