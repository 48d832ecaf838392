package dev.parley.server.web;

import dev.parley.server.auth.ClientAddresses;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Answers gRPC-Web on the server's own HTTP port, so that a browser reaches every service without a proxy (Envoy's
 * grpc_web filter does the same job in production). Each gRPC-Web request is relayed as a native gRPC call over
 * HTTP/2 to this same server, so interceptors, limits, deadlines and errors are exactly those of native clients.
 * Response frames are passed on as they arrive (a stream's messages are not held back), with the upstream's HTTP/2
 * flow control carried through; the final status travels in the gRPC-Web trailer frame. A browser that goes away
 * resets the relayed call, which releases it on the server as a native cancel does.
 */
@ApplicationScoped
class GrpcWebBridge {

    /**
     * After Quarkus's CORS filter (order -300, so answers carry its headers and foreign origins are refused) and
     * before the gRPC route (-200), which would otherwise take these requests for native gRPC and fail them.
     */
    static final int ROUTE_ORDER = -250;

    /** Request headers that belong to the browser's HTTP exchange, not to the call's metadata. */
    private static final Set<String> NOT_METADATA = Set.of("host", "connection", "keep-alive", "content-length",
            "content-type", "transfer-encoding", "te", "upgrade", "origin", "referer", "cookie", "accept",
            "accept-encoding", "accept-language", "cache-control", "pragma", "priority", "x-grpc-web",
            "x-user-agent", "http2-settings", ClientAddresses.RELAYED_ADDRESS, ClientAddresses.RELAY_TOKEN);
    /** Response headers that describe the upstream HTTP/2 exchange rather than the call. */
    private static final Set<String> NOT_CALL_HEADERS = Set.of("content-type", "content-length", "transfer-encoding",
            "connection", "trailer");

    private final LoopbackChannel loopback;
    private final ClientAddresses addresses;
    private final WebConfig config;

    GrpcWebBridge(LoopbackChannel loopback, ClientAddresses addresses, WebConfig config) {
        this.loopback = loopback;
        this.addresses = addresses;
        this.config = config;
    }

    void install(@Observes Router router) {
        router.route().order(ROUTE_ORDER).handler(context -> {
            if (GrpcWebFormat.isGrpcWeb(context.request().getHeader("content-type"))) {
                accept(context);
            } else {
                context.next();
            }
        });
    }

    private void accept(RoutingContext context) {
        HttpServerRequest request = context.request();
        GrpcWebFormat format = GrpcWebFormat.of(request.getHeader("content-type"));
        if (format == null) {
            context.response().setStatusCode(415).end("Only application/grpc-web(+proto) and application/grpc-web-text "
                    + "are served");
            return;
        }
        if (request.method() != HttpMethod.POST) {
            context.response().setStatusCode(405).putHeader("allow", "POST").end();
            return;
        }
        Buffer body = Buffer.buffer();
        request.handler(chunk -> {
            if (body.length() + chunk.length() > config.maxRequestBytes()) {
                request.handler(null);
                request.endHandler(null);
                context.response().putHeader("connection", "close");
                BridgeAnswers.fail(context.response(), format, 8, "The request is larger than "
                        + config.maxRequestBytes() + " bytes");
                return;
            }
            body.appendBuffer(chunk);
        });
        request.endHandler(ignored -> relay(context, format, body));
        request.exceptionHandler(ignored -> context.response().reset());
        request.resume(); // Quarkus pauses requests before routing; nothing is read until resumed
    }

    private void relay(RoutingContext context, GrpcWebFormat format, Buffer body) {
        Buffer frames;
        try {
            frames = format.decodeRequest(body);
        } catch (IllegalArgumentException notBase64) {
            BridgeAnswers.fail(context.response(), format, 3, "The grpc-web-text request body is not base64");
            return;
        }
        HttpServerRequest request = context.request();
        loopback.open(request).onComplete(opened -> {
            if (opened.failed()) {
                BridgeAnswers.fail(context.response(), format, 14, "The server cannot take calls right now");
                return;
            }
            HttpClientRequest call = opened.result();
            copyMetadata(request, call);
            long timeoutMillis = GrpcTimeout.millis(request.getHeader("grpc-timeout"));
            long deadline = deadline(context, format, call, timeoutMillis);
            // The gRPC server also ends the call at its deadline and may reset it first: reported the same way.
            long deadlineNanos = System.nanoTime()
                    + (timeoutMillis < 0 ? Long.MAX_VALUE / 2 : TimeUnit.MILLISECONDS.toNanos(timeoutMillis));
            context.response().closeHandler(gone -> {
                call.reset();
                context.vertx().cancelTimer(deadline);
            });
            context.response().endHandler(ended -> context.vertx().cancelTimer(deadline));
            Runnable interrupted = () -> {
                if (System.nanoTime() - deadlineNanos >= 0) {
                    BridgeAnswers.fail(context.response(), format, 4, "Deadline exceeded");
                } else {
                    BridgeAnswers.fail(context.response(), format, 14, "The call was interrupted");
                }
            };
            call.send(frames).onComplete(answered -> {
                if (answered.failed()) {
                    interrupted.run();
                } else {
                    pass(answered.result(), context.response(), format, interrupted);
                }
            });
        });
    }

    /**
     * The bridge keeps the browser's deadline itself, whatever the upstream call does: at {@code grpc-timeout} the
     * relayed call is reset and the browser gets DEADLINE_EXCEEDED.
     */
    private static long deadline(RoutingContext context, GrpcWebFormat format, HttpClientRequest call, long millis) {
        if (millis < 0) {
            return -1;
        }
        return context.vertx().setTimer(millis, expired -> {
            call.reset();
            BridgeAnswers.fail(context.response(), format, 4, "Deadline exceeded");
        });
    }

    private void copyMetadata(HttpServerRequest from, HttpClientRequest to) {
        for (var header : from.headers()) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (!NOT_METADATA.contains(name) && !name.startsWith("sec-") && !name.startsWith(":")) {
                to.headers().add(name, header.getValue());
            }
        }
        to.putHeader("content-type", "application/grpc+proto").putHeader("te", "trailers")
                .putHeader(ClientAddresses.RELAYED_ADDRESS, from.remoteAddress().hostAddress())
                .putHeader(ClientAddresses.RELAY_TOKEN, addresses.relayToken());
    }

    private static void pass(HttpClientResponse upstream, HttpServerResponse browser, GrpcWebFormat format,
            Runnable interrupted) {
        MultiMap headers = callHeaders(upstream.headers());
        browser.setStatusCode(200).setChunked(true).putHeader("content-type", format.contentType);
        if (headers.contains("grpc-status")) { // trailers-only: the call ended without sending anything
            browser.end(format.trailerFrame(headers));
            return;
        }
        browser.headers().addAll(headers);
        upstream.handler(piece -> {
            browser.write(format.encodeResponse(piece));
            if (browser.writeQueueFull()) { // a slow browser slows the upstream stream, down to the server's buffers
                upstream.pause();
                browser.drainHandler(drained -> upstream.resume());
            }
        });
        upstream.exceptionHandler(broken -> interrupted.run());
        upstream.endHandler(ended -> {
            if (!browser.ended()) {
                browser.end(format.trailerFrame(callHeaders(upstream.trailers())));
            }
        });
    }

    private static MultiMap callHeaders(MultiMap headers) {
        MultiMap kept = MultiMap.caseInsensitiveMultiMap();
        for (var header : headers) {
            if (!NOT_CALL_HEADERS.contains(header.getKey().toLowerCase(Locale.ROOT))) {
                kept.add(header.getKey(), header.getValue());
            }
        }
        return kept;
    }
}
