package dev.parley.server.mail;

/**
 * Sends a message to a person's e-mail address. The default keeps it in the outbox table and the log; a deployment
 * with real mail provides another bean of this type.
 */
public interface MailSender {

    /** Called inside the transaction of the change that sends it, so a rolled-back change sends nothing. */
    void send(String recipient, String subject, String body);
}
