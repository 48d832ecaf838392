package dev.parley.server.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.api.v1.AuthServiceGrpc;
import dev.parley.api.v1.LogInRequest;
import dev.parley.server.support.ServerProcess;
import dev.parley.server.support.TestServices;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** JSON logs for collectors: one object per line, and each call's line carries the request id the proxy set. */
class JsonLogsIT {

    private static final Metadata.Key<String> REQUEST_ID = Metadata.Key.of("x-request-id",
            Metadata.ASCII_STRING_MARSHALLER);

    @Test
    void callsAreLoggedAsJsonWithTheirRequestId() throws Exception {
        try (ServerProcess server = ServerProcess.start("json-logs", Map.of("PARLEY_LOG_JSON", "true",
                "PARLEY_LOG_CALLS", "true", "PARLEY_DATABASE_URL",
                "postgres://postgres@" + TestServices.HOST + ":5432/parley_it_logs"))) {
            server.awaitServing();
            // Native gRPC answers from just before StartupEvent, when the JSON formatter is put on: calls in that
            // first second are still logged as text (a known gap, see docs/operations.md). Wait past it.
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> server.output().lines().anyMatch(line -> line.startsWith("{")));
            Metadata sent = new Metadata();
            sent.put(REQUEST_ID, "envoy-req-42");
            var auth = AuthServiceGrpc.newBlockingStub(server.channel()).withInterceptors(
                    MetadataUtils.newAttachHeadersInterceptor(sent));
            try {
                auth.logIn(LogInRequest.newBuilder().setLogin("nobody").setPassword("not a password").build());
            } catch (StatusRuntimeException expected) {
                // UNAUTHENTICATED: what matters here is the log line
            }
            ObjectMapper json = new ObjectMapper();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                JsonNode line = server.output().lines().filter(l -> l.contains("AuthService/LogIn"))
                        .map(l -> read(json, l)).findFirst().orElseThrow();
                assertThat(line.get("loggerName").asText()).isEqualTo("parley.calls");
                assertThat(line.get("message").asText()).contains("UNAUTHENTICATED");
                assertThat(line.get("request_id").asText()).isEqualTo("envoy-req-42");
            });
            assertThat(server.output().lines().filter(l -> l.startsWith("{")).count()).isGreaterThan(3);
        }
    }

    private static JsonNode read(ObjectMapper json, String line) {
        try {
            return json.readTree(line);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + line, e);
        }
    }
}
