package dev.parley.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.support.Chats;
import dev.parley.server.support.StreamClient;
import dev.parley.server.support.TestUsers;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** A Prometheus scrape of the management port while streams deliver: the stream and RPC metrics move. */
@QuarkusTest
class MetricsTest {

    @Test
    void aScrapeShowsStreamsDeliveriesRpcsAndThePool() throws Exception {
        double deliveredBefore = value(scrape(), "parley_events_delivered_total");
        var ann = TestUsers.signUp("metrics");
        var ben = TestUsers.signUp("metricsb");
        var group = Chats.group(ann, ben);
        try (var stream = StreamClient.open(ben, Map.of())) {
            stream.awaitReady();
            Chats.send(ann, group, "counted");
            stream.nextEvent();
            String during = scrape();
            assertThat(value(during, "parley_streams_open")).isGreaterThanOrEqualTo(1);
            assertThat(value(during, "parley_events_delivered_total")).isGreaterThan(deliveredBefore);
            assertThat(during).contains("parley_fanout_lag_seconds", "parley_fanout_received_seconds",
                    "parley_webhooks_pending", "parley_streams_resumed_total", "parley_streams_slow_consumer_closed_total");
            assertThat(during).containsPattern("grpc_server_processing_duration_seconds_count\\{[^}]*"
                    + "method=\"SendMessage\"");
            assertThat(during).contains("agroal_active_count");
        }
    }

    private static String scrape() throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:9081/q/metrics"))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static double value(String scrape, String name) {
        Matcher line = Pattern.compile("^" + name + "(\\{[^}]*\\})? ([0-9.eE+-]+)$", Pattern.MULTILINE).matcher(scrape);
        double total = 0;
        while (line.find()) {
            total += Double.parseDouble(line.group(2));
        }
        return total;
    }
}
