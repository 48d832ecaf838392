package dev.parley.server.auth;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A bot's token, kept only as its SHA-256. Works until revoked; its id stands for the session of its calls. */
@Entity
@Table(name = "bot_tokens")
class BotToken extends PanacheEntityBase {

    @Id
    UUID id;
    @Column(name = "bot_id")
    UUID botId;
    @Column(name = "token_hash")
    String tokenHash;
    @Column(name = "created_at")
    Instant createdAt;
    @Column(name = "revoked_at")
    Instant revokedAt;
}
