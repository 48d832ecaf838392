package dev.parley.server.message;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.UUID;

/** One person's reaction with one emoji to one message; the key makes it one at most. */
@Entity
@Table(name = "reactions")
@IdClass(Reaction.Key.class)
class Reaction extends PanacheEntityBase {

    /** The composite key. */
    record Key(UUID messageId, UUID accountId, String emoji) implements Serializable {
        Key() {
            this(null, null, null);
        }
    }

    @Id
    @Column(name = "message_id")
    UUID messageId;
    @Id
    @Column(name = "account_id")
    UUID accountId;
    @Id
    String emoji;
    @Column(name = "created_at")
    Instant createdAt;
}
