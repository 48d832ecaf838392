package dev.parley.server.notification;

import dev.parley.api.v1.Presence;
import dev.parley.api.v1.PresenceState;
import dev.parley.server.common.AdvisoryLocks;
import dev.parley.server.live.PresenceSource;
import dev.parley.server.mail.MailSender;
import dev.parley.server.web.WebConfig;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.hibernate.Session;
import org.jboss.logging.Logger;

/**
 * E-mail digests for people who turned them on (NotificationSettings.email_digest): every digest interval one node
 * (an advisory lock) finds those offline longer than their setting with unread mentions or direct messages newer
 * than their last digest, and queues one mail each through the mail outbox, in the transaction that remembers what
 * it listed, so a digest is neither lost nor sent twice.
 */
@ApplicationScoped
class MailDigests {

    private static final Logger LOG = Logger.getLogger(MailDigests.class);
    /** The advisory lock key of digests: "digest" in ASCII. */
    private static final long LOCK = 0x646967657374L;
    static final int MOST_ITEMS = 20;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    private final EntityManager entities;
    private final MailSender mail;
    private final PresenceSource presence;
    private final NotificationConfig config;
    private final String appUrl;
    private final Clock clock;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("parley-mail-digests").daemon().factory());

    MailDigests(EntityManager entities, MailSender mail, PresenceSource presence, NotificationConfig config,
            WebConfig web, Clock clock) {
        this.entities = entities;
        this.mail = mail;
        this.presence = presence;
        this.config = config;
        this.appUrl = web.publicUrl().replaceAll("/+$", "") + "/";
        this.clock = clock;
    }

    void start(@Observes StartupEvent started) {
        long every = config.digestInterval().toMillis();
        timer.scheduleWithFixedDelay(this::round, every, every, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        timer.shutdownNow();
    }

    private void round() {
        try {
            QuarkusTransaction.requiringNew().run(this::sendDue);
        } catch (RuntimeException e) {
            LOG.warnf("mail digests failed: %s", e.toString()); // the next round tries again
        }
    }

    private void sendDue() {
        boolean mine = entities.unwrap(Session.class).doReturningWork(c -> AdvisoryLocks.tryForTransaction(c, LOCK));
        if (!mine) {
            return;
        }
        @SuppressWarnings("unchecked")
        List<Object[]> candidates = entities.createNativeQuery("""
                select a.id, a.email, a.display_name, a.email_digest_after_seconds, a.last_digest_through
                  from accounts a
                 where a.email_digest and a.active
                   and exists (select 1 from memberships s join conversations c on c.id = s.conversation_id
                                where s.account_id = a.id and not s.muted and c.last_message_sequence > s.read_sequence
                                  and (s.unread_mentions > 0 or c.kind = 'direct'))""").getResultList();
        if (candidates.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        Map<UUID, Presence> presences = presence.presenceOf(Set.copyOf(candidates.stream()
                .map(row -> (UUID) row[0]).toList()));
        for (Object[] row : candidates) {
            UUID id = (UUID) row[0];
            Instant awaySince = now.minusSeconds(((Number) row[3]).longValue());
            Presence seen = presences.get(id);
            boolean awayLongEnough = seen == null || seen.getState() == PresenceState.PRESENCE_STATE_OFFLINE
                    && (!seen.hasLastSeenTime() || seen.getLastSeenTime().getSeconds() < awaySince.getEpochSecond());
            if (awayLongEnough) {
                digest(id, (String) row[1], (String) row[2], awaySince, toInstant(row[4]));
            }
        }
    }

    /** The unread mentions and direct messages since the last digest and before the person went away long enough. */
    private void digest(UUID accountId, String email, String name, Instant before, Instant after) {
        @SuppressWarnings("unchecked")
        List<Object[]> items = entities.createNativeQuery("""
                select m.created_at, au.display_name, c.kind, c.title, m.text, m.attachment_count
                  from memberships s
                  join accounts a on a.id = s.account_id
                  join conversations c on c.id = s.conversation_id
                  join messages m on m.conversation_id = s.conversation_id and m.sequence > s.read_sequence
                  join accounts au on au.id = m.author_id
                 where s.account_id = ?1 and not s.muted and m.deleted_at is null and m.author_id <> s.account_id
                   and case when s.notification_level = 'default' then a.notification_level
                            else s.notification_level end <> 'nothing'
                   and (m.mentions @> array[s.account_id] or c.kind = 'direct')
                   and m.created_at > ?2 and m.created_at <= ?3
                 order by m.created_at desc limit ?4""")
                .setParameter(1, accountId)
                .setParameter(2, Timestamp.from(after == null ? Instant.EPOCH : after))
                .setParameter(3, Timestamp.from(before))
                .setParameter(4, MOST_ITEMS).getResultList();
        if (items.isEmpty()) {
            return;
        }
        StringBuilder body = new StringBuilder("Hello ").append(name).append(",\n\nWhile you were away:\n\n");
        for (Object[] item : items) {
            String where = "direct".equals(item[2]) ? "direct message" : "#" + item[3];
            String text = item[4] == null || ((String) item[4]).isBlank()
                    ? (((Number) item[5]).intValue() > 0 ? "(a file)" : "") : PushPayloads.cut((String) item[4], 200);
            body.append("- ").append(TIME.format(toInstant(item[0]))).append(", ").append(where).append(", ")
                    .append(item[1]).append(": ").append(text).append('\n');
        }
        body.append("\nOpen Parley: ").append(appUrl).append("\n\nYou receive this because e-mail digests are on in ")
                .append("your notification settings; turn them off there.\n");
        int count = items.size();
        mail.send(email, count + (count == MOST_ITEMS ? "+" : "") + " unread message" + (count == 1 ? "" : "s")
                + " for you on Parley", body.toString(),
                clock.instant().plus(config.giveUpAfter()));
        entities.createNativeQuery("update accounts set last_digest_through = ?1 where id = ?2")
                .setParameter(1, Timestamp.from(toInstant(items.get(0)[0]))).setParameter(2, accountId)
                .executeUpdate();
    }

    private static Instant toInstant(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Instant instant) {
            return instant;
        }
        if (value instanceof java.time.OffsetDateTime offset) {
            return offset.toInstant();
        }
        return ((Timestamp) value).toInstant();
    }
}
