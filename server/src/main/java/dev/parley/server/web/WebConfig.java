package dev.parley.server.web;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The gRPC-Web bridge, from {@code parley.web.*} or {@code PARLEY_WEB_*}. Origins allowed are CORS settings. */
@ConfigMapping(prefix = "parley.web")
public interface WebConfig {

    /**
     * Largest gRPC-Web request body accepted, in bytes, before base64 decoding: room for one message of the gRPC
     * server's largest size in text mode. Larger bodies get RESOURCE_EXHAUSTED, as a native call would.
     */
    @WithDefault("5600000")
    int maxRequestBytes();

    /**
     * Most connections the bridge opens to its own gRPC port, made as needed; each carries up to 100 concurrent
     * streams (the server's HTTP/2 setting), so the default serves 51,200 browser streams per node.
     */
    @WithDefault("512")
    int upstreamConnections();

    /** The address people open the web app at, as links in mail point to it (behind a proxy: the proxy's). */
    @WithDefault("http://localhost:8080")
    String publicUrl();
}
