package dev.parley.server.mail;

import dev.parley.server.common.AfterCommit;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Hands the outbox to the SMTP server. Every node relays: a node claims due rows with {@code for update skip
 * locked} and leases them by moving their next attempt past its send timeout, so two nodes never send the same
 * attempt. A mail the SMTP server accepted is deleted at once; a refused or timed-out one is retried with backoff
 * until it expires, and expired rows are deleted unsent, so no queued secret outlives the token it carries. Only mail
 * ids are logged, never addresses or bodies.
 */
@Startup
@ApplicationScoped
public class MailRelay {

    private static final Logger LOG = Logger.getLogger(MailRelay.class);
    private static final int BATCH = 20;
    private static final Duration FIRST_RETRY = Duration.ofSeconds(30);
    private static final Duration LONGEST_RETRY = Duration.ofMinutes(10);

    private record Queued(long id, String recipient, String subject, String body, int attempts) {
    }

    private final MailConfig config;
    private final ReactiveMailer mailer;
    private final DataSource database;
    private final TransactionSynchronizationRegistry transactions;
    private final Clock clock;
    private final ScheduledExecutorService runner = Executors.newSingleThreadScheduledExecutor(
            r -> new Thread(r, "parley-mail-relay"));

    MailRelay(MailConfig config, ReactiveMailer mailer, DataSource database,
            TransactionSynchronizationRegistry transactions, Clock clock) {
        this.config = config;
        this.mailer = mailer;
        this.database = database;
        this.transactions = transactions;
        this.clock = clock;
    }

    @PostConstruct
    void start() {
        if (config.smtpHost().isEmpty()) {
            LOG.info("No SMTP server configured (PARLEY_MAIL_SMTP_HOST): password reset mail is not sent; it waits "
                    + "in the mail_outbox table until its token expires");
        }
        long every = config.relayInterval().toMillis();
        runner.scheduleWithFixedDelay(this::relayDue, every, every, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        runner.shutdownNow();
    }

    /** Relays at once when the current transaction commits, instead of at the next round. */
    void wakeAfterCommit() {
        AfterCommit.run(transactions, () -> runner.execute(this::relayDue));
    }

    private void relayDue() {
        try {
            deleteExpired();
            if (config.smtpHost().isPresent()) {
                claim().forEach(this::relay);
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("mail relay round failed: %s", e.toString()); // the next round tries again
        }
    }

    private void relay(Queued mail) {
        try {
            mailer.send(Mail.withText(mail.recipient(), mail.subject(), mail.body()))
                    .await().atMost(config.sendTimeout());
            execute("delete from mail_outbox where id = ?", statement -> statement.setLong(1, mail.id()));
            LOG.infof("Mail %d handed to the SMTP server", mail.id());
        } catch (RuntimeException e) {
            Duration backoff = FIRST_RETRY.multipliedBy(1L << Math.min(mail.attempts() - 1, 10));
            Instant next = clock.instant().plus(backoff.compareTo(LONGEST_RETRY) > 0 ? LONGEST_RETRY : backoff);
            LOG.warnf("Mail %d not relayed (attempt %d, next at %s): %s", mail.id(), mail.attempts(), next,
                    e.toString());
            try {
                execute("update mail_outbox set next_attempt_at = ? where id = ?", statement -> {
                    statement.setTimestamp(1, Timestamp.from(next));
                    statement.setLong(2, mail.id());
                });
            } catch (SQLException ignored) {
                // the lease runs out and the row is due again anyway
            }
        } catch (SQLException e) {
            LOG.warnf("Mail %d relayed but not deleted, it may be sent again: %s", mail.id(), e.toString());
        }
    }

    /** Up to {@link #BATCH} due rows, leased to this node until well after its send timeout. */
    private List<Queued> claim() throws SQLException {
        Instant now = clock.instant();
        try (Connection connection = database.getConnection(); var query = connection.prepareStatement("""
                with due as (
                    select id from mail_outbox where next_attempt_at <= ? and expires_at > ?
                    order by id limit ? for update skip locked)
                update mail_outbox m set next_attempt_at = ?, attempts = m.attempts + 1
                from due where m.id = due.id
                returning m.id, m.recipient, m.subject, m.body, m.attempts""")) {
            query.setTimestamp(1, Timestamp.from(now));
            query.setTimestamp(2, Timestamp.from(now));
            query.setInt(3, BATCH);
            query.setTimestamp(4, Timestamp.from(now.plus(config.sendTimeout().multipliedBy(2))));
            List<Queued> claimed = new ArrayList<>();
            try (var rows = query.executeQuery()) {
                while (rows.next()) {
                    claimed.add(new Queued(rows.getLong(1), rows.getString(2), rows.getString(3), rows.getString(4),
                            rows.getInt(5)));
                }
            }
            return claimed;
        }
    }

    private void deleteExpired() throws SQLException {
        Instant now = clock.instant();
        execute("delete from mail_outbox where expires_at <= ?", statement -> statement.setTimestamp(1,
                Timestamp.from(now)));
    }

    private interface Parameters {
        void set(java.sql.PreparedStatement statement) throws SQLException;
    }

    private void execute(String sql, Parameters parameters) throws SQLException {
        try (Connection connection = database.getConnection(); var statement = connection.prepareStatement(sql)) {
            parameters.set(statement);
            statement.executeUpdate();
        }
    }
}
