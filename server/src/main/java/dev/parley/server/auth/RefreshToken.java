package dev.parley.server.auth;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * A refresh token, kept only as its SHA-256 so a database leak yields nothing usable. Used ones stay until their
 * session ends: they are what lets a replayed, stolen token be recognised.
 */
@Entity
@Table(name = "refresh_tokens")
class RefreshToken extends PanacheEntityBase {

    @Id
    @Column(name = "token_hash")
    String tokenHash;
    @Column(name = "session_id")
    UUID sessionId;
    @Column(name = "created_at")
    Instant createdAt;
    @Column(name = "expires_at")
    Instant expiresAt;
    @Column(name = "used_at")
    Instant usedAt;
}
