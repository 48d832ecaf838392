package dev.parley.server.auth;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A single-use password reset token, kept only as its SHA-256. */
@Entity
@Table(name = "password_reset_tokens")
class PasswordResetToken extends PanacheEntityBase {

    @Id
    @Column(name = "token_hash")
    String tokenHash;
    @Column(name = "account_id")
    UUID accountId;
    @Column(name = "created_at")
    Instant createdAt;
    @Column(name = "expires_at")
    Instant expiresAt;
    @Column(name = "used_at")
    Instant usedAt;

    boolean usableAt(Instant now) {
        return usedAt == null && expiresAt.isAfter(now);
    }
}
