package dev.parley.server.support;

import com.google.protobuf.MessageLite;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A gRPC-Web client as a browser is one: HTTP/1.1 POSTs with framed protobuf bodies, in binary or base64 text mode,
 * reading the response frame by frame as it arrives. Small on purpose, so the tests see the wire format itself.
 */
public final class GrpcWebClient {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final String base;
    private final boolean text;

    private GrpcWebClient(String base, boolean text) {
        this.base = base;
        this.text = text;
    }

    public static GrpcWebClient binary() {
        return new GrpcWebClient("http://localhost:8081", false);
    }

    public static GrpcWebClient text() {
        return new GrpcWebClient("http://localhost:8081", true);
    }

    /** Binary mode against another address of the test server, e.g. {@code http://[::1]:8081}. */
    public static GrpcWebClient at(String base) {
        return new GrpcWebClient(base, false);
    }

    /** A unary call, read to its end. */
    public Answer call(String method, MessageLite request, Map<String, String> headers) throws Exception {
        try (Call call = open(method, request, headers)) {
            return call.readAll();
        }
    }

    /** Starts a call whose frames are then read one at a time; closing it is the browser giving up (tab closed). */
    public Call open(String method, MessageLite request, Map<String, String> headers) throws Exception {
        return send(method, frame(request.toByteArray()), headers);
    }

    /** Sends a body as given (already framed), for requests no well-behaved client would make. */
    public Call send(String method, byte[] frames, Map<String, String> headers) throws Exception {
        var builder = HttpRequest.newBuilder(URI.create(base + "/" + method))
                .header("content-type", text ? "application/grpc-web-text" : "application/grpc-web+proto")
                .header("x-grpc-web", "1")
                .POST(HttpRequest.BodyPublishers.ofByteArray(text ? Base64.getEncoder().encode(frames) : frames));
        headers.forEach(builder::header);
        HttpResponse<InputStream> response = HTTP.send(builder.build(), HttpResponse.BodyHandlers.ofInputStream());
        return new Call(response, text);
    }

    public static byte[] frame(byte[] message) {
        return ByteBuffer.allocate(5 + message.length).put((byte) 0).putInt(message.length).put(message).array();
    }

    /** A response read whole: its messages and its trailers (from the trailer frame, or the headers if trailers-only). */
    public record Answer(int httpStatus, Map<String, String> headers, List<byte[]> messages, Map<String, String> trailers) {
        public String status() {
            return trailers.getOrDefault("grpc-status", headers.get("grpc-status"));
        }
    }

    /** One frame: a message, or the trailers. */
    public record Frame(byte[] message, Map<String, String> trailers) {
    }

    public static final class Call implements AutoCloseable {
        private final HttpResponse<InputStream> response;
        private final DataInputStream body;

        Call(HttpResponse<InputStream> response, boolean text) {
            this.response = response;
            InputStream raw = response.body();
            this.body = new DataInputStream(text ? new Base64Segments(raw) : raw);
        }

        public HttpResponse<InputStream> response() {
            return response;
        }

        /** The next frame, blocking until it arrives; null at the end of the body. */
        public Frame next() throws IOException {
            int flags;
            try {
                flags = body.readUnsignedByte();
            } catch (EOFException end) {
                return null;
            }
            byte[] payload = new byte[body.readInt()];
            body.readFully(payload);
            if ((flags & 0x80) == 0) {
                return new Frame(payload, null);
            }
            Map<String, String> trailers = new LinkedHashMap<>();
            for (String line : new String(payload, StandardCharsets.US_ASCII).split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    trailers.put(line.substring(0, colon).trim().toLowerCase(), line.substring(colon + 1).trim());
                }
            }
            return new Frame(null, trailers);
        }

        public Answer readAll() throws IOException {
            List<byte[]> messages = new ArrayList<>();
            Map<String, String> trailers = Map.of();
            for (Frame frame = next(); frame != null; frame = next()) {
                if (frame.trailers() != null) {
                    trailers = frame.trailers();
                } else {
                    messages.add(frame.message());
                }
            }
            Map<String, String> headers = new LinkedHashMap<>();
            response.headers().map().forEach((name, values) -> headers.put(name.toLowerCase(), values.get(0)));
            return new Answer(response.statusCode(), headers, messages, trailers);
        }

        @Override
        public void close() throws IOException {
            body.close();
        }
    }

    /** Decodes a body of independently padded base64 segments, as gRPC-Web text responses are. */
    private static final class Base64Segments extends InputStream {
        private final InputStream in;
        private byte[] decoded = new byte[0];
        private int at;

        Base64Segments(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            while (at == decoded.length) {
                byte[] quad = in.readNBytes(4);
                if (quad.length == 0) {
                    return -1;
                }
                if (quad.length < 4) {
                    throw new IOException("truncated base64");
                }
                decoded = Base64.getDecoder().decode(quad);
                at = 0;
            }
            return decoded[at++] & 0xff;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
