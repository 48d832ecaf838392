package dev.parley.server.grpc;

import dev.parley.server.common.ErrorKind;
import dev.parley.server.common.ParleyException;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.StatusException;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.spi.Prioritized;
import java.nio.charset.StandardCharsets;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The request size limits, answered as gRPC statuses with the limit in the message and an ErrorInfo reason
 * (METADATA_TOO_LARGE, MESSAGE_TOO_LARGE). The transport's own limits are set higher (application.properties): at
 * them grpc-java refuses the request before any interceptor runs, with a plain RESOURCE_EXHAUSTED or, for headers,
 * a bare HTTP 431, so every request a client could reasonably send gets the typed answer from here instead.
 */
@GlobalInterceptor
@ApplicationScoped
class TransportLimits implements ServerInterceptor, Prioritized {

    /** RFC 7540 §6.5.2: a header's size is its name and value in bytes plus 32. */
    private static final int HEADER_OVERHEAD = 32;

    private final int maxMetadataBytes;
    private final int maxMessageBytes;

    TransportLimits(@ConfigProperty(name = "parley.grpc.max-metadata-bytes") int maxMetadataBytes,
            @ConfigProperty(name = "parley.grpc.max-message-bytes") int maxMessageBytes) {
        this.maxMetadataBytes = maxMetadataBytes;
        this.maxMessageBytes = maxMessageBytes;
    }

    /** Inside the request ids and the malformed-request check, so that a refused call is still logged with its id. */
    @Override
    public int getPriority() {
        return Integer.MAX_VALUE - 2;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        int metadataBytes = size(headers);
        if (metadataBytes > maxMetadataBytes) {
            refuse(call, ParleyException.of(ErrorKind.RESOURCE_EXHAUSTED, "METADATA_TOO_LARGE",
                    "The request metadata is " + metadataBytes + " bytes; the limit is " + maxMetadataBytes
                            + " bytes").with("limit_bytes", Integer.toString(maxMetadataBytes)));
            return new ServerCall.Listener<>() {
            };
        }
        return new RefusingListener<>(call, next.startCall(call, headers)) {
            @Override
            ParleyException refusal(Q message) {
                boolean tooLarge = OversizedRequests.isMarker(message)
                        || message instanceof com.google.protobuf.MessageLite request
                        && request.getSerializedSize() > maxMessageBytes;
                return !tooLarge ? null : ParleyException.of(ErrorKind.RESOURCE_EXHAUSTED, "MESSAGE_TOO_LARGE",
                        "The request message is larger than the limit of " + maxMessageBytes + " bytes")
                        .with("limit_bytes", Integer.toString(maxMessageBytes));
            }
        };
    }

    private static void refuse(ServerCall<?, ?> call, ParleyException why) {
        StatusException answer = ErrorMapping.toStatusException(why);
        call.close(answer.getStatus(), answer.getTrailers());
    }

    /** The metadata as HTTP/2 counts it: binary values travel base64-encoded. */
    private static int size(Metadata headers) {
        int total = 0;
        for (String key : headers.keys()) {
            if (key.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
                for (byte[] value : headers.getAll(Metadata.Key.of(key, Metadata.BINARY_BYTE_MARSHALLER))) {
                    total += key.length() + (value.length * 4 + 2) / 3 + HEADER_OVERHEAD;
                }
            } else {
                for (String value : headers.getAll(Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER))) {
                    total += key.length() + value.getBytes(StandardCharsets.UTF_8).length + HEADER_OVERHEAD;
                }
            }
        }
        return total;
    }
}
