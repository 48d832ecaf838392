package dev.parley.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * web-proxy/envoy.yaml, checked for the structure production depends on, since Envoy cannot run here: filter order,
 * HTTP/2 to the servers with gRPC health checks, stream routes without timeouts, CORS headers, and a route for
 * every service in proto/.
 */
class EnvoyConfigTest {

    private static final Path ROOT = Path.of("..");
    private static final Duration HEARTBEAT = Duration.ofSeconds(15);
    private static Map<String, Object> manager;
    private static Map<String, Object> cluster;

    @BeforeAll
    static void load() throws IOException {
        Map<String, Object> config = new Yaml().load(Files.readString(ROOT.resolve("web-proxy/envoy.yaml")));
        Map<String, Object> resources = map(config, "static_resources");
        Map<String, Object> listener = only(list(resources, "listeners"));
        Map<String, Object> filter = only(list(only(list(listener, "filter_chains")), "filters"));
        assertThat(filter.get("name")).isEqualTo("envoy.filters.network.http_connection_manager");
        manager = map(filter, "typed_config");
        assertThat(manager.get("@type")).isEqualTo("type.googleapis.com/envoy.extensions.filters.network."
                + "http_connection_manager.v3.HttpConnectionManager");
        cluster = list(resources, "clusters").stream().filter(c -> "parley_grpc".equals(c.get("name"))).findFirst()
                .orElseThrow();
        Map<String, Object> web = list(resources, "clusters").stream().filter(c -> "parley_web".equals(c.get("name")))
                .findFirst().orElseThrow();
        assertThat(port(cluster)).as("native gRPC port").isEqualTo(9090);
        assertThat(port(web)).as("the web app's HTTP port").isEqualTo(8080);
    }

    @Test
    void httpFiltersAreGrpcWebThenCorsThenRouterLast() {
        List<String> names = list(manager, "http_filters").stream().map(f -> (String) f.get("name")).toList();
        assertThat(names).containsSubsequence("envoy.filters.http.grpc_web", "envoy.filters.http.cors",
                "envoy.filters.http.router");
        assertThat(names.get(names.size() - 1)).isEqualTo("envoy.filters.http.router");
        list(manager, "http_filters").forEach(f -> assertThat((String) map(f, "typed_config").get("@type"))
                .startsWith("type.googleapis.com/envoy.extensions.filters.http.").contains(".v3."));
    }

    @Test
    void theServersAreReachedOverHttp2WithGrpcHealthChecks() {
        Map<String, Object> options = map(map(cluster, "typed_extension_protocol_options"),
                "envoy.extensions.upstreams.http.v3.HttpProtocolOptions");
        assertThat(map(options, "explicit_http_config")).containsKey("http2_protocol_options");
        Map<String, Object> check = only(list(cluster, "health_checks"));
        assertThat(check).containsKey("grpc_health_check");
        assertThat(cluster.get("type")).as("a headless Service spreads streams over replicas").isEqualTo("STRICT_DNS");
        assertThat(((Number) only(list(map(cluster, "circuit_breakers"), "thresholds")).get("max_requests"))
                .longValue()).as("open streams count as requests").isGreaterThanOrEqualTo(100_000);
    }

    @Test
    void theEventStreamHasNoRouteTimeoutAndAnIdleTimeoutAboveTheHeartbeat() {
        Map<String, Object> route = map(routeFor("/parley.v1.EventService/"), "route");
        assertThat(route.get("timeout")).isEqualTo("0s");
        assertThat(seconds((String) route.get("idle_timeout"))).isGreaterThan(HEARTBEAT.multipliedBy(2));
        assertThat(seconds((String) manager.get("stream_idle_timeout"))).isGreaterThan(HEARTBEAT.multipliedBy(2));
        assertThat(map(route, "max_stream_duration")).containsEntry("grpc_timeout_header_max", "0s");
    }

    @Test
    void corsExposesTheGrpcStatusHeadersAndAllowsTheGrpcWebRequestHeaders() {
        Map<String, Object> host = only(list(map(manager, "route_config"), "virtual_hosts"));
        Map<String, Object> cors = map(map(host, "typed_per_filter_config"), "envoy.filters.http.cors");
        assertThat((String) cors.get("expose_headers")).contains("grpc-status", "grpc-message",
                "grpc-status-details-bin");
        assertThat((String) cors.get("allow_headers")).contains("authorization", "content-type", "x-grpc-web",
                "grpc-timeout");
    }

    @Test
    void everyServiceInTheContractsIsRoutedToTheServers() throws IOException {
        Set<String> services = new TreeSet<>(Set.of("grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection"));
        Pattern service = Pattern.compile("^service (\\w+)", Pattern.MULTILINE);
        try (Stream<Path> files = Files.list(ROOT.resolve("proto/parley/v1"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".proto")).toList()) {
                service.matcher(Files.readString(file)).results().forEach(m -> services.add("parley.v1." + m.group(1)));
            }
        }
        assertThat(services).hasSizeGreaterThan(7);
        for (String name : services) {
            assertThat(map(routeFor("/" + name + "/"), "route").get("cluster")).as(name).isEqualTo("parley_grpc");
        }
    }

    @Test
    void theWebAppIsServedFromTheHttpPort() {
        assertThat(map(routeFor("/"), "route").get("cluster")).as("the catch-all route").isEqualTo("parley_web");
    }

    private static int port(Map<String, Object> cluster) {
        Map<String, Object> endpoint = only(list(only(list(map(cluster, "load_assignment"), "endpoints")),
                "lb_endpoints"));
        return ((Number) map(map(map(endpoint, "endpoint"), "address"), "socket_address").get("port_value")).intValue();
    }

    @Test
    void requestsAreCappedAtTheServersMessageLimit() {
        Map<String, Object> buffer = list(manager, "http_filters").stream()
                .filter(f -> "envoy.filters.http.buffer".equals(f.get("name"))).findFirst().orElseThrow();
        assertThat(((Number) map(buffer, "typed_config").get("max_request_bytes")).intValue())
                .isEqualTo(4 * 1024 * 1024 + 5);
        assertThat(manager.get("max_request_headers_kb")).isEqualTo(64);
        assertThat(map(routeFor("/grpc.reflection.v1.ServerReflection/"), "typed_per_filter_config"))
                .as("bidirectional reflection must not wait for the end of its request").isNotEmpty();
    }

    private static Map<String, Object> routeFor(String prefix) {
        Map<String, Object> host = only(list(map(manager, "route_config"), "virtual_hosts"));
        return list(host, "routes").stream().filter(r -> prefix.equals(map(r, "match").get("prefix"))).findFirst()
                .orElseThrow(() -> new AssertionError("no route for " + prefix));
    }

    private static Duration seconds(String text) {
        assertThat(text).matches("\\d+s");
        return Duration.ofSeconds(Long.parseLong(text.substring(0, text.length() - 1)));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        assertThat(value).as(key).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        assertThat(value).as(key).isInstanceOf(List.class);
        return (List<Map<String, Object>>) value;
    }

    private static Map<String, Object> only(List<Map<String, Object>> items) {
        assertThat(items).hasSize(1);
        return items.get(0);
    }
}
