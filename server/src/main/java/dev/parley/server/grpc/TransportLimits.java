package dev.parley.server.grpc;

import dev.parley.server.common.ErrorKind;
import dev.parley.server.common.ParleyException;
import io.grpc.Metadata;
import io.grpc.StatusException;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Base64;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The request size limits, answered as gRPC statuses that every client library reads, with the limit in the
 * message and an ErrorInfo reason. Left to the transport, an oversized message got RESOURCE_EXHAUSTED with no
 * message at all, and oversized metadata got a bare HTTP 431 that grpc-java and grpc-js both report as UNKNOWN.
 * So the HTTP/2 layer's own header limit is set well above the metadata limit (application.properties), and the
 * metadata limit is enforced here, before the call starts.
 */
@ApplicationScoped
class TransportLimits {

    /** RFC 7540 §6.5.2: a header's size is its name and value in bytes plus 32. */
    private static final int HEADER_OVERHEAD = 32;
    private static final Metadata.Key<byte[]> DETAILS = Metadata.Key.of("grpc-status-details-bin",
            Metadata.BINARY_BYTE_MARSHALLER);

    private final int maxMetadataBytes;
    private final int maxMessageBytes;

    TransportLimits(@ConfigProperty(name = "parley.grpc.max-metadata-bytes") int maxMetadataBytes,
            @ConfigProperty(name = "quarkus.grpc.server.max-inbound-message-size") int maxMessageBytes) {
        this.maxMetadataBytes = maxMetadataBytes;
        this.maxMessageBytes = maxMessageBytes;
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE + 2).handler(context -> {
            String type = context.request().getHeader("content-type");
            if (type == null || !type.startsWith("application/grpc") || type.startsWith("application/grpc-web")) {
                context.next();
                return;
            }
            int metadataBytes = size(context.request().headers());
            if (metadataBytes > maxMetadataBytes) {
                refuse(context.response(), ParleyException.of(ErrorKind.RESOURCE_EXHAUSTED, "METADATA_TOO_LARGE",
                        "The request metadata is " + metadataBytes + " bytes; the limit is " + maxMetadataBytes
                                + " bytes").with("limit_bytes", Integer.toString(maxMetadataBytes)));
                return;
            }
            context.addHeadersEndHandler(ignored -> explainOversizedMessage(context));
            context.next();
        });
    }

    /**
     * Vert.x refuses a message over the limit itself, as a trailers-only RESOURCE_EXHAUSTED without a message:
     * the only answer of this server with that code and nothing said, so it is recognised and completed here.
     */
    private void explainOversizedMessage(RoutingContext context) {
        MultiMap headers = context.response().headers();
        if ("8".equals(headers.get("grpc-status")) && !headers.contains("grpc-message")) {
            ParleyException tooLarge = ParleyException.of(ErrorKind.RESOURCE_EXHAUSTED, "MESSAGE_TOO_LARGE",
                    "The request message is larger than the limit of " + maxMessageBytes + " bytes")
                    .with("limit_bytes", Integer.toString(maxMessageBytes));
            statusHeaders(headers, tooLarge);
        }
    }

    private static void refuse(HttpServerResponse response, ParleyException why) {
        response.setStatusCode(200).putHeader("content-type", "application/grpc");
        statusHeaders(response.headers(), why);
        response.end();
    }

    private static void statusHeaders(MultiMap headers, ParleyException why) {
        StatusException answer = ErrorMapping.toStatusException(why);
        headers.set("grpc-status", Integer.toString(answer.getStatus().getCode().value()));
        headers.set("grpc-message", GrpcMessageEncoding.encode(why.getMessage()));
        headers.set(DETAILS.name(), Base64.getEncoder().withoutPadding().encodeToString(
                answer.getTrailers().get(DETAILS)));
    }

    private static int size(MultiMap headers) {
        int total = 0;
        for (Map.Entry<String, String> header : headers) {
            total += header.getKey().length() + header.getValue().length() + HEADER_OVERHEAD;
        }
        return total;
    }
}
