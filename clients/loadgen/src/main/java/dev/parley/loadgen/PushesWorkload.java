package dev.parley.loadgen;

import com.sun.net.httpserver.HttpServer;
import dev.parley.api.v1.AddMembersRequest;
import dev.parley.api.v1.CreateGroupConversationRequest;
import dev.parley.api.v1.Device;
import dev.parley.api.v1.ListDevicesRequest;
import dev.parley.api.v1.RegisterDeviceRequest;
import dev.parley.api.v1.SendMessageRequest;
import dev.parley.api.v1.UnregisterDeviceRequest;
import dev.parley.api.v1.WebPushSubscription;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Issue 18's benchmark: a room of M members, of whom OFFLINE have a Web Push subscription and no stream (the rest
 * stream). Each round one message is sent; the time from the send until the last of its notifications reaches the
 * push endpoint (a local HTTP server standing in for the push service, answering 201) is measured, with the
 * server's CPU per notification. Then sends at a fixed rate with the devices registered and again after they are
 * removed give the outbox's cost to the send's acknowledgement. The server must allow the endpoint's network
 * (scripts/bench sets PARLEY_WEBHOOKS_ALLOWED_NETWORKS=127.0.0.2/32) and should coalesce briefly
 * (PARLEY_NOTIFICATIONS_COALESCE) so that rounds a little apart each push to everyone.
 */
final class PushesWorkload {

    private PushesWorkload() {
    }

    static Map<String, Object> run(Options options) throws Exception {
        String target = options.text("target", "localhost:9090");
        int members = options.number("members", 1000);
        int offline = options.number("offline", 900);
        int rounds = options.number("rounds", 5);
        int rate = options.number("rate", 20);
        int seconds = options.number("seconds", 10);
        ServerStats server = new ServerStats(options.number("server-pid", 0));

        AtomicLong arrivals = new AtomicLong();
        AtomicLong lastArrival = new AtomicLong();
        HttpServer endpoint = HttpServer.create(new InetSocketAddress("127.0.0.2", 0), 200);
        endpoint.createContext("/push/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            lastArrival.set(System.nanoTime());
            arrivals.incrementAndGet();
            exchange.sendResponseHeaders(201, -1);
            exchange.close();
        });
        endpoint.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        endpoint.start();

        SimulatedUser sender = Users.prepare(target, "lg-push-sender", 1).get(0);
        List<SimulatedUser> people = Users.prepare(target, "lg-push-member", members - 1);
        String group = sender.conversations().createGroupConversation(CreateGroupConversationRequest.newBuilder()
                .setTitle("pushes " + System.currentTimeMillis()).build()).getConversation().getId();
        for (int from = 0; from < people.size(); from += 100) {
            sender.conversations().addMembers(AddMembersRequest.newBuilder().setConversationId(group)
                    .addAllUserIds(people.subList(from, Math.min(people.size(), from + 100)).stream()
                            .map(u -> u.id).toList()).build());
        }
        List<SimulatedUser> away = people.subList(0, Math.min(offline, people.size()));
        List<SimulatedUser> online = people.subList(away.size(), people.size());
        String key = subscriptionKey();
        SecureRandom random = new SecureRandom();
        int port = endpoint.getAddress().getPort();
        for (int i = 0; i < away.size(); i++) {
            SimulatedUser person = away.get(i);
            person.notifications().listDevices(ListDevicesRequest.getDefaultInstance()).getDevicesList()
                    .forEach(d -> person.notifications().unregisterDevice(UnregisterDeviceRequest.newBuilder()
                            .setDeviceId(d.getId()).build()));
            byte[] auth = new byte[16];
            random.nextBytes(auth);
            person.notifications().registerDevice(RegisterDeviceRequest.newBuilder().setDevice(Device.newBuilder()
                    .setWebPush(WebPushSubscription.newBuilder().setEndpoint("http://127.0.0.2:" + port + "/push/" + i)
                            .setP256Dh(key).setAuth(Base64.getUrlEncoder().withoutPadding().encodeToString(auth))))
                    .build());
        }
        AtomicLong deliveries = new AtomicLong();
        AtomicLong duplicates = new AtomicLong();
        List<LiveReceiver> streams = LiveReceiver.openAll(online, deliveries, duplicates);
        Thread.sleep(3000);

