package dev.parley.loadgen;

import dev.parley.api.v1.AddMembersRequest;
import dev.parley.api.v1.CreateGroupConversationRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Durable sends (BENCHMARKS.md, "Durable sends"): C clients post as fast as acknowledgements allow into many
 * conversations (throughput and ack latency), then at a fixed rate (ack latency at a steady load, by default half
 * the rate just reached), then 20 senders into one hot conversation (its throughput, and whether the numbers its
 * sends got are gap-free). A warm-up of the same closed loop runs first, untimed (45 s, --warm-up-seconds): on a
 * fresh server the JIT compiler took most of the CPU of a 30 s run, still 40% of a core after 45 s (measured).
 */
final class SendsWorkload {

    private SendsWorkload() {
    }

    static Map<String, Object> run(Options options) throws Exception {
        String target = options.text("target", "localhost:9090");
        int clients = options.number("clients", 8);
        int conversations = options.number("conversations", 1000);
        int seconds = options.number("seconds", 30);
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
        SendLoops.closed(senders, owned, options.number("warm-up-seconds", 45), "warm");

        Map<String, Object> result = new LinkedHashMap<>();
        result.put("workload", "sends");
        result.put("mode", options.text("mode", "single-node"));
        result.put("clients", clients);
        result.put("conversations", conversations);
        result.put("seconds", seconds);
        double cpuBefore = server.cpuSeconds();
        double clientCpuBefore = ServerStats.clientCpuSeconds();
        double databaseCpuBefore = ServerStats.databaseCpuSeconds();
        SendLoops.Run closed = SendLoops.closed(senders, owned, seconds, "closed");
        double acked = closed.acked() / (double) seconds;
        result.put("acked_msgs_per_sec", acked);
        result.put("ack_latency_ms", closed.latencies().summary());
        result.put("failed", closed.failed());
        result.put("server_cores_busy", (server.cpuSeconds() - cpuBefore) / seconds);
        result.put("server_cpu_us_per_send", 1e6 * (server.cpuSeconds() - cpuBefore) / Math.max(1, closed.acked()));
        result.put("database_cpu_us_per_send",
                1e6 * (ServerStats.databaseCpuSeconds() - databaseCpuBefore) / Math.max(1, closed.acked()));
        result.put("client_cpu_us_per_send",
                1e6 * (ServerStats.clientCpuSeconds() - clientCpuBefore) / Math.max(1, closed.acked()));

        int rate = options.text("rate", "half").equals("half") ? (int) Math.max(1, acked / 2) : options.number("rate", 0);
        SendLoops.paced(senders, owned, rate, 5, "paced-warm"); // its own code paths, client side too
        System.err.println("fixed-rate phase from " + java.time.Instant.now()); // to line up with the server's log
        SendLoops.Run paced = SendLoops.paced(senders, owned, rate,
                options.number("paced-seconds", Math.min(seconds, 15)), "paced");
        System.err.println("fixed-rate phase until " + java.time.Instant.now());
        result.put("fixed_rate_msgs_per_sec", rate);
        result.put("fixed_rate_acked", paced.acked());
        result.put("fixed_rate_failed", paced.failed());
        result.put("fixed_rate_ack_latency_ms", paced.latencies().summary());

        int hotSenders = options.number("hot-senders", 20);
        if (hotSenders > 0) {
            hotRoom(target, hotSenders, options.number("hot-seconds", 10), result);
        }
        senders.forEach(SimulatedUser::close);
        return result;
    }

    /** Many senders, one conversation: every send takes the same row lock, so only batching makes this fast. */
    private static void hotRoom(String target, int count, int seconds, Map<String, Object> result) throws Exception {
        List<SimulatedUser> writers = Users.prepare(target, "lg-hot", count);
        String room = writers.get(0).conversations().createGroupConversation(CreateGroupConversationRequest
                .newBuilder().setTitle("hot room " + System.currentTimeMillis()).build()).getConversation().getId();
        writers.get(0).conversations().addMembers(AddMembersRequest.newBuilder().setConversationId(room)
                .addAllUserIds(writers.subList(1, count).stream().map(w -> w.id).toList()).build());
        List<List<String>> one = writers.stream().map(w -> List.of(room)).toList();
        SendLoops.Run hot = SendLoops.closed(writers, one, seconds, "hot");
        result.put("hot_room_senders", count);
        result.put("hot_room_acked_msgs_per_sec", hot.acked() / (double) seconds);
        result.put("hot_room_ack_latency_ms", hot.latencies().summary());
        result.put("hot_room_failed", hot.failed());
        result.put("hot_room_sequences_gap_free", hot.sequencesGapFree());
        writers.forEach(SimulatedUser::close);
    }
}
