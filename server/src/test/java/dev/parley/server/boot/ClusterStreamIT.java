package dev.parley.server.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.api.v1.AuthServiceGrpc;
import dev.parley.api.v1.ConversationServiceGrpc;
import dev.parley.api.v1.CreateGroupConversationRequest;
import dev.parley.api.v1.MessageServiceGrpc;
import dev.parley.api.v1.Presence;
import dev.parley.api.v1.PresenceState;
import dev.parley.api.v1.SendMessageRequest;
import dev.parley.api.v1.SignUpRequest;
import dev.parley.api.v1.StreamEventsResponse;
import dev.parley.server.support.Api;
import dev.parley.server.support.ServerProcess;
import dev.parley.server.support.StreamClient;
import dev.parley.server.support.TestServices;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Two nodes sharing PostgreSQL and Redis: a client streaming from node A gets what is sent through node B; node A
 * is then killed with SIGKILL (or stopped with SIGTERM) mid-stream and the client resumes on B from its position.
 * A ledger of what was sent and what arrived must show nothing lost, nothing twice, nothing out of order.
 */
class ClusterStreamIT {

    private static final String DATABASE = "parley_it_streams";
    private static final int MESSAGES = 300;

    @Test
    void aClientResumesOnAnotherNodeAfterItsNodeIsKilled() throws Exception {
        Map<String, String> cluster = new java.util.HashMap<>(freshCluster());
        cluster.put("PARLEY_PRESENCE_TTL", "PT6S");
        try (ServerProcess a = ServerProcess.start("stream-node-a", cluster);
                ServerProcess b = ServerProcess.start("stream-node-b", cluster)) {
            a.awaitServing();
            b.awaitServing();
            var alice = AuthServiceGrpc.newBlockingStub(b.channel()).signUp(signUp("alice")).getTokens();
            var bob = AuthServiceGrpc.newBlockingStub(b.channel()).signUp(signUp("bob")).getTokens();
            var carol = AuthServiceGrpc.newBlockingStub(b.channel()).signUp(signUp("carol")).getTokens();
            String group = Api.withToken(ConversationServiceGrpc.newBlockingStub(b.channel()), alice.getAccessToken())
                    .createGroupConversation(CreateGroupConversationRequest.newBuilder().setTitle("ledger")
                            .addMemberIds(userId(bob.getAccessToken())).addMemberIds(userId(carol.getAccessToken()))
                            .build()).getConversation().getId();

            var carolOnA = StreamClient.open(a.channel(), carol.getAccessToken(), Map.of(), true);
            carolOnA.awaitReady();
            var bobOnA = StreamClient.open(a.channel(), bob.getAccessToken(), Map.of(), true);
            bobOnA.awaitReady();

            List<Long> sent = new CopyOnWriteArrayList<>();
            var sender = Api.withToken(MessageServiceGrpc.newBlockingStub(b.channel()), alice.getAccessToken());
            CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < MESSAGES; i++) {
                    sent.add(sender.sendMessage(SendMessageRequest.newBuilder().setConversationId(group)
                            .setClientMessageId("ledger-" + i).setText("entry " + i).build()).getMessage().getSequence());
                }
            });

            List<Long> received = new ArrayList<>();
            while (received.size() < MESSAGES / 3) {
                received.add(bobOnA.nextEvent().getSequence());
            }
            a.kill(); // SIGKILL: no goodbye to anyone
            bobOnA.awaitFailure();
            received.addAll(bobOnA.drainFor(java.time.Duration.ZERO).stream()
                    .filter(StreamEventsResponse::hasConversationEvent)
                    .map(e -> e.getConversationEvent().getSequence()).toList());

            long position = received.get(received.size() - 1);
            try (var bobOnB = StreamClient.open(b.channel(), bob.getAccessToken(), Map.of(group, position), true)) {
                sending.get();
                while (received.size() < sent.size()) {
                    received.add(bobOnB.nextEvent().getSequence());
                }
                assertThat(received).as("received, in order, each once").isEqualTo(sent);

                String carolId = userId(carol.getAccessToken());
                Presence carolNow;
                do {
                    carolNow = bobOnB.nextPresenceOf(carolId);
                } while (carolNow.getState() != PresenceState.PRESENCE_STATE_OFFLINE);
                assertThat(carolNow.getUserId()).isEqualTo(carolId);
            }
        }
    }

    @Test
    void eachNodeReceivesOnlyTheConversationsItsStreamsFollow() throws Exception {
        Map<String, String> cluster = freshCluster();
        try (ServerProcess a = ServerProcess.start("route-node-a", cluster);
                ServerProcess b = ServerProcess.start("route-node-b", cluster)) {
            a.awaitServing();
            b.awaitServing();
            var alice = AuthServiceGrpc.newBlockingStub(a.channel()).signUp(signUp("alice")).getTokens();
            var bob = AuthServiceGrpc.newBlockingStub(a.channel()).signUp(signUp("bob")).getTokens();
            var carol = AuthServiceGrpc.newBlockingStub(a.channel()).signUp(signUp("carol")).getTokens();
            var conversations = Api.withToken(ConversationServiceGrpc.newBlockingStub(a.channel()),
                    alice.getAccessToken());
            String x = conversations.createGroupConversation(CreateGroupConversationRequest.newBuilder().setTitle("x")
                    .addMemberIds(userId(bob.getAccessToken())).build()).getConversation().getId();
            String y = conversations.createGroupConversation(CreateGroupConversationRequest.newBuilder().setTitle("y")
                    .addMemberIds(userId(carol.getAccessToken())).build()).getConversation().getId();
            try (var bobOnA = StreamClient.open(a.channel(), bob.getAccessToken(), Map.of(), true);
                    var carolOnB = StreamClient.open(b.channel(), carol.getAccessToken(), Map.of(), true)) {
                bobOnA.awaitReady();
                carolOnB.awaitReady();
                var sender = Api.withToken(MessageServiceGrpc.newBlockingStub(a.channel()), alice.getAccessToken());
                for (int i = 0; i < 20; i++) {
                    for (String conversation : List.of(x, y)) {
                        sender.sendMessage(SendMessageRequest.newBuilder().setConversationId(conversation)
                                .setClientMessageId(conversation + "-" + i).setText("to " + conversation).build());
                    }
                }
                assertThat(bobOnA.events(20)).allMatch(e -> e.getConversationId().equals(x));
                assertThat(carolOnB.events(20)).allMatch(e -> e.getConversationId().equals(y));

                assertThat(a.metric("parley_bus_notices_received_total")).as("A heard x's 20, none of y's")
                        .isEqualTo(20);
                assertThat(b.metric("parley_bus_notices_received_total")).as("B heard y's 20, none of x's")
                        .isEqualTo(20);
                assertThat(a.metric("parley_bus_notices_unfollowed_total")).isZero();
                assertThat(b.metric("parley_bus_notices_unfollowed_total")).isZero();

                conversations.addMembers(dev.parley.api.v1.AddMembersRequest.newBuilder().setConversationId(y)
                        .addUserIds(userId(bob.getAccessToken())).build());
                assertThat(bobOnA.next(StreamEventsResponse::hasConversationAdded).getConversationAdded()
                        .getConversation().getId()).as("A heard of bob joining y on bob's own channel").isEqualTo(y);
                sender.sendMessage(SendMessageRequest.newBuilder().setConversationId(y).setClientMessageId("after")
                        .setText("now bob too").build());
                assertThat(bobOnA.next(item -> item.hasConversationEvent() && item.getConversationEvent()
                        .hasMessageSent()).getConversationEvent().getMessageSent().getText()).isEqualTo("now bob too");
            }
        }
    }

    @Test
    void aNodeStoppedGracefullyEndsItsStreamsAtOnceFinishesItsCallsAndLosesNothing() throws Exception {
        Map<String, String> cluster = freshCluster();
        // A's pre-shutdown delay is long enough that "ended at once" and "ended at exit" cannot be confused on a
        // loaded machine: the stream must end while A is still alive, inside the delay.
        Map<String, String> drainingNode = new java.util.HashMap<>(cluster);
        drainingNode.put("PARLEY_SHUTDOWN_DELAY", "PT5S");
        try (ServerProcess a = ServerProcess.start("drain-node-a", drainingNode);
                ServerProcess b = ServerProcess.start("drain-node-b", cluster)) {
            a.awaitServing();
            b.awaitServing();
            var alice = AuthServiceGrpc.newBlockingStub(b.channel()).signUp(signUp("dana")).getTokens();
            var bob = AuthServiceGrpc.newBlockingStub(b.channel()).signUp(signUp("eli")).getTokens();
            String group = Api.withToken(ConversationServiceGrpc.newBlockingStub(b.channel()), alice.getAccessToken())
                    .createGroupConversation(CreateGroupConversationRequest.newBuilder().setTitle("drain")
                            .addMemberIds(userId(bob.getAccessToken())).build()).getConversation().getId();
            var bobOnA = StreamClient.open(a.channel(), bob.getAccessToken(), Map.of(), true);
            bobOnA.awaitReady();

            // Alice writes through A, the node that will stop, and turns to B only when A refuses her: a retry
            // carries the same client_message_id, so a send A finished is never made twice.
            var onA = Api.withToken(MessageServiceGrpc.newBlockingStub(a.channel()), alice.getAccessToken());
            var onB = Api.withToken(MessageServiceGrpc.newBlockingStub(b.channel()), alice.getAccessToken());
            List<Long> sent = new CopyOnWriteArrayList<>();
            CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
                boolean aStopping = false;
                for (int i = 0; i < MESSAGES; i++) {
                    var request = SendMessageRequest.newBuilder().setConversationId(group)
                            .setClientMessageId("drain-" + i).setText("entry " + i).build();
                    if (!aStopping) {
                        try {
                            sent.add(onA.withDeadlineAfter(5, java.util.concurrent.TimeUnit.SECONDS)
                                    .sendMessage(request).getMessage().getSequence());
                            continue;
                        } catch (io.grpc.StatusRuntimeException refused) {
                            aStopping = true;
                        }
                    }
                    sent.add(onB.sendMessage(request).getMessage().getSequence());
                }
            });

            List<Long> received = new ArrayList<>();
            while (received.size() < MESSAGES / 3) {
                received.add(bobOnA.nextEvent().getSequence());
            }
            long stopAsked = System.nanoTime();
            CompletableFuture<Integer> stopping = CompletableFuture.supplyAsync(() -> {
                try {
                    return a.stop(); // SIGTERM
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            var ended = bobOnA.awaitFailure();
            assertThat(ended.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.UNAVAILABLE);
            assertThat(a.isAlive()).as("streams end at once, not at exit").isTrue();
            received.addAll(bobOnA.drainFor(Duration.ZERO).stream().filter(StreamEventsResponse::hasConversationEvent)
                    .map(e -> e.getConversationEvent().getSequence()).toList());

            long position = received.get(received.size() - 1);
            try (var bobOnB = StreamClient.open(b.channel(), bob.getAccessToken(), Map.of(group, position), true)) {
                sending.get();
                while (received.size() < sent.size()) {
                    received.add(bobOnB.nextEvent().getSequence());
                }
            }
            assertThat(sent).hasSize(MESSAGES);
            assertThat(received).as("received, in order, each once").isEqualTo(sent);
            stopping.get();
            assertThat(Duration.ofNanos(System.nanoTime() - stopAsked)).as("well within the delay plus a 20 s timeout")
                    .isLessThan(Duration.ofSeconds(20));
        }
    }

    private static SignUpRequest signUp(String name) {
        return SignUpRequest.newBuilder().setUsername(name).setEmail(name + "@example.com")
                .setPassword(name + " passphrase").build();
    }

    private static String userId(String accessToken) {
        String payload = new String(java.util.Base64.getUrlDecoder().decode(accessToken.split("\\.")[1]));
        return payload.replaceAll(".*\"sub\":\"([^\"]+)\".*", "$1");
    }

    /** Two nodes' shared settings, on a database created afresh and a Redis key prefix of their own. */
    private static Map<String, String> freshCluster() throws Exception {
        recreateDatabase();
        return Map.of(
                "PARLEY_DATABASE_URL", "postgres://postgres@" + TestServices.HOST + ":5432/" + DATABASE,
                "PARLEY_REDIS_URL", "redis://127.0.0.1:6379",
                "PARLEY_REDIS_KEY_PREFIX", "parley-it-" + UUID.randomUUID() + ":");
    }

    private static void recreateDatabase() throws Exception {
        try (Connection connection = DriverManager.getConnection(
                "jdbc:postgresql://" + TestServices.HOST + ":5432/postgres", "postgres", "")) {
            connection.createStatement().execute("drop database if exists " + DATABASE + " with (force)");
        }
    }
}
