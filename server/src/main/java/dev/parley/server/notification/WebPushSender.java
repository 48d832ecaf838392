package dev.parley.server.notification;

import dev.parley.server.webhook.WebhookCall;
import dev.parley.server.webhook.WebhookTargets;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.util.concurrent.CompletableFuture;

/**
 * Hands one push to a subscription's push service (RFC 8030): the payload encrypted for the subscription, the
 * server's VAPID signature, a time to live. The endpoint's address is checked again before each push, as a
 * webhook's is, and the exchange is bounded the same way ({@link WebhookCall}).
 */
@ApplicationScoped
class WebPushSender implements PushSender {

    private final WebhookCall http;
    private final WebhookTargets targets;
    private final Vapid vapid;
    private final NotificationConfig config;

    WebPushSender(io.vertx.core.Vertx vertx, WebhookTargets targets, Vapid vapid, NotificationConfig config) {
        this.http = new WebhookCall(vertx, config.timeout(), config.connectionsPerHost());
        this.targets = targets;
        this.vapid = vapid;
        this.config = config;
    }

    @jakarta.annotation.PreDestroy
    void close() {
        http.close();
    }

    @Override
    public String kind() {
        return "web_push";
    }

    @Override
    public CompletableFuture<Result> push(Target device, byte[] payload, boolean urgent) {
        String endpoint = device.address();
        URI url;
        java.net.InetAddress address;
        try {
            url = URI.create(endpoint);
            address = targets.addressFor(url);
        } catch (WebhookTargets.Refused | IllegalArgumentException e) {
            return CompletableFuture.completedFuture(new Result(Outcome.FAILED, e.getMessage()));
        }
        MultiMap headers = MultiMap.caseInsensitiveMultiMap()
                .add("Content-Type", "application/octet-stream")
                .add("Content-Encoding", "aes128gcm")
                .add("TTL", Integer.toString(config.timeToLiveSeconds()))
                .add("Urgency", urgent ? "high" : "normal")
                .add("Authorization", vapid.authorization(url));
        byte[] body = WebPushEncryption.encrypt(payload, device.p256dh(), device.auth());
        return http.post(url, address, headers, Buffer.buffer(body), config.timeout()).handle((answer, error) -> {
            if (error != null) {
                return new Result(Outcome.FAILED, error.getMessage() == null ? error.toString() : error.getMessage());
            }
            if (answer.status() / 100 == 2) {
                return new Result(Outcome.DELIVERED, null);
            }
            if (answer.status() == 404 || answer.status() == 410) {
                return new Result(Outcome.GONE, "HTTP " + answer.status());
            }
            return new Result(Outcome.FAILED, "HTTP " + answer.status());
        });
    }
}
