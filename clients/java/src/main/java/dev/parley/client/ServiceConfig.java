package dev.parley.client;

import java.util.List;
import java.util.Map;

/**
 * The gRPC service config every ParleyClient channel uses. Unary calls are retried on UNAVAILABLE (the server
 * restarting, a connection lost before the answer), which is safe for every Parley write: sends carry a
 * client_message_id, and the rest are idempotent or fail harmlessly the second time. Calls of a session are
 * retried on UNAUTHENTICATED too: when the access token was refused as expired or signed with a rotated key,
 * {@link TokenRefusals} has marked it stale, and the retry carries a renewed one (not AuthService: a wrong
 * password answered UNAUTHENTICATED must count once against the log-in throttle). The event stream is not
 * retried here; {@link EventSubscription} resumes it from its positions.
 */
final class ServiceConfig {

    /** Services called with an access token; AuthService is left out: a wrong password must count once. */
    private static final List<String> SESSION_SERVICES = List.of("UserService", "ConversationService",
            "MessageService", "PresenceService", "BotService");

    private ServiceConfig() {
    }

    static Map<String, Object> standard() {
        List<Map<String, Object>> sessionCalls = SESSION_SERVICES.stream()
                .<Map<String, Object>>map(service -> Map.of("service", "parley.v1." + service)).toList();
        return Map.of("methodConfig", List.of(
                Map.of("name", sessionCalls, "retryPolicy", retry(List.of("UNAVAILABLE", "UNAUTHENTICATED"))),
                Map.of("name", List.of(Map.of("service", "parley.v1.AuthService")),
                        "retryPolicy", retry(List.of("UNAVAILABLE")))));
    }

    private static Map<String, Object> retry(List<String> codes) {
        return Map.of(
                "maxAttempts", 5.0,
                "initialBackoff", "0.2s",
                "maxBackoff", "3s",
                "backoffMultiplier", 2.0,
                "retryableStatusCodes", codes);
    }
}
