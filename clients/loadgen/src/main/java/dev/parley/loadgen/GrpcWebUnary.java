package dev.parley.loadgen;

import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A unary call over gRPC-Web as a browser makes it: an HTTP POST of one length-prefixed frame
 * (application/grpc-web+proto) to the server's HTTP port, the answer a data frame and a trailer frame. Hand-made,
 * so the files workload measures the server's gRPC-Web path and nothing of a client library.
 */
final class GrpcWebUnary {

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final URI base;
    private final String authorization;

    GrpcWebUnary(String httpAddress, String accessToken) {
        this.base = URI.create(httpAddress.endsWith("/") ? httpAddress : httpAddress + "/");
        this.authorization = "Bearer " + accessToken;
    }

    <R> R call(String method, MessageLite request, Parser<R> answer) throws IOException, InterruptedException {
        byte[] body = request.toByteArray();
        ByteBuffer frame = ByteBuffer.allocate(5 + body.length).put((byte) 0).putInt(body.length).put(body);
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(base.resolve(method))
                .header("content-type", "application/grpc-web+proto").header("x-grpc-web", "1")
                .header("authorization", authorization)
                .POST(HttpRequest.BodyPublishers.ofByteArray(frame.array())).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        ByteBuffer in = ByteBuffer.wrap(response.body());
        R message = null;
        String status = response.headers().firstValue("grpc-status").orElse(null);
        while (in.remaining() >= 5) {
            byte flags = in.get();
            byte[] payload = new byte[in.getInt()];
            in.get(payload);
            if ((flags & 0x80) != 0) {
                for (String line : new String(payload, StandardCharsets.US_ASCII).split("\r\n")) {
                    if (line.toLowerCase().startsWith("grpc-status:")) {
                        status = line.substring("grpc-status:".length()).trim();
                    }
                }
            } else {
                message = answer.parseFrom(payload);
            }
        }
        if (!"0".equals(status) || message == null) {
            throw new IOException(method + " over gRPC-Web answered HTTP " + response.statusCode() + ", grpc-status "
                    + status);
        }
        return message;
    }
}
