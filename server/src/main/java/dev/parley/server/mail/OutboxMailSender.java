package dev.parley.server.mail;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import org.jboss.logging.Logger;

/** The default sender: writes each message to the {@code mail_outbox} table and to the log. */
@DefaultBean
@ApplicationScoped
class OutboxMailSender implements MailSender {

    private static final Logger LOG = Logger.getLogger(OutboxMailSender.class);
    private final Clock clock;

    OutboxMailSender(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void send(String recipient, String subject, String body) {
        OutboxMail mail = new OutboxMail();
        mail.recipient = recipient;
        mail.subject = subject;
        mail.body = body;
        mail.createdAt = clock.instant();
        mail.persist();
        LOG.infof("Mail to %s: %s%n%s", recipient, subject, body);
    }
}
