package dev.parley.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.ErrorInfo;
import dev.parley.api.v1.GetMeRequest;
import dev.parley.api.v1.GetMeResponse;
import dev.parley.api.v1.SignUpRequest;
import dev.parley.api.v1.SignUpResponse;
import dev.parley.api.v1.StreamEventsRequest;
import dev.parley.api.v1.StreamEventsResponse;
import dev.parley.server.support.Chats;
import dev.parley.server.support.GrpcWebClient;
import dev.parley.server.support.TestUsers;
import grpc.health.v1.HealthOuterClass.HealthCheckRequest;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse;
import io.quarkus.test.junit.QuarkusTest;
import java.net.Inet6Address;
import java.net.NetworkInterface;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Browsers' gRPC-Web, answered by the server itself: the same services, errors and limits as native gRPC. */
@QuarkusTest
class GrpcWebTest {

    @Test
    void unaryCallsWorkInBinaryAndTextMode() throws Exception {
        String name = "web" + UUID.randomUUID().toString().substring(0, 8);
        var signUp = GrpcWebClient.binary().call("parley.v1.AuthService/SignUp", SignUpRequest.newBuilder()
                .setUsername(name).setEmail(name + "@example.com").setDisplayName("Web User")
                .setPassword("correct horse battery staple").build(), Map.of());
        assertThat(signUp.httpStatus()).isEqualTo(200);
        assertThat(signUp.headers().get("content-type")).isEqualTo("application/grpc-web+proto");
        assertThat(signUp.status()).isEqualTo("0");
        var tokens = SignUpResponse.parseFrom(signUp.messages().get(0)).getTokens();

        var me = GrpcWebClient.text().call("parley.v1.UserService/GetMe", GetMeRequest.getDefaultInstance(),
                Map.of("authorization", "Bearer " + tokens.getAccessToken()));
        assertThat(me.headers().get("content-type")).isEqualTo("application/grpc-web-text+proto");
        assertThat(me.status()).isEqualTo("0");
        assertThat(GetMeResponse.parseFrom(me.messages().get(0)).getUser().getUsername()).isEqualTo(name);
    }

    /**
     * A browser at http://localhost reaches ::1 first. The bridge used to relay such calls with the bare IPv6
     * address as the call's authority, which the server refused: every browser call failed "interrupted".
     */
    @Test
    void callsWorkOnEveryAddressTheServerListensOn() throws Exception {
        List<String> bases = new ArrayList<>(List.of("http://127.0.0.1:8081", "http://[::1]:8081"));
        for (var network : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            for (var address : Collections.list(network.getInetAddresses())) {
                if (!address.isLinkLocalAddress() && !address.isLoopbackAddress()) {
                    String host = address instanceof Inet6Address ? "[" + address.getHostAddress() + "]"
                            : address.getHostAddress();
                    bases.add("http://" + host + ":8081");
                }
            }
        }
        for (String base : bases) {
            var answer = GrpcWebClient.at(base).call("grpc.health.v1.Health/Check",
                    HealthCheckRequest.getDefaultInstance(), Map.of());
            assertThat(answer.status()).as(base).isEqualTo("0");
            assertThat(HealthCheckResponse.parseFrom(answer.messages().get(0)).getStatus()).as(base)
                    .isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
        }
    }

    @Test
    void errorsCarryTheirStatusMessageAndDetailsInTheTrailerFrame() throws Exception {
        var answer = GrpcWebClient.binary().call("parley.v1.UserService/GetMe", GetMeRequest.getDefaultInstance(),
                Map.of());
        assertThat(answer.httpStatus()).isEqualTo(200);
        assertThat(answer.messages()).isEmpty();
        assertThat(answer.trailers()).containsEntry("grpc-status", "16").containsKey("grpc-message");
        var status = com.google.rpc.Status.parseFrom(Base64.getDecoder().decode(
                answer.trailers().get("grpc-status-details-bin")));
        assertThat(status.getDetails(0).unpack(ErrorInfo.class).getReason()).isEqualTo("TOKEN_MISSING");
    }

