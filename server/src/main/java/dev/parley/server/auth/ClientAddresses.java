package dev.parley.server.auth;

import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Where a call comes from, for log-in throttling and the session list. Calls that the server's own gRPC-Web bridge
 * relays arrive from the loopback address, so the bridge names the browser's address in a header, vouched for by a
 * token only this process knows: without it every browser would share one address (and one throttle).
 */
@ApplicationScoped
public class ClientAddresses {

    /** The browser's address as the bridge saw it. */
    public static final String RELAYED_ADDRESS = "x-parley-relayed-address";
    /** Proves that {@link #RELAYED_ADDRESS} was written by this process's bridge, not by a client. */
    public static final String RELAY_TOKEN = "x-parley-relay-token";

    private static final Metadata.Key<String> FORWARDED_FOR =
            Metadata.Key.of("x-forwarded-for", Metadata.ASCII_STRING_MARSHALLER);
    private static final Metadata.Key<String> RELAYED =
            Metadata.Key.of(RELAYED_ADDRESS, Metadata.ASCII_STRING_MARSHALLER);
    private static final Metadata.Key<String> TOKEN = Metadata.Key.of(RELAY_TOKEN, Metadata.ASCII_STRING_MARSHALLER);

    private final String relayToken = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
    private final AuthConfig config;

    ClientAddresses(AuthConfig config) {
        this.config = config;
    }

    /** The token the bridge puts on every call it relays. */
    public String relayToken() {
        return relayToken;
    }

    String of(ServerCall<?, ?> call, Metadata headers) {
        String forwarded = config.trustForwardedFor() ? headers.get(FORWARDED_FOR) : null;
        if (forwarded != null && !forwarded.isBlank()) {
            String[] hops = forwarded.split(",");
            return hops[hops.length - 1].trim();
        }
        String relayed = headers.get(RELAYED);
        if (relayed != null && relayToken.equals(headers.get(TOKEN))) {
            return relayed;
        }
        SocketAddress peer = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
        if (peer instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return inet.getAddress().getHostAddress();
        }
        return peer == null ? "unknown" : peer.toString();
    }
}
