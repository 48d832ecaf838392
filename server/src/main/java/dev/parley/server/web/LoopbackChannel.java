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
import jakarta.enterprise.context.ApplicationScoped;

/**
 * HTTP/2 connections from the bridge to the very port the browser reached, which is always this server's own.
 * Streams of many browsers share a few connections; plaintext by prior knowledge, or TLS when the browser's request
 * came over TLS (the server's certificate is not checked: the peer is this process).
 */
@ApplicationScoped
class LoopbackChannel {

    private final HttpClient plaintext;
    private final HttpClient tls;

    LoopbackChannel(Vertx vertx, WebConfig config) {
        PoolOptions pool = new PoolOptions().setHttp2MaxSize(config.upstreamConnections());
        HttpClientOptions h2c = new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
                .setHttp2ClearTextUpgrade(false).setConnectTimeout(5_000);
        this.plaintext = vertx.createHttpClient(h2c, pool);
        this.tls = vertx.createHttpClient(new HttpClientOptions(h2c).setSsl(true).setUseAlpn(true).setTrustAll(true)
                .setVerifyHost(false), pool);
    }

    /**
     * The relayed call's authority. It is sent as {@code :authority} and must be a valid host: a bare IPv6 address
     * ({@code 0:0:0:0:0:0:0:1}, what a browser at {@code http://localhost} reaches first) is not one, and the
     * server refused every such call. The connection still goes to the exact local address the browser reached.
     */
    private static final String AUTHORITY = "localhost";

    /** Starts the native call that relays a browser's request. */
    Future<HttpClientRequest> open(HttpServerRequest browser) {
        var server = browser.localAddress();
        RequestOptions call = new RequestOptions().setMethod(HttpMethod.POST).setServer(server)
                .setHost(AUTHORITY).setPort(server.port()).setURI(browser.uri());
        return (browser.isSSL() ? tls : plaintext).request(call);
    }

    @PreDestroy
    void close() {
        plaintext.close();
        tls.close();
    }
}
