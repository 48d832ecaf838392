package dev.parley.server.mail;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A message waiting for the SMTP relay; deleted once the mail server took it, or once it expires. */
@Entity
@Table(name = "mail_outbox")
class OutboxMail extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    Long id;
    String recipient;
    String subject;
    String body;
    @Column(name = "created_at")
    Instant createdAt;
    /** When the secret the mail carries stops working: the row is deleted then, relayed or not. */
    @Column(name = "expires_at")
    Instant expiresAt;
    /** The next relay attempt; also the lease of a relay that took the row, moved past its send timeout. */
    @Column(name = "next_attempt_at")
    Instant nextAttemptAt;
    int attempts;
}
