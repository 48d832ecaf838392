package dev.parley.loadgen;

import dev.parley.api.v1.SendMessageRequest;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** The two ways the sends workload posts: closed loops (one send in flight per client) and a fixed rate. */
final class SendLoops {

    private static final String PADDING = "x".repeat(100);
    private static final String RUN = Long.toString(System.nanoTime(), 36);

    /** What a phase achieved, and the sequence numbers its sends were given (for the gap check). */
    record Run(long acked, long failed, Latencies latencies, BitSet sequences, long firstSequence) {

        /**
         * Whether the numbers given, from the first to the last, have no hole (one conversation only); false when
         * a send failed, since it may have been written unacknowledged.
         */
        boolean sequencesGapFree() {
            return acked > 0 && failed == 0 && sequences.cardinality() == acked && sequences.nextClearBit(0) == acked;
        }
    }

    private SendLoops() {
    }

    /** Each client posts to its conversations in turn, one send at a time, for {@code seconds}. */
    static Run closed(List<SimulatedUser> clients, List<List<String>> conversations, int seconds, String phase)
            throws Exception {
        Latencies latencies = new Latencies();
        AtomicLong acked = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        List<Long> sequences = Collections.synchronizedList(new ArrayList<>());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        try (ExecutorService pool = Executors.newFixedThreadPool(clients.size())) {
            List<Future<?>> loops = new ArrayList<>();
            for (int c = 0; c < clients.size(); c++) {
                int client = c;
                loops.add(pool.submit(() -> {
                    var stub = clients.get(client).messages();
                    List<String> mine = conversations.get(client);
                    for (long i = 0; System.nanoTime() < deadline; i++) {
                        long t0 = Pacer.micros();
                        try {
                            long sequence = stub.sendMessage(request(mine.get((int) (i % mine.size())),
                                    phase + "-" + client + "-" + i, i)).getMessage().getSequence();
                            latencies.add(Pacer.micros() - t0);
                            acked.incrementAndGet();
                            sequences.add(sequence);
                        } catch (RuntimeException e) {
                            failed.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> loop : loops) {
                loop.get();
            }
        }
        long first = sequences.stream().mapToLong(Long::longValue).min().orElse(0);
        BitSet seen = new BitSet();
        sequences.forEach(s -> seen.set((int) Math.min(Integer.MAX_VALUE, s - first)));
        return new Run(acked.get(), failed.get(), latencies, seen, first);
    }

    /** Sends at {@code rate} per second for {@code seconds}, round-robin over the clients, without waiting. */
    static Run paced(List<SimulatedUser> clients, List<List<String>> conversations, int rate, int seconds,
            String phase) throws InterruptedException {
        Latencies latencies = new Latencies();
        AtomicLong failed = new AtomicLong();
        Pacer pacer = new Pacer(rate);
        long total = (long) rate * seconds;
        for (long i = 0; i < total; i++) {
            pacer.awaitTurn(i);
            int client = (int) (i % clients.size());
            List<String> mine = conversations.get(client);
            long t0 = Pacer.micros();
            var sent = clients.get(client).messagesAsync().sendMessage(
                    request(mine.get((int) ((i / clients.size()) % mine.size())), phase + "-" + i, i));
            sent.addListener(() -> {
                try {
                    sent.get();
                    latencies.add(Pacer.micros() - t0);
                } catch (Exception e) {
                    failed.incrementAndGet();
                }
            }, Runnable::run);
        }
        long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (latencies.count() + failed.get() < total && System.nanoTime() < waitUntil) {
            Thread.sleep(20);
        }
        return new Run(latencies.count(), failed.get(), latencies, new BitSet(), 0);
    }

    private static SendMessageRequest request(String conversationId, String id, long i) {
        return SendMessageRequest.newBuilder().setConversationId(conversationId).setClientMessageId(RUN + "-" + id)
                .setText("S|" + i + "|" + PADDING).build();
    }
}