        Latencies lastNotification = new Latencies();
        List<Double> cpuPerNotification = new ArrayList<>();
        long coalesceMs = options.number("round-gap-ms", 2500);
        for (int round = 0; round < rounds; round++) {
            long before = arrivals.get();
            double cpu = server.cpuSeconds();
            long sentAt = System.nanoTime();
            sender.messages().sendMessage(SendMessageRequest.newBuilder().setConversationId(group)
                    .setClientMessageId("push-" + sentAt).setText("round " + round + " for everyone away").build());
            long deadline = sentAt + 60_000_000_000L;
            while (arrivals.get() - before < away.size() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            long got = arrivals.get() - before;
            lastNotification.add((lastArrival.get() - sentAt) / 1_000);
            cpuPerNotification.add(got == 0 ? 0 : (server.cpuSeconds() - cpu) * 1e6 / got);
            System.err.printf("round %d: %d notifications, the last after %.1f ms%n", round, got,
                    (lastArrival.get() - sentAt) / 1e6);
            Thread.sleep(coalesceMs);
        }

        Map<String, Object> withDevices = fixedRate(sender, group, rate, seconds);
        for (SimulatedUser person : away) {
            person.notifications().listDevices(ListDevicesRequest.getDefaultInstance()).getDevicesList()
                    .forEach(d -> person.notifications().unregisterDevice(UnregisterDeviceRequest.newBuilder()
                            .setDeviceId(d.getId()).build()));
        }
        Thread.sleep(11_000); // the send path's "anyone with a device?" check is cached for 10 s
        Map<String, Object> withoutDevices = fixedRate(sender, group, rate, seconds);

        Map<String, Object> result = new LinkedHashMap<>();
        result.put("workload", "pushes");
        result.put("members", members);
        result.put("offline_with_web_push", away.size());
        result.put("online_streams", online.size());
        result.put("rounds", rounds);
        result.put("last_notification_ms", lastNotification.summary());
        result.put("server_cpu_us_per_notification", cpuPerNotification);
        result.put("fixed_rate_with_devices", withDevices);
        result.put("fixed_rate_without_devices", withoutDevices);
        result.put("notifications_received", arrivals.get());
        streams.forEach(LiveReceiver::cancel);
        endpoint.stop(0);
        sender.close();
        people.forEach(SimulatedUser::close);
        return result;
    }

    private static Map<String, Object> fixedRate(SimulatedUser sender, String group, int rate, int seconds)
            throws Exception {
        Latencies acks = new Latencies();
        Pacer pacer = new Pacer(rate);
        List<com.google.common.util.concurrent.ListenableFuture<?>> pending = new ArrayList<>();
        long started = System.nanoTime();
        for (int i = 0; i < rate * seconds; i++) {
            pacer.awaitTurn(i);
            long sentAt = System.nanoTime();
            var sent = sender.messagesAsync().sendMessage(SendMessageRequest.newBuilder().setConversationId(group)
                    .setClientMessageId("push-rate-" + started + "-" + i).setText("fixed rate " + i).build());
            sent.addListener(() -> acks.add((System.nanoTime() - sentAt) / 1_000), Runnable::run);
            pending.add(sent);
        }
        for (var sent : pending) {
            sent.get();
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("rate_msgs_per_sec", rate);
        result.put("sends", rate * seconds);
        result.put("send_ack_ms", acks.summary());
        return result;
    }

    /** One subscription key for every simulated browser: the endpoint here does not decrypt. */
    private static String subscriptionKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        ECPublicKey key = (ECPublicKey) generator.generateKeyPair().getPublic();
        byte[] point = new byte[65];
        point[0] = 4;
        copy(key.getW().getAffineX(), point, 1);
        copy(key.getW().getAffineY(), point, 33);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(point);
    }

    private static void copy(BigInteger value, byte[] into, int at) {
        byte[] bytes = value.toByteArray();
        int start = Math.max(0, bytes.length - 32);
        System.arraycopy(bytes, start, into, at + 32 - (bytes.length - start), bytes.length - start);
    }
}
