package dev.parley.loadgen;

import com.google.common.util.concurrent.ListenableFuture;
import dev.parley.api.v1.AddReactionRequest;
import dev.parley.api.v1.ConversationServiceGrpc;
import dev.parley.api.v1.CreateGroupConversationRequest;
import dev.parley.api.v1.PresenceServiceGrpc;
import dev.parley.api.v1.PresenceState;
import dev.parley.api.v1.RemoveReactionRequest;
import dev.parley.api.v1.SendMessageRequest;
import dev.parley.api.v1.SendTypingRequest;
import dev.parley.api.v1.SetPresenceRequest;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

/**
 * One account writing every kind of write at {@code factor} times its documented limit (BENCHMARKS' abuse run):
 * spam into every group it is in, reactions on and off, typing, presence flips, new groups. Each kind on its own
 * paced thread, without waiting for answers; what it gets back (written or RATE_LIMITED) is counted.
 */
final class Abuser {

    /** The documented defaults for people (docs/operations.md, "Limits"), in writes per second. */
    private static final Map<String, Double> LIMITS = Map.of("messages", 2.0, "reactions", 2.0, "typing", 1.0,
            "presence", 0.5, "conversations", 0.2);

    private final SimulatedUser account;
    private final List<String> groups;
    private final String messageId;
    private final double factor;
    private final Map<String, AtomicLong[]> outcomes = new LinkedHashMap<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;

    Abuser(SimulatedUser account, List<String> groups, String messageId, double factor) {
        this.account = account;
        this.groups = groups;
        this.messageId = messageId;
        this.factor = factor;
    }

    void start(String run) {
        running = true;
        var messages = account.messagesAsync();
        var presence = PresenceServiceGrpc.newFutureStub(account.authenticated());
        var conversations = ConversationServiceGrpc.newFutureStub(account.authenticated());
        kind("messages", i -> messages.sendMessage(SendMessageRequest.newBuilder()
                .setConversationId(groups.get((int) (i % groups.size()))).setClientMessageId(run + "-spam-" + i)
                .setText("A|spam " + i).build()));
        kind("reactions", i -> i % 2 == 0
                ? messages.addReaction(AddReactionRequest.newBuilder().setMessageId(messageId).setEmoji(":x:").build())
                : messages.removeReaction(RemoveReactionRequest.newBuilder().setMessageId(messageId)
                        .setEmoji(":x:").build()));
        kind("typing", i -> presence.sendTyping(SendTypingRequest.newBuilder()
                .setConversationId(groups.get((int) (i % groups.size()))).build()));
        kind("presence", i -> presence.setPresence(SetPresenceRequest.newBuilder()
                .setState(i % 2 == 0 ? PresenceState.PRESENCE_STATE_AWAY : PresenceState.PRESENCE_STATE_ONLINE)
                .build()));
        kind("conversations", i -> conversations.createGroupConversation(CreateGroupConversationRequest
                .newBuilder().setTitle("spam " + run + " " + i).build()));
    }

    /** Stops writing; returns per kind the writes offered per second and how many were written or refused. */
    Map<String, Object> stop() throws InterruptedException {
        running = false;
        for (Thread thread : threads) {
            thread.join();
        }
        Thread.sleep(1000); // the last answers
        Map<String, Object> report = new LinkedHashMap<>();
        outcomes.forEach((kind, counts) -> report.put(kind, Map.of("offered_per_sec", LIMITS.get(kind) * factor,
                "written", counts[0].get(), "rate_limited", counts[1].get(), "other_failures", counts[2].get())));
        return report;
    }

    private void kind(String kind, LongFunction<ListenableFuture<?>> write) {
        AtomicLong[] counts = {new AtomicLong(), new AtomicLong(), new AtomicLong()};
        outcomes.put(kind, counts);
        Pacer pacer = new Pacer(LIMITS.get(kind) * factor);
        Thread thread = Thread.ofPlatform().name("abuser-" + kind).start(() -> {
            for (long i = 0; running; i++) {
                pacer.awaitTurn(i);
                ListenableFuture<?> answer = write.apply(i);
                answer.addListener(() -> {
                    try {
                        answer.get();
                        counts[0].incrementAndGet();
                    } catch (Exception e) {
                        boolean limited = Status.fromThrowable(e).getCode() == Status.Code.RESOURCE_EXHAUSTED;
                        counts[limited ? 1 : 2].incrementAndGet();
                    }
                }, Runnable::run);
            }
        });
        threads.add(thread);
    }
}
