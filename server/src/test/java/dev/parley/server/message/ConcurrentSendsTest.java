package dev.parley.server.message;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.util.concurrent.ListenableFuture;
import dev.parley.api.v1.Conversation;
import dev.parley.api.v1.CreateGroupConversationRequest;
import dev.parley.api.v1.GetConversationRequest;
import dev.parley.api.v1.ListConversationsRequest;
import dev.parley.api.v1.LogInRequest;
import dev.parley.api.v1.Message;
import dev.parley.api.v1.SendMessageRequest;
import dev.parley.server.support.Api;
import dev.parley.server.support.Chats;
import dev.parley.server.support.TestServices;
import dev.parley.server.support.TestUsers;
import dev.parley.server.support.TestUsers.TestUser;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * Seed 002's promise, over a real channel: many writes in flight at once (1,000 sends, all sent before any answer,
 * so that they are group-committed together) leave every conversation's log contiguous and every count exact; and
 * a storm of sends into one conversation leaves everyone else's calls answering.
 */
@QuarkusTest
class ConcurrentSendsTest {

    private static final int PEOPLE = 10;
    private static final int CONVERSATIONS = 10;
    private static final int SENDS = 1_000;

    @Test
    void aThousandConcurrentSendsOverTenConversationsLeaveEachLogContiguousAndEveryCountExact() throws Exception {
        List<TestUser> people = people("spread");
        List<Conversation> groups = new ArrayList<>();
        for (int c = 0; c < CONVERSATIONS; c++) {
            groups.add(Chats.group(people.get(0), people.subList(1, PEOPLE).toArray(TestUser[]::new)));
        }
        List<ListenableFuture<dev.parley.api.v1.SendMessageResponse>> sends = new ArrayList<>();
        for (int i = 0; i < SENDS; i++) {
            sends.add(people.get(i % PEOPLE).messagesAsync().sendMessage(SendMessageRequest.newBuilder()
                    .setConversationId(groups.get((i / PEOPLE) % CONVERSATIONS).getId())
                    .setClientMessageId(UUID.randomUUID().toString()).setText("spread #" + i).build()));
        }
        Map<String, Set<Long>> acknowledged = new HashMap<>();
        for (var send : sends) {
            Message message = send.get(60, TimeUnit.SECONDS).getMessage();
            acknowledged.computeIfAbsent(message.getConversationId(), c -> new HashSet<>()).add(message.getSequence());
        }

        for (Conversation group : groups) {
            List<Long> log = TestServices.numbers("select sequence from conversation_events where conversation_id = ? "
                    + "order by sequence", group.getId());
            assertThat(log).containsExactlyElementsOf(LongStream.rangeClosed(1, log.size()).boxed().toList());
            assertThat(acknowledged.get(group.getId())).hasSize(SENDS / CONVERSATIONS);
            assertThat(TestServices.numbers("select sequence from messages where conversation_id = ? order by sequence",
                    group.getId())).containsExactlyElementsOf(acknowledged.get(group.getId()).stream().sorted()
                            .toList());
            Conversation now = people.get(0).conversations().getConversation(GetConversationRequest.newBuilder()
                    .setConversationId(group.getId()).build()).getConversation();
            assertThat(now.getLastSequence()).isEqualTo(log.size());
            assertThat(now.getLastMessage().getSequence()).isEqualTo(log.get(log.size() - 1));
        }
    }

