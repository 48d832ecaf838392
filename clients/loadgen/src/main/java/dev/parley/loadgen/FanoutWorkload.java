package dev.parley.loadgen;

import dev.parley.api.v1.AddMembersRequest;
import dev.parley.api.v1.CreateGroupConversationRequest;
import dev.parley.api.v1.SendMessageRequest;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** S senders post K messages at RATE into one group of M receivers, each streaming on its own channel. */
final class FanoutWorkload {

    private FanoutWorkload() {
    }

    static Map<String, Object> run(Options options) throws Exception {
        String target = options.text("target", "localhost:9090");
        int members = options.number("members", 200);
        int senderCount = options.number("senders", 2);
        int messages = options.number("messages", 2000);
        int rate = options.number("rate", 100);
        ServerStats server = new ServerStats(options.number("server-pid", 0));

        List<SimulatedUser> senders = Users.prepare(target, "lg-sender", senderCount);
        List<SimulatedUser> receivers = Users.prepare(target, "lg-receiver", members);
        String group = senders.get(0).conversations().createGroupConversation(CreateGroupConversationRequest
                .newBuilder().setTitle("fanout " + System.currentTimeMillis()).build()).getConversation().getId();
        List<String> ids = new ArrayList<>();
        senders.subList(1, senders.size()).forEach(u -> ids.add(u.id));
        receivers.forEach(u -> ids.add(u.id));
        for (int from = 0; from < ids.size(); from += 100) {
            senders.get(0).conversations().addMembers(AddMembersRequest.newBuilder().setConversationId(group)
                    .addAllUserIds(ids.subList(from, Math.min(ids.size(), from + 100))).build());
        }

        AtomicLong deliveries = new AtomicLong();
        AtomicLong duplicates = new AtomicLong();
        if (options.number("warm-up", 0) == 1) {
            warmUp(receivers, deliveries, duplicates);
        }
        long opening = System.nanoTime();
        System.err.println("streams opening from " + java.time.Instant.now()); // to line up a server profile
        double openingCpu = server.cpuSeconds();
        double openingClientCpu = ServerStats.clientCpuSeconds();
        List<LiveReceiver> streams = LiveReceiver.openAll(receivers, deliveries, duplicates);
        double liveMillis = (System.nanoTime() - opening) / 1e6;
        System.err.println("streams live at " + java.time.Instant.now());
        double openingCpuSeconds = server.cpuSeconds() - openingCpu;
        double openingClientCpuSeconds = ServerStats.clientCpuSeconds() - openingClientCpu;
        // By default the run waits for the arrivals' presence to settle; with 0 the first messages follow them.
        Thread.sleep(options.number("settle-ms", 3000));
        long presenceItems = LiveReceiver.PRESENCE_ITEMS.get();

        long rssBefore = server.rssKb();
        double cpuBefore = server.cpuSeconds();
        double clientCpuBefore = ServerStats.clientCpuSeconds();
        String padding = "x".repeat(100);
        Pacer pacer = new Pacer(rate);
        long started = System.nanoTime();
        AtomicLong failedSends = new AtomicLong();
        AtomicReference<String> firstFailure = new AtomicReference<>();
        Latencies acks = new Latencies(); // from the send timestamp to the server's answer: the send path's part
        for (int i = 0; i < messages; i++) {
            pacer.awaitTurn(i);
            long sentAt = System.nanoTime();
            var sent = senders.get(i % senderCount).messagesAsync().sendMessage(SendMessageRequest.newBuilder()
                    .setConversationId(group).setClientMessageId("fanout-" + started + "-" + i)
                    .setText("B|" + i + "|" + Pacer.micros() + "|" + padding).build());
            sent.addListener(() -> {
                try {
                    sent.get();
                    acks.add((System.nanoTime() - sentAt) / 1_000);
                } catch (Exception e) {
                    failedSends.incrementAndGet();
                    firstFailure.compareAndSet(null, Status.fromThrowable(e).toString());
                }
            }, Runnable::run);
        }
        long lastSend = System.nanoTime();
        long expected = (long) messages * members;
        long progress = -1;
        long lastProgress = System.nanoTime();
        while (deliveries.get() < expected) {
            long now = System.nanoTime();
            if (deliveries.get() != progress) {
                progress = deliveries.get();
                lastProgress = now;
            }
            if (now - lastProgress > 5e9 || now - lastSend > 60e9) {
                break;
            }
            Thread.sleep(20);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        double cpuAfter = server.cpuSeconds();
        double clientCpu = ServerStats.clientCpuSeconds() - clientCpuBefore;
        Latencies latencies = new Latencies();
        streams.forEach(stream -> stream.reportTo(latencies));
        Timeline timeline = new Timeline(messages, rate);
        streams.forEach(stream -> stream.reportTo(timeline));
        timeline.lines().forEach(System.err::println);

        Map<String, Object> result = new LinkedHashMap<>();
        result.put("workload", "fanout");
        result.put("mode", options.text("mode", "single-node"));
        result.put("members", members);
        result.put("senders", senderCount);
        result.put("messages", messages);
        result.put("rate_offered_msgs_per_sec", rate);
        result.put("payload_bytes", ("B|" + (messages - 1) + "|" + Pacer.micros() + "|" + padding).length());
        // All members come online at once: how long until every stream was live, and what their presence cost.
        result.put("streams_live_ms", Math.round(liveMillis));
        result.put("server_cpu_seconds_opening", openingCpuSeconds);
        result.put("client_cpu_seconds_opening", openingClientCpuSeconds);
        result.put("presence_items_received_opening", presenceItems);
        result.put("presence_items_received", LiveReceiver.PRESENCE_ITEMS.get());
        result.put("expected_deliveries", expected);
        result.put("deliveries", deliveries.get());
        result.put("lost", expected - deliveries.get());
        result.put("duplicates", duplicates.get());
        result.put("failed_sends", failedSends.get());
        result.put("send_ack_ms", acks.summary());
        if (firstFailure.get() != null) {
            result.put("first_send_failure", firstFailure.get());
        }
        result.put("deliveries_per_sec", deliveries.get() / seconds);
        result.put("latency_ms", latencies.summary());
        result.put("latency_by_second_sent", timeline.summary());
        result.put("server_rss_before_kb", rssBefore);
        result.put("server_rss_end_kb", server.rssKb());
        result.put("server_cpu_seconds", cpuAfter - cpuBefore);
        result.put("server_cores_busy", (cpuAfter - cpuBefore) / seconds);
        result.put("client_cpu_seconds", clientCpu);
        // What one delivery costs each side: on 2 cores the client's cost is the server's headroom.
        result.put("server_cpu_us_per_delivery", perDelivery(cpuAfter - cpuBefore, deliveries.get()));
        result.put("client_cpu_us_per_delivery", perDelivery(clientCpu, deliveries.get()));
        result.put("client_event_loop_threads", ClientChannels.threads());
        senders.forEach(SimulatedUser::close);
        receivers.forEach(SimulatedUser::close);
        return result;
    }

    /**
     * Brings everyone online once and offline again, so that the measured arrival meets a server whose code for it
     * is compiled (a fresh JVM's first thousand stream openings are mostly spent in the JIT compiler). Waits past
     * the presence grace period and a sweep, so the measured arrival is again everyone's first.
     */
    private static void warmUp(List<SimulatedUser> receivers, AtomicLong deliveries, AtomicLong duplicates)
            throws InterruptedException {
        LiveReceiver.openAll(receivers, deliveries, duplicates).forEach(LiveReceiver::cancel);
        Thread.sleep(12_000);
        LiveReceiver.PRESENCE_ITEMS.set(0);
    }

    private static double perDelivery(double cpuSeconds, long deliveries) {
        return deliveries == 0 ? 0 : Math.round(cpuSeconds * 1e7 / deliveries) / 10.0;
    }
}
