package dev.parley.server.auth;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** One log-in of an account on one device; its tokens work until it expires or is revoked. */
@Entity
@Table(name = "sessions")
class AccountSession extends PanacheEntityBase {

    @Id
    UUID id;
    @Column(name = "account_id")
    UUID accountId;
    @Column(name = "device_name")
    String deviceName;
    @Column(name = "client_address")
    String clientAddress;
    @Column(name = "created_at")
    Instant createdAt;
    @Column(name = "refreshed_at")
    Instant refreshedAt;
    @Column(name = "expires_at")
    Instant expiresAt;
    @Column(name = "revoked_at")
    Instant revokedAt;
    @Column(name = "revoke_reason")
    String revokeReason;

    boolean openAt(Instant now) {
        return revokedAt == null && expiresAt.isAfter(now);
    }

    void revoke(Instant now, String reason) {
        if (revokedAt == null) {
            revokedAt = now;
            revokeReason = reason;
        }
    }

    static List<AccountSession> openOf(UUID accountId, Instant now) {
        return list("accountId = ?1 and revokedAt is null and expiresAt > ?2 order by refreshedAt desc", accountId,
                now);
    }
}
