package dev.parley.loadgen;

import dev.parley.api.v1.EventServiceGrpc;
import dev.parley.api.v1.StreamEventsRequest;
import io.grpc.CallOptions;
import io.grpc.MethodDescriptor;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One receiver's event stream. Each benchmark message carries its number and send time, so latency is measured on
 * arrival and a number seen twice is a duplicate. The stream's responses are read as {@link Arrival}s, not as
 * whole messages, and its samples are its own (no lock shared with the other receivers); gRPC calls one stream's
 * observer from one thread at a time.
 */
final class LiveReceiver implements StreamObserver<Arrival> {

    private static final MethodDescriptor<StreamEventsRequest, Arrival> STREAM_EVENTS = EventServiceGrpc
            .getStreamEventsMethod().toBuilder(EventServiceGrpc.getStreamEventsMethod().getRequestMarshaller(),
                    Arrival.MARSHALLER).build();

    final CountDownLatch ready = new CountDownLatch(1);
    private final SimulatedUser user;
    private final AtomicLong deliveries;
    private final AtomicLong duplicates;
    /** presence_changes items received, across all receivers (the arrival workload's presence cost). */
    static final AtomicLong PRESENCE_ITEMS = new AtomicLong();
    private final BitSet seen = new BitSet();
    /** Latencies in µs; grown on demand, so that 10,000 idle receivers cost next to nothing. */
    private long[] samples = new long[0];
    /** The message number of each sample, for the run's {@link Timeline}. */
    private int[] sequences = new int[0];
    private int count;
    volatile Throwable failure;

    LiveReceiver(SimulatedUser user, AtomicLong deliveries, AtomicLong duplicates) {
        this.user = user;
        this.deliveries = deliveries;
        this.duplicates = duplicates;
    }

    private volatile io.grpc.ClientCall<StreamEventsRequest, Arrival> call;

    /** Opens a stream for each user, all at once, and returns them once every one is live. */
    static List<LiveReceiver> openAll(List<SimulatedUser> users, AtomicLong deliveries, AtomicLong duplicates)
            throws InterruptedException {
        List<LiveReceiver> streams = new ArrayList<>();
        for (SimulatedUser user : users) {
            LiveReceiver stream = new LiveReceiver(user, deliveries, duplicates);
            stream.open();
            streams.add(stream);
        }
        for (LiveReceiver stream : streams) {
            if (!stream.ready.await(120, TimeUnit.SECONDS) || stream.failure != null) {
                throw new IllegalStateException("a stream did not become live: " + stream.failure);
            }
        }
        return streams;
    }

    void open() {
        call = user.authenticated().newCall(STREAM_EVENTS, CallOptions.DEFAULT);
        ClientCalls.asyncServerStreamingCall(call, StreamEventsRequest.getDefaultInstance(), this);
    }

    /** Ends the stream from the client's side (the warm-up's receivers go offline again). */
    void cancel() {
        call.cancel("warm-up over", null);
    }

    @Override
    public void onNext(Arrival arrival) {
        if (arrival.kind() == Arrival.Kind.READY) {
            ready.countDown();
            return;
        }
        if (arrival.kind() == Arrival.Kind.PRESENCE) {
            PRESENCE_ITEMS.incrementAndGet();
            return;
        }
        if (arrival.kind() != Arrival.Kind.MESSAGE) {
            return;
        }
        long latency = Math.max(0, Pacer.micros() - arrival.sentMicros());
        if (seen.get(arrival.sequence())) {
            duplicates.incrementAndGet();
            return;
        }
        seen.set(arrival.sequence());
        deliveries.incrementAndGet();
        if (count == samples.length) {
            samples = Arrays.copyOf(samples, Math.max(256, count * 2));
            sequences = Arrays.copyOf(sequences, samples.length);
        }
        sequences[count] = arrival.sequence();
        samples[count++] = latency;
    }

    /** Adds this stream's latencies to the run's, once the run is over. */
    void reportTo(Latencies latencies) {
        latencies.addAll(samples, count);
    }

    /** Adds this stream's latencies to the run's timeline, by the second each message was sent in. */
    void reportTo(Timeline timeline) {
        for (int i = 0; i < count; i++) {
            timeline.add(sequences[i], samples[i]);
        }
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
