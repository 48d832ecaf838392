package dev.parley.loadgen;

import dev.parley.api.v1.AddMembersRequest;
import dev.parley.api.v1.CreateGroupConversationRequest;
import dev.parley.api.v1.SendMessageRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One abusive account beside normal people (issue 15's benchmark): U people in groups of G, each person sending at
 * R messages a second into their group and streaming it; one account, a member of every group, writing every kind
 * of write at F times its limits. Three measured phases on one server, in one run: quiet (no abuser), abused, quiet
 * again. Their ack and delivery p99s side by side say whether one account can hurt the others. Run the server with the
 * documented limits (scripts/bench sets PARLEY_LIMITS_SCALE=1 for this workload).
 */
final class AbuseWorkload {

    private static final String PADDING = "x".repeat(100);

    private AbuseWorkload() {
    }

    static Map<String, Object> run(Options options) throws Exception {
        String target = options.text("target", "localhost:9090");
        int userCount = options.number("users", 50);
        int groupSize = options.number("group-size", 5);
        double rate = Double.parseDouble(options.text("rate-per-user", "1"));
        int seconds = options.number("seconds", 30);
        double factor = Double.parseDouble(options.text("factor", "10"));
        String run = Long.toString(System.nanoTime(), 36);

        List<SimulatedUser> people = Users.prepare(target, "lg-person", userCount);
        SimulatedUser abuser = SimulatedUser.as(target, "lg-abuser");
        List<String> groups = new ArrayList<>();
        List<String> groupOf = new ArrayList<>();
        for (int first = 0; first < userCount; first += groupSize) {
            var owner = people.get(first);
            String group = owner.conversations().createGroupConversation(CreateGroupConversationRequest
                    .newBuilder().setTitle("abuse " + run + " " + first).build()).getConversation().getId();
            List<String> members = new ArrayList<>(people.subList(first + 1, Math.min(userCount, first + groupSize))
                    .stream().map(p -> p.id).toList());
            members.add(abuser.id);
            owner.conversations().addMembers(AddMembersRequest.newBuilder().setConversationId(group)
                    .addAllUserIds(members).build());
            groups.add(group);
            for (int i = first; i < Math.min(userCount, first + groupSize); i++) {
                groupOf.add(group);
            }
        }
        String target0 = abuser.messages().sendMessage(SendMessageRequest.newBuilder().setConversationId(groups.get(0))
                .setClientMessageId(run + "-target").setText("A|reacted to").build()).getMessage().getId();
        int perGroup = Math.min(groupSize, userCount);

        ServerStats server = new ServerStats(options.number("server-pid", 0));
        // The warm-up has the abuser too: a fresh JVM's first thousands of refusals run in the interpreter (a
        // refused call cost 2 ms of CPU at first, 0.13 ms once compiled), and the measured phases compare steady states.
        Abuser warming = new Abuser(abuser, groups, target0, factor);
        warming.start(run + "-warm");
        phase(people, groupOf, perGroup, rate, options.number("warm-up-seconds", 30), run + "-warm", 0);
        warming.stop();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("workload", "abuse");
        result.put("mode", options.text("mode", "single-node"));
        result.put("users", userCount);
        result.put("group_size", perGroup);
        result.put("rate_per_user", rate);
        result.put("seconds", seconds);
        result.put("abuse_factor", factor);
        double cpu = server.cpuSeconds();
        Map<String, Object> quiet = phase(people, groupOf, perGroup, rate, seconds, run + "-quiet", 1_000_000);
        quiet.put("server_cores_busy", (server.cpuSeconds() - cpu) / seconds);
        result.put("quiet", quiet);

        Abuser abuse = new Abuser(abuser, groups, target0, factor);
        abuse.start(run);
        cpu = server.cpuSeconds();
        Map<String, Object> abused = phase(people, groupOf, perGroup, rate, seconds, run + "-abused", 2_000_000);
        abused.put("server_cores_busy", (server.cpuSeconds() - cpu) / seconds);
        result.put("abused", abused);
        result.put("abuser", abuse.stop());
        cpu = server.cpuSeconds();
        Map<String, Object> after = phase(people, groupOf, perGroup, rate, seconds, run + "-after", 3_000_000);
        after.put("server_cores_busy", (server.cpuSeconds() - cpu) / seconds);
        result.put("quiet_after", after);
        // Against the better of the two quiet phases, one before and one after, so the JIT's warming is no excuse.
        result.put("ack_p99_ratio", ratio(abused, quiet, after, "send_ack_ms"));
        result.put("delivery_p99_ratio", ratio(abused, quiet, after, "latency_ms"));
        people.forEach(SimulatedUser::close);
        abuser.close();
        return result;
    }

    /**
     * Everyone streams (streams opened afresh, so each phase's latencies are its own) and sends at the rate for the
     * given time; returns acks, deliveries and their latencies. Message numbers start at {@code firstNumber}.
     */
    private static Map<String, Object> phase(List<SimulatedUser> people, List<String> groupOf, int perGroup,
            double rate, int seconds, String phase, int firstNumber) throws Exception {
        AtomicLong deliveries = new AtomicLong();
        AtomicLong duplicates = new AtomicLong();
        List<LiveReceiver> streams = LiveReceiver.openAll(people, deliveries, duplicates);
        Thread.sleep(2000); // arrivals' presence settles

        Latencies acks = new Latencies();
        AtomicLong failed = new AtomicLong();
        double total = rate * people.size();
        Pacer pacer = new Pacer(total);
        long count = (long) (total * seconds);
        for (long i = 0; i < count; i++) {
            pacer.awaitTurn(i);
            int sender = (int) (i % people.size());
            long sentAt = System.nanoTime();
            var sent = people.get(sender).messagesAsync().sendMessage(SendMessageRequest.newBuilder()
                    .setConversationId(groupOf.get(sender)).setClientMessageId(phase + "-" + i)
                    .setText("B|" + (firstNumber + i) + "|" + Pacer.micros() + "|" + PADDING).build());
            sent.addListener(() -> {
                try {
                    sent.get();
                    acks.add((System.nanoTime() - sentAt) / 1_000);
                } catch (Exception e) {
                    failed.incrementAndGet();
                }
            }, Runnable::run);
        }
        long expected = count * perGroup;
        long settleUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (deliveries.get() < expected && System.nanoTime() < settleUntil) {
            Thread.sleep(20);
        }
        streams.forEach(LiveReceiver::cancel);
        Latencies latencies = new Latencies();
        streams.forEach(stream -> stream.reportTo(latencies));
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("sends", count);
        result.put("failed_sends", failed.get());
        result.put("send_ack_ms", acks.summary());
        result.put("expected_deliveries", expected);
        result.put("lost", expected - deliveries.get());
        result.put("duplicates", duplicates.get());
        result.put("latency_ms", latencies.summary());
        return result;
    }

    @SuppressWarnings("unchecked")
    private static double ratio(Map<String, Object> abused, Map<String, Object> before, Map<String, Object> after,
            String latencies) {
        double with = (double) ((Map<String, Object>) abused.get(latencies)).get("p99");
        double without = Math.min((double) ((Map<String, Object>) before.get(latencies)).get("p99"),
                (double) ((Map<String, Object>) after.get(latencies)).get("p99"));
        return without == 0 ? 0 : Math.round(100 * with / without) / 100.0;
    }
}
