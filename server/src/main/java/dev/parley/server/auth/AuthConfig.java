package dev.parley.server.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Token lifetimes, keys and log-in throttling, from {@code parley.auth.*} or {@code PARLEY_AUTH_*}. */
@ConfigMapping(prefix = "parley.auth")
public interface AuthConfig {

    /** How long an access token works. Short, because it is checked without the database. */
    @WithDefault("PT15M")
    Duration accessTokenLifetime();

    /** How long a refresh token (and so an idle session) lasts. */
    @WithDefault("P30D")
    Duration refreshTokenLifetime();

    /** How long a password reset token can be used. */
    @WithDefault("PT30M")
    Duration resetTokenLifetime();

    /** The {@code iss} claim written into and required from access tokens. */
    @WithDefault("parley")
    String issuer();

    /** Failed log-ins allowed per account, and per client address, in one window. */
    @WithDefault("10")
    int loginAttempts();

    /** The window of {@link #loginAttempts()}. */
    @WithDefault("PT5M")
    Duration loginWindow();

    /** Accounts one client address may create in one {@link #addressWindow()}. */
    @WithDefault("20")
    int signUpsPerAddress();

    /** Password reset mails one client address may ask for in one {@link #addressWindow()}. */
    @WithDefault("5")
    int resetRequestsPerAddress();

    /** The window of {@link #signUpsPerAddress()} and {@link #resetRequestsPerAddress()}. */
    @WithDefault("PT1H")
    Duration addressWindow();

    /**
     * How often every node reads what was revoked since its last look, so that a revocation whose bus notice was
     * lost still ends its sessions' calls and streams there, this long after at most (plus a query).
     */
    @WithDefault("PT2S")
    Duration revocationCheckInterval();

    /**
     * Whether to take the client address from the last {@code x-forwarded-for} entry, which is right only behind a
     * proxy (Envoy) that appends the real peer; otherwise a client could pick its own address and dodge throttling.
     */
    @WithDefault("false")
    boolean trustForwardedFor();

    /** Signing key files; without them a key is generated once and kept in the database, shared by all nodes. */
    Jwt jwt();

    interface Jwt {
        /** PKCS#8 PEM file of the EC P-256 private key. */
        Optional<Path> privateKeyPath();

        /** X.509 PEM file of the matching public key. */
        Optional<Path> publicKeyPath();
    }
}
