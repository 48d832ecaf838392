package dev.parley.server.mail;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * Outgoing mail, from {@code parley.mail.*} or {@code PARLEY_MAIL_*}. The SMTP connection itself (port, sender,
 * credentials, STARTTLS) is the Quarkus mailer's, set from {@code PARLEY_MAIL_SMTP_*} in application.properties.
 */
@ConfigMapping(prefix = "parley.mail")
public interface MailConfig {

    /** The SMTP server that takes Parley's mail. Without one, mail waits in the outbox until it expires, unsent. */
    Optional<String> smtpHost();

    /** How often the relay looks for mail due, besides right after each commit that queues some. */
    @WithDefault("PT5S")
    Duration relayInterval();

    /** Longest one hand-over to the SMTP server may take before it counts as failed and is retried. */
    @WithDefault("PT30S")
    Duration sendTimeout();
}