    @Test
    void aThousandConcurrentConversationCreationsEachStartAContiguousLog() throws Exception {
        List<TestUser> people = people("creator");
        List<ListenableFuture<dev.parley.api.v1.CreateGroupConversationResponse>> creations = new ArrayList<>();
        for (int i = 0; i < SENDS; i++) {
            creations.add(people.get(i % PEOPLE).conversationsAsync().createGroupConversation(
                    CreateGroupConversationRequest.newBuilder().setTitle("created together #" + i).build()));
        }
        Set<String> ids = new HashSet<>();
        for (var creation : creations) {
            Conversation created = creation.get(60, TimeUnit.SECONDS).getConversation();
            ids.add(created.getId());
            List<Long> log = TestServices.numbers("select sequence from conversation_events where conversation_id = ? "
                    + "order by sequence", created.getId());
            assertThat(log).isNotEmpty()
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, log.size()).boxed().toList());
        }
        assertThat(ids).hasSize(SENDS);
        for (TestUser creator : people) {
            assertThat(creator.conversations().listConversations(ListConversationsRequest.newBuilder()
                    .setPageSize(200).build()).getConversationsList()).hasSize(SENDS / PEOPLE);
        }
    }

    @Test
    void aSendStormInOneConversationLeavesEveryoneElsesCallsAnswering() throws Exception {
        TestUser hammer = TestUsers.signUp("hammer");
        TestUser bystander = TestUsers.signUp("bystander");
        Conversation room = Chats.group(hammer);
        Chats.group(bystander);
        List<ListenableFuture<dev.parley.api.v1.SendMessageResponse>> storm = new ArrayList<>();
        for (int i = 0; i < 2 * SENDS; i++) {
            storm.add(hammer.messagesAsync().sendMessage(SendMessageRequest.newBuilder().setConversationId(room.getId())
                    .setClientMessageId(UUID.randomUUID().toString()).setText("storm #" + i).build()));
        }
        // While the storm is in flight: logging in and listing answer, within a second or two, not after it.
        for (int i = 0; i < 5; i++) {
            assertThat(Api.auth().withDeadlineAfter(3, TimeUnit.SECONDS).logIn(LogInRequest.newBuilder()
                    .setLogin(bystander.username()).setPassword(bystander.password()).build()).hasTokens()).isTrue();
            assertThat(bystander.conversations().withDeadlineAfter(3, TimeUnit.SECONDS)
                    .listConversations(ListConversationsRequest.getDefaultInstance()).getConversationsCount())
                    .isEqualTo(1);
        }
        Set<Long> sequences = new HashSet<>();
        for (var send : storm) {
            sequences.add(send.get(60, TimeUnit.SECONDS).getMessage().getSequence());
        }
        assertThat(sequences).hasSize(2 * SENDS);
        assertThat(TestServices.numbers(
                "select sequence from conversation_events where conversation_id = ? order by sequence",
                room.getId())).containsExactlyElementsOf(LongStream.rangeClosed(1, 2 * SENDS + 1).boxed().toList());
    }

    @Test
    void refusedAndRepeatedSendsInABatchGetTheirOwnAnswersAndTheRestAreWritten() throws Exception {
        TestUser member = TestUsers.signUp("batchmember");
        TestUser outsider = TestUsers.signUp("batchoutsider");
        Conversation room = Chats.group(member);
        Message first = Chats.send(member, room, "the original");
        List<ListenableFuture<dev.parley.api.v1.SendMessageResponse>> members = new ArrayList<>();
        List<ListenableFuture<dev.parley.api.v1.SendMessageResponse>> outsiders = new ArrayList<>();
        List<ListenableFuture<dev.parley.api.v1.SendMessageResponse>> retries = new ArrayList<>();
        List<ListenableFuture<dev.parley.api.v1.SendMessageResponse>> reuses = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            members.add(send(member, room, UUID.randomUUID().toString(), "member #" + i));
            if (i % 10 == 0) {
                outsiders.add(send(outsider, room, UUID.randomUUID().toString(), "let me in"));
                retries.add(send(member, room, first.getClientMessageId(), "the original"));
                reuses.add(send(member, room, first.getClientMessageId(), "something else"));
            }
        }
        for (var sent : members) {
            assertThat(sent.get(60, TimeUnit.SECONDS).getMessage().getText()).startsWith("member #");
        }
        for (var retry : retries) {
            assertThat(retry.get(60, TimeUnit.SECONDS).getMessage().getId()).isEqualTo(first.getId());
        }
        for (var refused : outsiders) {
            assertThat(statusOf(refused)).isEqualTo(io.grpc.Status.Code.NOT_FOUND);
        }
        for (var reuse : reuses) {
            assertThat(statusOf(reuse)).isEqualTo(io.grpc.Status.Code.ALREADY_EXISTS);
        }
        assertThat(TestServices.numbers(
                "select sequence from conversation_events where conversation_id = ? order by sequence",
                room.getId())).containsExactlyElementsOf(LongStream.rangeClosed(1, 52).boxed().toList());
    }

    private static ListenableFuture<dev.parley.api.v1.SendMessageResponse> send(TestUser author, Conversation room,
            String clientMessageId, String text) {
        return author.messagesAsync().sendMessage(SendMessageRequest.newBuilder().setConversationId(room.getId())
                .setClientMessageId(clientMessageId).setText(text).build());
    }

    private static io.grpc.Status.Code statusOf(ListenableFuture<?> call) throws Exception {
        try {
            call.get(60, TimeUnit.SECONDS);
            return io.grpc.Status.Code.OK;
        } catch (java.util.concurrent.ExecutionException e) {
            return io.grpc.Status.fromThrowable(e.getCause()).getCode();
        }
    }

    private static List<TestUser> people(String prefix) {
        List<TestUser> people = new ArrayList<>();
        for (int i = 0; i < PEOPLE; i++) {
            people.add(TestUsers.signUp(prefix));
        }
        return people;
    }
}
