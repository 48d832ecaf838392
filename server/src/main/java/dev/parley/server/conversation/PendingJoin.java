package dev.parley.server.conversation;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.UUID;

/** Someone asking to join a private group, until an admin approves or rejects it. */
@Entity
@Table(name = "join_requests")
@IdClass(PendingJoin.Key.class)
class PendingJoin extends PanacheEntityBase {

    /** The composite key: conversation and account. */
    record Key(UUID conversationId, UUID accountId) implements Serializable {
        Key() {
            this(null, null);
        }
    }

    @Id
    @Column(name = "conversation_id")
    UUID conversationId;
    @Id
    @Column(name = "account_id")
    UUID accountId;
    @Column(name = "requested_at")
    Instant requestedAt;
}
