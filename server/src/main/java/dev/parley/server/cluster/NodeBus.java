package dev.parley.server.cluster;

import java.util.function.Consumer;

/**
 * Carries small notices to every server node, this one included: in clustered mode over Redis pub/sub with one
 * subscription per node, in single-node mode in process. Delivery is at most once; whoever needs every notice must
 * be able to catch up from PostgreSQL, and {@link #onReconnect} tells them when they may have missed some.
 */
public interface NodeBus {

    /** Sends a notice on a channel to the subscribers of every node. Never blocks the caller on the network. */
    void publish(String channel, String payload);

    /** Receives every notice published on the channel from now on, on an I/O thread: handlers must be quick. */
    void subscribe(String channel, Consumer<String> handler);

    /** Runs after the node's subscription was lost and restored, when notices may have been missed meanwhile. */
    void onReconnect(Runnable catchUp);

    /** True when notices cross nodes (Redis); false for the single-node, in-process bus. */
    boolean clustered();
}
