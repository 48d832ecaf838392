package dev.parley.server.web;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import jakarta.annotation.PreDestroy;
import io.quarkus.runtime.LaunchMode;
import io.vertx.core.net.SocketAddress;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * HTTP/2 connections from the bridge to this server's native gRPC port, on the loopback interface: streams of many
 * browsers share a few plaintext connections (prior knowledge). The gRPC port is plaintext; TLS for browsers and
 * native clients alike is the front's job (Envoy, docs/operations.md).
 */
@ApplicationScoped
class LoopbackChannel {

    /**
     * The relayed call's authority. It is sent as {@code :authority} and must be a valid host: a bare IPv6 address
     * ({@code 0:0:0:0:0:0:0:1}) is not one, and the server refused every such call.
     */
    private static final String AUTHORITY = "localhost";

    private final HttpClient plaintext;
    private final SocketAddress grpcServer;

    LoopbackChannel(Vertx vertx, WebConfig config, @ConfigProperty(name = "quarkus.grpc.server.host") String host,
            @ConfigProperty(name = "quarkus.grpc.server.port") int port,
            @ConfigProperty(name = "quarkus.grpc.server.test-port") int testPort) {
        PoolOptions pool = new PoolOptions().setHttp2MaxSize(config.upstreamConnections());
        HttpClientOptions h2c = new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
                .setHttp2ClearTextUpgrade(false).setConnectTimeout(5_000);
        this.plaintext = vertx.createHttpClient(h2c, pool);
        this.grpcServer = SocketAddress.inetSocketAddress(LaunchMode.current() == LaunchMode.TEST ? testPort : port,
                loopbackFor(host));
    }

    /** The address to reach a server bound to {@code host} from this process. */
    static String loopbackFor(String host) {
        return switch (host) {
            case "0.0.0.0", "localhost" -> "127.0.0.1";
            case "::", "[::]", "0:0:0:0:0:0:0:0" -> "::1";
            default -> host;
        };
    }

    /** Starts the native call that relays a browser's request. */
    Future<HttpClientRequest> open(HttpServerRequest browser) {
        RequestOptions call = new RequestOptions().setMethod(HttpMethod.POST).setServer(grpcServer)
                .setHost(AUTHORITY).setPort(grpcServer.port()).setURI(browser.uri());
        return plaintext.request(call);
    }

    @PreDestroy
    void close() {
        plaintext.close();
    }
}
