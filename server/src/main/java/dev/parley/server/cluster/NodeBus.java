package dev.parley.server.cluster;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * Carries small notices to the nodes that listen on a channel, this one included: in clustered mode over Redis
 * sharded pub/sub on one connection per node, in single-node mode in process. A node subscribes only to what its
 * clients need (a conversation's channel while a local stream follows it), so it never receives the rest. Delivery
 * is at most once; whoever needs every notice must be able to catch up from PostgreSQL, and {@link #onReconnect}
 * tells them when they may have missed some. Payloads are bytes, passed through unchanged (no text encoding).
 */
public interface NodeBus {

    /** Sends a notice on a channel to every node subscribed to it. Never blocks the caller on the network. */
    void publish(String channel, byte[] payload);

    /**
     * Receives every notice published on the channel from now on, on an I/O thread: handlers must be quick. The
     * stage completes once the subscription is sent (in process: in force); Redis applies it a moment later, and
     * notices published before that are missed, so subscribers catch up from PostgreSQL after it.
     */
    CompletionStage<Void> subscribe(String channel, Consumer<byte[]> handler);

    /** Stops handing the channel's notices to the handler; the node leaves the channel with its last handler. */
    void unsubscribe(String channel, Consumer<byte[]> handler);

    /** Runs after the node's subscription was lost and restored, when notices may have been missed meanwhile. */
    void onReconnect(Runnable catchUp);

    /** True when notices cross nodes (Redis); false for the single-node, in-process bus. */
    boolean clustered();

    /** False while the bus cannot reach Redis (notices then reach this node's own subscribers only). */
    default boolean connected() {
        return true;
    }

    /** {@link #publish(String, byte[])} for text notices. */
    default void publish(String channel, String payload) {
        publish(channel, payload.getBytes(StandardCharsets.UTF_8));
    }

    /** {@link #subscribe(String, Consumer)} for text notices, for the node's whole life. */
    default void subscribeText(String channel, Consumer<String> handler) {
        subscribe(channel, bytes -> handler.accept(new String(bytes, StandardCharsets.UTF_8)));
    }
}
