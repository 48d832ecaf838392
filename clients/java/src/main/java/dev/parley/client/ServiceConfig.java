package dev.parley.client;

import java.util.List;
import java.util.Map;

/**
 * The gRPC service config every ParleyClient channel uses. Unary calls are retried on UNAVAILABLE (the server
 * restarting, a connection lost before the answer), which is safe for every Parley write: sends carry a
 * client_message_id, and the rest are idempotent or fail harmlessly the second time. They are retried on
 * UNAUTHENTICATED too: when the access token was refused as expired or signed with a rotated key,
 * {@link TokenRefusals} has marked it stale, and the retry carries a renewed one. The event stream is not
 * retried here; {@link EventSubscription} resumes it from its positions.
 */
final class ServiceConfig {

    private static final List<String> UNARY_SERVICES = List.of("AuthService", "UserService", "ConversationService",
            "MessageService", "PresenceService", "BotService");

    private ServiceConfig() {
    }

    static Map<String, Object> standard() {
        List<Map<String, Object>> names = UNARY_SERVICES.stream()
                .<Map<String, Object>>map(service -> Map.of("service", "parley.v1." + service)).toList();
        Map<String, Object> retry = Map.of(
                "maxAttempts", 5.0,
                "initialBackoff", "0.2s",
                "maxBackoff", "3s",
                "backoffMultiplier", 2.0,
                "retryableStatusCodes", List.of("UNAVAILABLE", "UNAUTHENTICATED"));
        return Map.of("methodConfig", List.of(Map.of("name", names, "retryPolicy", retry)));
    }
}
