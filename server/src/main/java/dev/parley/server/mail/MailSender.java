package dev.parley.server.mail;

import java.time.Instant;

/**
 * Sends a message to a person's e-mail address: it is queued in the {@code mail_outbox} table, in the caller's
 * transaction, and {@link MailRelay} hands it to the SMTP server after commit. Mail carrying a secret says when the
 * secret stops working; the queued copy is deleted then, sent or not.
 */
public interface MailSender {

    /** Called inside the transaction of the change that sends it, so a rolled-back change sends nothing. */
    void send(String recipient, String subject, String body, Instant discardAfter);
}
