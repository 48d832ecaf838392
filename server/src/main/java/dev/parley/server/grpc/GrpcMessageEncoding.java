package dev.parley.server.grpc;

import io.vertx.core.MultiMap;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Re-encodes the {@code grpc-message} header as the gRPC spec asks: percent-encoding only bytes outside printable
 * ASCII, and '%'. Vert.x URL-encodes it instead (',' becomes %2C, ':' %3A), and clients that decode per spec,
 * like grpc-js with decodeURI, then show those escapes to people. Error answers before any response message
 * (every unary failure) carry the header in the response headers, which is where this hook can reach.
 */
@ApplicationScoped
class GrpcMessageEncoding {

    private static final String HEADER = "grpc-message";

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(context -> {
            String type = context.request().getHeader("content-type");
            if (type != null && type.startsWith("application/grpc")) {
                context.addHeadersEndHandler(ignored -> reencode(context.response().headers()));
            }
            context.next();
        });
    }

    static void reencode(MultiMap headers) {
        String message = headers.get(HEADER);
        if (message != null) {
            headers.set(HEADER, encode(URLDecoder.decode(message.replace("+", "%2B"), StandardCharsets.UTF_8)));
        }
    }

    /** Percent-encoding per the gRPC HTTP/2 protocol: printable ASCII except '%' stays as it is. */
    static String encode(String message) {
        StringBuilder encoded = new StringBuilder(message.length());
        for (byte b : message.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 0x20 && c <= 0x7e && c != '%') {
                encoded.append((char) c);
            } else {
                encoded.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return encoded.toString();
    }
}
