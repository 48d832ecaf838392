package dev.parley.loadgen;

import dev.parley.api.v1.StreamEventsRequest;
import dev.parley.api.v1.StreamEventsResponse;
import io.grpc.stub.StreamObserver;
import java.util.BitSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One receiver's event stream. Each message carries its send time ("B|seq|micros|..."), so latency is measured on
 * arrival; a sequence seen twice is a duplicate.
 */
final class LiveReceiver implements StreamObserver<StreamEventsResponse> {

    final CountDownLatch ready = new CountDownLatch(1);
    private final SimulatedUser user;
    private final Latencies latencies;
    private final AtomicLong deliveries;
    private final AtomicLong duplicates;
    private final BitSet seen = new BitSet();
    volatile Throwable failure;

    LiveReceiver(SimulatedUser user, Latencies latencies, AtomicLong deliveries, AtomicLong duplicates) {
        this.user = user;
        this.latencies = latencies;
        this.deliveries = deliveries;
        this.duplicates = duplicates;
    }

    void open() {
        user.events().streamEvents(StreamEventsRequest.getDefaultInstance(), this);
    }

    @Override
    public void onNext(StreamEventsResponse item) {
        if (item.hasReady()) {
            ready.countDown();
            return;
        }
        if (!item.hasConversationEvent() || !item.getConversationEvent().hasMessageSent()) {
            return;
        }
        long now = Pacer.micros();
        String text = item.getConversationEvent().getMessageSent().getText();
        if (!text.startsWith("B|")) {
            return;
        }
        String[] parts = text.split("\\|", 4);
        int sequence = Integer.parseInt(parts[1]);
        synchronized (seen) {
            if (seen.get(sequence)) {
                duplicates.incrementAndGet();
                return;
            }
            seen.set(sequence);
        }
        deliveries.incrementAndGet();
        latencies.add(Math.max(0, now - Long.parseLong(parts[2])));
    }

    @Override
    public void onError(Throwable t) {
        failure = t;
        ready.countDown();
    }

    @Override
    public void onCompleted() {
        ready.countDown();
    }
}
