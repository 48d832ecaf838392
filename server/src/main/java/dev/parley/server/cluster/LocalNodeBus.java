package dev.parley.server.cluster;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** The single-node bus: notices go straight to this process's subscribers; there is no connection to lose. */
final class LocalNodeBus implements NodeBus {

    private final Map<String, List<Consumer<String>>> subscribers = new ConcurrentHashMap<>();

    @Override
    public void publish(String channel, String payload) {
        subscribers.getOrDefault(channel, List.of()).forEach(handler -> handler.accept(payload));
    }

    @Override
    public void subscribe(String channel, Consumer<String> handler) {
        subscribers.computeIfAbsent(channel, c -> new CopyOnWriteArrayList<>()).add(handler);
    }

    @Override
    public void onReconnect(Runnable catchUp) {
        // nothing to reconnect
    }

    @Override
    public boolean clustered() {
        return false;
    }
}
