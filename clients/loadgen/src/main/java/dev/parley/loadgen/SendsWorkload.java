package dev.parley.loadgen;

import dev.parley.api.v1.CreateGroupConversationRequest;
import dev.parley.api.v1.SendMessageRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Durable sends: C clients post as fast as acknowledgements allow into many conversations for a while (throughput
 * and ack latency), then the same at a fixed 1,000 messages/s (ack latency at a steady load).
 */
final class SendsWorkload {

    private SendsWorkload() {
    }

    static Map<String, Object> run(Options options) throws Exception {
        String target = options.text("target", "localhost:9090");
        int clients = options.number("clients", 8);
        int conversations = options.number("conversations", 1000);
        int seconds = options.number("seconds", 30);
        int fixedRate = options.number("rate", 1000);
        ServerStats server = new ServerStats(options.number("server-pid", 0));
        List<SimulatedUser> senders = Users.prepare(target, "lg-writer", clients);
        List<List<String>> owned = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            List<String> mine = new ArrayList<>();
            for (int i = c; i < conversations; i += clients) {
                mine.add(senders.get(c).conversations().createGroupConversation(CreateGroupConversationRequest
                        .newBuilder().setTitle("sends " + i).build()).getConversation().getId());
            }
            owned.add(mine);
        }
        String run = Long.toString(System.nanoTime(), 36);
        String padding = "x".repeat(100);

        Latencies closedLoop = new Latencies();
        AtomicLong acked = new AtomicLong();
        double cpuBefore = server.cpuSeconds();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        try (ExecutorService pool = Executors.newFixedThreadPool(clients)) {
            List<Future<?>> loops = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int client = c;
                loops.add(pool.submit(() -> {
                    var stub = senders.get(client).messages();
                    List<String> mine = owned.get(client);
                    for (long i = 0; System.nanoTime() < deadline; i++) {
                        long t0 = Pacer.micros();
                        stub.sendMessage(SendMessageRequest.newBuilder().setConversationId(mine.get((int) (i % mine.size())))
                                .setClientMessageId(run + "-" + client + "-" + i).setText("S|" + i + "|" + padding).build());
                        closedLoop.add(Pacer.micros() - t0);
                        acked.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> loop : loops) {
                loop.get();
            }
        }
        double cpuClosed = server.cpuSeconds() - cpuBefore;

        Latencies paced = new Latencies();
        AtomicLong failed = new AtomicLong();
        Pacer pacer = new Pacer(fixedRate);
        long total = (long) fixedRate * Math.min(seconds, 15);
        for (long i = 0; i < total; i++) {
            pacer.awaitTurn(i);
            int client = (int) (i % clients);
            List<String> mine = owned.get(client);
            long t0 = Pacer.micros();
            var sent = senders.get(client).messagesAsync().sendMessage(SendMessageRequest.newBuilder()
                    .setConversationId(mine.get((int) ((i / clients) % mine.size())))
                    .setClientMessageId(run + "-paced-" + i).setText("P|" + i + "|" + padding).build());
            sent.addListener(() -> {
                try {
                    sent.get();
                    paced.add(Pacer.micros() - t0);
                } catch (Exception e) {
                    failed.incrementAndGet();
                }
            }, Runnable::run);
        }
        long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (paced.count() + failed.get() < total && System.nanoTime() < waitUntil) {
            Thread.sleep(20);
        }

        Map<String, Object> result = new LinkedHashMap<>();
        result.put("workload", "sends");
        result.put("mode", options.text("mode", "single-node"));
        result.put("clients", clients);
        result.put("conversations", conversations);
        result.put("seconds", seconds);
        result.put("acked_msgs_per_sec", acked.get() / (double) seconds);
        result.put("ack_latency_ms", closedLoop.summary());
        result.put("server_cores_busy", cpuClosed / seconds);
        result.put("fixed_rate_msgs_per_sec", fixedRate);
        result.put("fixed_rate_acked", paced.count());
        result.put("fixed_rate_failed", failed.get());
        result.put("fixed_rate_ack_latency_ms", paced.summary());
        senders.forEach(SimulatedUser::close);
        return result;
    }
}
