package dev.parley.server.web;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Calls the bridge ends itself, before or instead of the server: a status in a trailer frame, as gRPC would. */
final class BridgeAnswers {

    private BridgeAnswers() {
    }

    /** Ends the browser's response with a gRPC status code and message, if it is still open. */
    static void fail(HttpServerResponse browser, GrpcWebFormat format, int code, String message) {
        if (browser.ended() || browser.closed()) {
            return;
        }
        MultiMap trailers = MultiMap.caseInsensitiveMultiMap().add("grpc-status", Integer.toString(code))
                .add("grpc-message", URLEncoder.encode(message, StandardCharsets.UTF_8).replace("+", "%20"));
        if (!browser.headWritten()) {
            browser.setStatusCode(200).putHeader("content-type", format.contentType);
        }
        browser.end(format.trailerFrame(trailers));
    }
}
