package dev.parley.server.mail;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;

/**
 * Queues mail in the {@code mail_outbox} table. Nothing is logged: mail may carry a secret (a reset token), and a
 * log line outlives it; the relay logs each mail's id only.
 */
@ApplicationScoped
class OutboxMailSender implements MailSender {

    private final Clock clock;
    private final MailRelay relay;

    OutboxMailSender(Clock clock, MailRelay relay) {
        this.clock = clock;
        this.relay = relay;
    }

    @Override
    public void send(String recipient, String subject, String body, java.time.Instant discardAfter) {
        OutboxMail mail = new OutboxMail();
        mail.recipient = recipient;
        mail.subject = subject;
        mail.body = body;
        mail.createdAt = clock.instant();
        mail.nextAttemptAt = mail.createdAt;
        mail.expiresAt = discardAfter;
        mail.persist();
        relay.wakeAfterCommit();
    }
}
