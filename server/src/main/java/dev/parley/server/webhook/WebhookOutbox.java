package dev.parley.server.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.api.v1.Message;
import dev.parley.server.bot.WebhookChanged;
import dev.parley.server.message.MessagePosted;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Queues a webhook delivery for each bot with a webhook that a new message concerns: a direct message to it, or a
 * mention of it. It runs inside the send's transaction, so a delivery exists exactly when its message does. Sends
 * pay nothing while no bot has a webhook: whether any has is checked at most every 10 seconds (at once on this
 * node when one is set).
 */
@ApplicationScoped
class WebhookOutbox {

    private static final Duration RECHECK = Duration.ofSeconds(10);
    private final EntityManager entities;
    private final ObjectMapper json;
    private final Clock clock;
    private volatile boolean anyWebhooks = true;
    private volatile Instant checkedAt = Instant.EPOCH;

    WebhookOutbox(EntityManager entities, ObjectMapper json, Clock clock) {
        this.entities = entities;
        this.json = json;
        this.clock = clock;
    }

    void webhookSet(@Observes WebhookChanged changed) {
        if (changed.set()) {
            anyWebhooks = true;
        }
    }

    void enqueue(@Observes MessagePosted posted) {
        if (!mayHaveWork()) {
            return;
        }
        Message message = posted.message();
        @SuppressWarnings("unchecked")
        List<Object[]> bots = entities.createNativeQuery("""
                select a.id, a.username, c.kind, (select username from accounts where id = ?2) from accounts a
                join memberships m on m.account_id = a.id and m.conversation_id = ?1
                join conversations c on c.id = m.conversation_id
                where a.webhook_url is not null and a.active and a.id <> ?2 and (c.kind = 'direct' or a.id = any(?3))
                """).setParameter(1, UUID.fromString(message.getConversationId())).setParameter(2, posted.authorId())
                .setParameter(3, posted.mentioned().toArray(UUID[]::new)).getResultList();
        Instant now = clock.instant();
        for (Object[] bot : bots) {
            UUID deliveryId = UUID.randomUUID();
            String payload = payload(deliveryId, (UUID) bot[0], (String) bot[1], "direct".equals(bot[2]),
                    (String) bot[3], message);
            entities.createNativeQuery("insert into webhook_deliveries (id, bot_id, conversation_id, message_id, "
                    + "payload, next_attempt_at, created_at) values (?1, ?2, ?3, ?4, ?5, ?6, ?6)")
                    .setParameter(1, deliveryId).setParameter(2, bot[0])
                    .setParameter(3, UUID.fromString(message.getConversationId()))
                    .setParameter(4, UUID.fromString(message.getId())).setParameter(5, payload).setParameter(6, now)
                    .executeUpdate();
        }
    }

    private boolean mayHaveWork() {
        Instant now = clock.instant();
        if (now.isAfter(checkedAt.plus(RECHECK))) {
            anyWebhooks = (Boolean) entities.createNativeQuery(
                    "select exists (select 1 from accounts where webhook_url is not null)").getSingleResult();
            checkedAt = now;
        }
        return anyWebhooks;
    }

    private String payload(UUID deliveryId, UUID botId, String botUsername, boolean direct, String authorUsername,
            Message message) {
        ObjectNode body = json.createObjectNode();
        body.put("delivery_id", deliveryId.toString());
        body.put("type", direct ? "direct_message" : "mention");
        body.putObject("bot").put("id", botId.toString()).put("username", botUsername);
        body.put("conversation_id", message.getConversationId());
        body.putObject("message")
                .put("id", message.getId())
                .put("sequence", message.getSequence())
                .put("text", message.getText())
                .put("author_id", message.getAuthorId())
                .put("author_username", authorUsername)
                .put("thread_root_id", message.getThreadRootId())
                .put("create_time", Instant.ofEpochSecond(message.getCreateTime().getSeconds(),
                        message.getCreateTime().getNanos()).toString());
        return body.toString();
    }
}
