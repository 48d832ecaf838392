package dev.parley.server.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.api.v1.Message;
import dev.parley.server.bot.WebhookChanged;
import dev.parley.server.common.SqlArrays;
import dev.parley.server.message.MessagePosted;
import dev.parley.server.message.SentInTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
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
class WebhookOutbox implements SentInTransaction {

    private static final Duration RECHECK = Duration.ofSeconds(10);
    private final ObjectMapper json;
    private final Clock clock;
    private volatile boolean anyWebhooks = true;
    private volatile Instant checkedAt = Instant.EPOCH;

    WebhookOutbox(ObjectMapper json, Clock clock) {
        this.json = json;
        this.clock = clock;
    }

    void webhookSet(@Observes WebhookChanged changed) {
        if (changed.set()) {
            anyWebhooks = true;
        }
    }

    @Override
    public void sent(Connection connection, List<MessagePosted> batch) throws SQLException {
        if (!mayHaveWork(connection)) {
            return;
        }
        Instant now = clock.instant();
        for (MessagePosted posted : batch) {
            enqueue(connection, posted, now);
        }
    }

    private void enqueue(Connection connection, MessagePosted posted, Instant now) throws SQLException {
        Message message = posted.message();
        UUID conversationId = UUID.fromString(message.getConversationId());
        try (PreparedStatement bots = connection.prepareStatement("""
                select a.id, a.username, c.kind, (select username from accounts where id = ?) from accounts a
                join memberships m on m.account_id = a.id and m.conversation_id = ?
                join conversations c on c.id = m.conversation_id
                where a.webhook_url is not null and a.active and a.id <> ? and (c.kind = 'direct' or a.id = any(?))
                """)) {
            bots.setObject(1, posted.authorId());
            bots.setObject(2, conversationId);
            bots.setObject(3, posted.authorId());
            bots.setArray(4, SqlArrays.uuids(connection, posted.mentioned()));
            try (ResultSet rows = bots.executeQuery()) {
                while (rows.next()) {
                    UUID deliveryId = UUID.randomUUID();
                    UUID botId = rows.getObject(1, UUID.class);
                    String payload = payload(deliveryId, botId, rows.getString(2), "direct".equals(rows.getString(3)),
                            rows.getString(4), message);
                    insert(connection, new Delivery(deliveryId, botId, conversationId,
                            UUID.fromString(message.getId()), payload), now);
                }
            }
        }
    }

    /** A delivery to queue: one bot, one message. */
    private record Delivery(UUID id, UUID botId, UUID conversationId, UUID messageId, String payload) {
    }

    private static void insert(Connection connection, Delivery delivery, Instant now) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("insert into webhook_deliveries (id, bot_id, "
                + "conversation_id, message_id, payload, next_attempt_at, created_at) values (?, ?, ?, ?, ?, ?, ?)")) {
            insert.setObject(1, delivery.id());
            insert.setObject(2, delivery.botId());
            insert.setObject(3, delivery.conversationId());
            insert.setObject(4, delivery.messageId());
            insert.setString(5, delivery.payload());
            insert.setTimestamp(6, Timestamp.from(now));
            insert.setTimestamp(7, Timestamp.from(now));
            insert.executeUpdate();
        }
    }

    private boolean mayHaveWork(Connection connection) throws SQLException {
        Instant now = clock.instant();
        if (now.isAfter(checkedAt.plus(RECHECK))) {
            try (PreparedStatement any = connection.prepareStatement(
                    "select exists (select 1 from accounts where webhook_url is not null)");
                    ResultSet row = any.executeQuery()) {
                row.next();
                anyWebhooks = row.getBoolean(1);
            }
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
