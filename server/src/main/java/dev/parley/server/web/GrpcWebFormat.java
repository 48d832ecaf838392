package dev.parley.server.web;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;

/**
 * The two gRPC-Web encodings of the same gRPC frames: binary ({@code application/grpc-web+proto}) and text
 * ({@code application/grpc-web-text}, base64), and the trailer frame that carries the status in the body because
 * HTTP/1.1 browsers cannot read real trailers.
 */
enum GrpcWebFormat {
    BINARY("application/grpc-web+proto"),
    TEXT("application/grpc-web-text+proto");

    /** Marks a frame as trailers rather than a message (gRPC-Web protocol, "Message framing"). */
    private static final byte TRAILER_FLAG = (byte) 0x80;

    final String contentType;

    GrpcWebFormat(String contentType) {
        this.contentType = contentType;
    }

    /** The format a request's content type asks for; null when it is not gRPC-Web in protobuf. */
    static GrpcWebFormat of(String contentType) {
        if (contentType == null) {
            return null;
        }
        String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return switch (type) {
            case "application/grpc-web", "application/grpc-web+proto" -> BINARY;
            case "application/grpc-web-text", "application/grpc-web-text+proto" -> TEXT;
            default -> null;
        };
    }

    /** Whether a content type is some kind of gRPC-Web, supported or not. */
    static boolean isGrpcWeb(String contentType) {
        return contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("application/grpc-web");
    }

    /** The gRPC frames a request body carries. */
    Buffer decodeRequest(Buffer body) {
        if (this == BINARY) {
            return body;
        }
        String text = body.toString(StandardCharsets.US_ASCII).replaceAll("\\s", "");
        return Buffer.buffer(Base64.getDecoder().decode(text));
    }

    /**
     * Bytes to send for a piece of the response. Text mode encodes each piece on its own, padding included, which
     * the protocol allows: decoders read the body as a run of independently padded base64 segments.
     */
    Buffer encodeResponse(Buffer piece) {
        if (this == BINARY) {
            return piece;
        }
        return Buffer.buffer(Base64.getEncoder().encode(piece.getBytes()));
    }

    /** The trailer frame: the gRPC status and trailing metadata as HTTP/1.1 header lines. */
    Buffer trailerFrame(MultiMap trailers) {
        StringBuilder lines = new StringBuilder();
        for (Map.Entry<String, String> trailer : trailers) {
            lines.append(trailer.getKey().toLowerCase(Locale.ROOT)).append(':').append(trailer.getValue()).append("\r\n");
        }
        byte[] block = lines.toString().getBytes(StandardCharsets.US_ASCII);
        Buffer frame = Buffer.buffer(5 + block.length).appendByte(TRAILER_FLAG).appendInt(block.length)
                .appendBytes(block);
        return encodeResponse(frame);
    }
}
