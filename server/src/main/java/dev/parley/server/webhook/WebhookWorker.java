package dev.parley.server.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.server.message.Posting;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Delivers the webhook outbox. Every node polls; a node claims due rows with {@code for update skip locked} and
 * leases them by moving their next attempt past the call's timeout, so two nodes never send the same attempt and
 * a node that dies mid-delivery only delays it. A node has at most {@link WebhookConfig#batchSize()} attempts in
 * flight, at most one per bot, each bounded by {@link WebhookCall}: a slow receiver holds its own slot until its
 * timeout and never the others' deliveries. Each attempt connects only where {@link WebhookTargets} allows. A
 * failed attempt is retried with exponential backoff until the delivery is {@link WebhookConfig#giveUpAfter()} old,
 * then marked dead. A successful answer with text is posted
 * as the bot's reply, with a client_message_id made from the delivery, so a repeated delivery replies once.
 */
@Startup
@ApplicationScoped
class WebhookWorker {

    private static final Logger LOG = Logger.getLogger(WebhookWorker.class);
    private static final int MAX_REPLY = 8_000;

    private record Due(UUID id, UUID botId, UUID conversationId, String payload, int attempts, Instant createdAt,
            String url, String secret) {
    }

    private final EntityManager entities;
    private final WebhookConfig config;
    private final Posting posting;
    private final ObjectMapper json;
    private final Clock clock;
    private final WebhookCall http;
    private final WebhookTargets targets;
    private final java.util.Set<UUID> botsInFlight = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.Semaphore slots;
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(
            r -> new Thread(r, "parley-webhook-poller"));
    private final ExecutorService senders;

    private final java.util.concurrent.atomic.AtomicLong pending = new java.util.concurrent.atomic.AtomicLong();

    WebhookWorker(EntityManager entities, WebhookConfig config, Posting posting, ObjectMapper json, Clock clock,
            io.micrometer.core.instrument.MeterRegistry registry, WebhookCall http, WebhookTargets targets) {
        io.micrometer.core.instrument.Gauge.builder("parley.webhooks.pending", pending, java.util.concurrent.atomic
                .AtomicLong::get).description("Webhook deliveries not yet delivered or given up").register(registry);
        this.entities = entities;
        this.config = config;
        this.posting = posting;
        this.json = json;
        this.clock = clock;
        this.http = http;
        this.targets = targets;
        this.slots = new java.util.concurrent.Semaphore(config.batchSize());
        this.senders = Executors.newFixedThreadPool(config.batchSize(), r -> new Thread(r, "parley-webhook-sender"));
    }

    @PostConstruct
    void start() {
        long every = config.pollInterval().toMillis();
        poller.scheduleWithFixedDelay(this::deliverDue, every, every, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        poller.shutdownNow();
        senders.shutdownNow();
    }

    private void deliverDue() {
        try {
            pending.set(QuarkusTransaction.requiringNew().call(() -> ((Number) entities.createNativeQuery(
                    "select count(*) from webhook_deliveries where delivered_at is null and dead_at is null")
                    .getSingleResult()).longValue()));
            int free = slots.availablePermits();
            if (free == 0) {
                return;
            }
            for (Due due : claim(free)) {
                slots.acquireUninterruptibly();
                botsInFlight.add(due.botId());
                senders.execute(() -> {
                    try {
                        deliver(due);
                    } finally {
                        botsInFlight.remove(due.botId());
                        slots.release();
                    }
                });
            }
        } catch (RuntimeException e) {
            LOG.warnf("webhook delivery round failed: %s", e.toString()); // the next round tries again
        }
    }

    /** Up to {@code limit} due deliveries, the oldest of each bot with none in flight here. */
    private List<Due> claim(int limit) {
        Duration lease = config.timeout().multipliedBy(3);
        String busy = String.join(",", botsInFlight.stream().map(UUID::toString).toList());
        return QuarkusTransaction.requiringNew().call(() -> {
            @SuppressWarnings("unchecked")
            List<Object[]> rows = entities.createNativeQuery("""
                    with candidates as (
                        select id, bot_id, next_attempt_at from webhook_deliveries
                        where delivered_at is null and dead_at is null and next_attempt_at <= ?1
                          and bot_id::text <> all(string_to_array(?4, ','))
                        order by next_attempt_at limit 200 for update skip locked),
                    due as (
                        select id from (select distinct on (bot_id) id, next_attempt_at from candidates
                                        order by bot_id, next_attempt_at) firsts
                        order by next_attempt_at limit ?2)
                    update webhook_deliveries d set attempts = d.attempts + 1, next_attempt_at = ?3
                    from due, accounts a where d.id = due.id and a.id = d.bot_id
                    returning d.id, d.bot_id, d.conversation_id, d.payload, d.attempts, d.created_at,
                              a.webhook_url, a.webhook_secret
                    """).setParameter(1, clock.instant()).setParameter(2, limit)
                    .setParameter(3, clock.instant().plus(lease)).setParameter(4, busy).getResultList();
            return rows.stream().map(r -> new Due((UUID) r[0], (UUID) r[1], (UUID) r[2], (String) r[3],
                    ((Number) r[4]).intValue(), toInstant(r[5]), (String) r[6], (String) r[7])).toList();
        });
    }

    private void deliver(Due due) {
        if (due.url() == null) {
            finish(due, "dead_at", "the bot's webhook was removed");
            return;
        }
        long timestamp = clock.instant().getEpochSecond();
        try {
            URI url = URI.create(due.url());
            var headers = io.vertx.core.MultiMap.caseInsensitiveMultiMap()
                    .add("content-type", "application/json")
                    .add("user-agent", "parley-webhooks/1")
                    .add("x-parley-delivery", due.id().toString())
                    .add("x-parley-timestamp", Long.toString(timestamp))
                    .add("x-parley-signature", WebhookSignature.sign(due.secret(), timestamp, due.payload()));
            WebhookCall.Answer answer = http.post(url, targets.addressFor(url), headers, due.payload(),
                    config.timeout()).get();
            if (answer.status() / 100 == 2) {
                finish(due, "delivered_at", null);
                reply(due, answer);
            } else {
                failed(due, "HTTP " + answer.status());
            }
        } catch (WebhookTargets.Refused e) {
            failed(due, "refused: " + e.getMessage());
        } catch (java.util.concurrent.ExecutionException e) {
            failed(due, e.getCause().getClass().getSimpleName() + ": " + e.getCause().getMessage());
        } catch (IllegalArgumentException e) {
            failed(due, e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void failed(Due due, String error) {
        Instant now = clock.instant();
        if (!now.isBefore(due.createdAt().plus(config.giveUpAfter()))) {
            finish(due, "dead_at", error);
            return;
        }
        long factor = 1L << Math.min(due.attempts() - 1, 20);
        Duration wait = config.initialBackoff().multipliedBy(factor);
        Instant next = now.plus(wait.compareTo(config.maxBackoff()) > 0 ? config.maxBackoff() : wait);
        QuarkusTransaction.requiringNew().run(() -> entities.createNativeQuery(
                "update webhook_deliveries set next_attempt_at = ?2, last_error = ?3 where id = ?1")
                .setParameter(1, due.id()).setParameter(2, next).setParameter(3, error).executeUpdate());
    }

    private void finish(Due due, String column, String error) {
        QuarkusTransaction.requiringNew().run(() -> entities.createNativeQuery("update webhook_deliveries set "
                + column + " = ?2, last_error = ?3 where id = ?1").setParameter(1, due.id())
                .setParameter(2, clock.instant()).setParameter(3, error).executeUpdate());
    }

    /**
     * A text answer is the bot speaking: posted in the conversation as the bot, once per delivery. An answer cut
     * off at {@link WebhookCall#MAX_ANSWER} has no text.
     */
    private void reply(Due due, WebhookCall.Answer answer) {
        if (answer.body() == null) {
            LOG.infof("reply of webhook delivery %s not posted: longer than %d bytes", due.id(),
                    WebhookCall.MAX_ANSWER);
            return;
        }
        String type = answer.contentType() == null ? "" : answer.contentType().toLowerCase();
        String text = answer.body().strip();
        try {
            if (type.startsWith("application/json")) {
                var node = text.isEmpty() ? null : json.readTree(text).get("text");
                text = node == null || !node.isTextual() ? "" : node.asText().strip();
            } else if (!type.startsWith("text/plain")) {
                text = "";
            }
            if (!text.isEmpty() && text.length() <= MAX_REPLY) {
                posting.post(due.botId(), due.conversationId(), "webhook-reply-" + due.id(), text);
            }
        } catch (RuntimeException | java.io.IOException e) {
            LOG.infof("reply of webhook delivery %s not posted: %s", due.id(), e.getMessage());
        }
    }

    private static Instant toInstant(Object value) {
        return value instanceof java.sql.Timestamp t ? t.toInstant()
                : value instanceof java.time.OffsetDateTime o ? o.toInstant() : (Instant) value;
    }
}