    @Test
    void streamedEventsArriveOneByOneWhileTheStreamStaysOpen() throws Exception {
        var amy = TestUsers.signUp("webamy");
        var ben = TestUsers.signUp("webben");
        var group = Chats.group(amy, ben);
        try (var stream = GrpcWebClient.binary().open("parley.v1.EventService/StreamEvents",
                StreamEventsRequest.getDefaultInstance(), bearer(ben))) {
            StreamEventsResponse first = nextItem(stream);
            while (first.hasPresenceChanges()) {
                first = nextItem(stream); // the presence snapshot comes before ready
            }
            assertThat(first.hasReady()).isTrue();
            Chats.send(amy, group, "hello browser");
            StreamEventsResponse item = nextItem(stream);
            while (!item.hasConversationEvent()) {
                item = nextItem(stream); // presence of amy may come first
            }
            assertThat(item.getConversationEvent().getMessageSent().getText()).isEqualTo("hello browser");
        }
    }

    @Test
    void aStreamEndsAtItsGrpcTimeoutWithDeadlineExceeded() throws Exception {
        var cat = TestUsers.signUp("webcat");
        var headers = Map.of("authorization", "Bearer " + cat.tokens().getAccessToken(), "grpc-timeout", "700m");
        var answer = GrpcWebClient.binary().call("parley.v1.EventService/StreamEvents",
                StreamEventsRequest.getDefaultInstance(), headers);
        assertThat(answer.status()).isEqualTo("4");
    }

    @Test
    void requestsLargerThanTheLimitGetResourceExhausted() throws Exception {
        byte[] huge = GrpcWebClient.frame(new byte[6_000_000]);
        try (var call = GrpcWebClient.binary().send("parley.v1.AuthService/SignUp", huge, Map.of())) {
            assertThat(call.readAll().status()).isEqualTo("8");
        }
    }

    @Test
    void aTextBodyThatIsNotBase64IsInvalidArgument() throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://localhost:8081/parley.v1.AuthService/SignUp"))
                .header("content-type", "application/grpc-web-text").POST(HttpRequest.BodyPublishers.ofString("*!*"))
                .build();
        var response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        String trailers = new String(Base64.getDecoder().decode(response.body()));
        assertThat(trailers).contains("grpc-status:3");
    }

    @Test
    void onlyProtobufGrpcWebIsServed() throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://localhost:8081/parley.v1.AuthService/SignUp"))
                .header("content-type", "application/grpc-web+json").POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build();
        assertThat(HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()).statusCode())
                .isEqualTo(415);
    }

    @Test
    void listedOriginsGetCorsAnswersAndOthersAreRefused() throws Exception {
        var http = HttpClient.newHttpClient();
        var preflight = http.send(HttpRequest.newBuilder(URI.create("http://localhost:8081/parley.v1.UserService/GetMe"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("origin", "http://allowed.parley.test")
                .header("access-control-request-method", "POST")
                .header("access-control-request-headers", "authorization,content-type,x-grpc-web,grpc-timeout")
                .build(), HttpResponse.BodyHandlers.discarding());
        assertThat(preflight.headers().firstValue("access-control-allow-origin")).contains("http://allowed.parley.test");
        assertThat(preflight.headers().firstValue("access-control-allow-headers").orElse(""))
                .contains("authorization", "grpc-timeout", "x-grpc-web");

        var allowed = GrpcWebClient.binary().call("parley.v1.UserService/GetMe", GetMeRequest.getDefaultInstance(),
                Map.of("origin", "http://allowed.parley.test"));
        assertThat(allowed.headers().get("access-control-expose-headers"))
                .contains("grpc-status", "grpc-message", "grpc-status-details-bin");

        var foreign = GrpcWebClient.binary().call("parley.v1.UserService/GetMe", GetMeRequest.getDefaultInstance(),
                Map.of("origin", "http://elsewhere.example"));
        assertThat(foreign.httpStatus()).isEqualTo(403);
    }

    @Test
    void theWebAppIsServedAtTheRootAndAlwaysRevalidated() throws Exception {
        var page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:8081/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<div id=\"app\">");
        assertThat(page.headers().firstValue("cache-control")).contains("no-cache");
    }

    static Map<String, String> bearer(TestUsers.TestUser user) {
        return Map.of("authorization", "Bearer " + user.tokens().getAccessToken());
    }

    static StreamEventsResponse nextItem(GrpcWebClient.Call stream) throws Exception {
        var frame = stream.next();
        assertThat(frame).as("the stream ended early").isNotNull();
        assertThat(frame.trailers()).as("the stream ended early").isNull();
        return StreamEventsResponse.parseFrom(frame.message());
    }
}
