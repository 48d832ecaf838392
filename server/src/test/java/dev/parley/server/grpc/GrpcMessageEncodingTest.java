package dev.parley.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import jakarta.inject.Inject;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** grpc-message as the bytes on the wire: what clients that decode it per spec (grpc-js) will show. */
@QuarkusTest
class GrpcMessageEncodingTest {

    @Inject
    Vertx vertx;

    @Test
    void onlyNonPrintableBytesAndPercentAreEscaped() {
        assertThat(GrpcMessageEncoding.encode("a, b: c; 100% d/e@f?g — ok"))
                .isEqualTo("a, b: c; 100%25 d/e@f?g %E2%80%94 ok");
    }

    @Test
    void whatVertxEscapedIsWrittenAgainPerSpec() {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("grpc-message", "a%2C%20b%3A%20c%2B");
        GrpcMessageEncoding.reencode(headers);
        assertThat(headers.get("grpc-message")).isEqualTo("a, b: c+");
    }

    @Test
    void errorAnswersCarryAReadableMessageOnTheWire() throws Exception {
        var client = vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
                .setHttp2ClearTextUpgrade(false));
        // An empty GetMeRequest in gRPC framing: no compression flag, zero length.
        Buffer emptyMessage = Buffer.buffer(new byte[] {0, 0, 0, 0, 0});
        HttpClientResponse response = client.request(new RequestOptions().setMethod(HttpMethod.POST)
                        .setHost("localhost").setPort(Api.GRPC_PORT).setURI("/parley.v1.UserService/GetMe")
                        .putHeader("content-type", "application/grpc").putHeader("te", "trailers"))
                .compose(request -> request.send(emptyMessage))
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        client.close();

        assertThat(response.getHeader("grpc-status")).isEqualTo("16");
        assertThat(response.getHeader("grpc-message"))
                .isEqualTo("This call needs an access token in the authorization metadata, as 'Bearer <token>'");
    }
}
