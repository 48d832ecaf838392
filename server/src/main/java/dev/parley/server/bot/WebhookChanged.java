package dev.parley.server.bot;

import java.util.UUID;

/** Fired when a bot's webhook is set or removed, so that the webhook outbox starts or stops looking for work. */
public record WebhookChanged(UUID botId, boolean set) {
}
