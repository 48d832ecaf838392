package dev.parley.server.bot;

import static dev.parley.server.support.Errors.assertFails;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.api.v1.AcknowledgeEventsRequest;
import dev.parley.api.v1.AddMembersRequest;
import dev.parley.api.v1.BotServiceGrpc;
import dev.parley.api.v1.ConversationPosition;
import dev.parley.api.v1.CreateBotRequest;
import dev.parley.api.v1.CreateBotResponse;
import dev.parley.api.v1.EventServiceGrpc;
import dev.parley.api.v1.GetMeRequest;
import dev.parley.api.v1.GetUsersRequest;
import dev.parley.api.v1.ListBotsRequest;
import dev.parley.api.v1.ListMessagesRequest;
import dev.parley.api.v1.LogInRequest;
import dev.parley.api.v1.MessageServiceGrpc;
import dev.parley.api.v1.RevokeBotTokensRequest;
import dev.parley.api.v1.RotateBotTokenRequest;
import dev.parley.api.v1.SendMessageRequest;
import dev.parley.api.v1.StreamEventsRequest;
import dev.parley.api.v1.StreamEventsResponse;
import dev.parley.api.v1.UserServiceGrpc;
import dev.parley.server.support.Api;
import dev.parley.server.support.Chats;
import dev.parley.server.support.StreamClient;
import dev.parley.server.support.TestUsers;
import io.grpc.Status;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Bots: accounts people own, acting through tokens on the same API, only where they are members. */
@QuarkusTest
class BotsTest {

    @Test
    void aBotActsWithItsTokenAndIsMarkedAsABot() {
        var owner = TestUsers.signUp("botowner");
        CreateBotResponse created = bots(owner).createBot(CreateBotRequest.newBuilder()
                .setUsername(TestUsers.uniqueName("helper")).setDisplayName("Helper Bot").build());
        assertThat(created.getToken()).startsWith("pbt_");
        assertThat(created.getBot().getActiveTokens()).isEqualTo(1);

        var me = users(created.getToken()).getMe(GetMeRequest.getDefaultInstance()).getUser();
        assertThat(me.getBot()).isTrue();
        assertThat(me.getBotOwnerId()).isEqualTo(owner.id());
        var seenByOwner = owner.users().getUsers(GetUsersRequest.newBuilder().addUserIds(me.getId()).build());
        assertThat(seenByOwner.getUsers(0).getBot()).isTrue();

        assertFails(Status.Code.UNAUTHENTICATED, "INVALID_CREDENTIALS", () -> Api.auth().logIn(LogInRequest
                .newBuilder().setLogin(me.getUsername()).setPassword("!").build()));
        assertFails(Status.Code.PERMISSION_DENIED, "BOTS_CANNOT_OWN_BOTS", () -> Api.withToken(BotServiceGrpc
                .newBlockingStub(Api.channel()), created.getToken()).createBot(CreateBotRequest.newBuilder().setUsername(TestUsers.uniqueName("sub")).build()));
    }

    @Test
    void aBotReadsAndWritesOnlyWhereItIsAMember() {
        var owner = TestUsers.signUp("botroom");
        var bot = bots(owner).createBot(CreateBotRequest.newBuilder().setUsername(TestUsers.uniqueName("roombot"))
                .build());
        var outside = Chats.group(owner);
        var inside = Chats.group(owner);
        owner.conversations().addMembers(AddMembersRequest.newBuilder()
                .setConversationId(inside.getId()).addUserIds(bot.getBot().getUser().getId()).build());

        var asBot = messages(bot.getToken());
        assertFails(Status.Code.NOT_FOUND, () -> asBot.listMessages(ListMessagesRequest.newBuilder()
                .setConversationId(outside.getId()).build()));
        assertFails(Status.Code.NOT_FOUND, () -> asBot.sendMessage(send(outside.getId(), "let me in")));
        var sent = asBot.sendMessage(send(inside.getId(), "beep")).getMessage();
        assertThat(sent.getAuthorId()).isEqualTo(bot.getBot().getUser().getId());
    }

    @Test
    void aRevokedTokenStopsAtOnceAndARotatedOneReplacesIt() throws Exception {
        var owner = TestUsers.signUp("botrev");
        var stranger = TestUsers.signUp("botstranger");
        var bot = bots(owner).createBot(CreateBotRequest.newBuilder().setUsername(TestUsers.uniqueName("revbot"))
                .build());
        String botId = bot.getBot().getUser().getId();
        try (var stream = StreamClient.open(Api.channel(), bot.getToken(), Map.of(), true)) {
            stream.awaitReady();
            assertFails(Status.Code.NOT_FOUND, () -> bots(stranger).revokeBotTokens(RevokeBotTokensRequest
                    .newBuilder().setBotId(botId).build()));
            var revoked = bots(owner).revokeBotTokens(RevokeBotTokensRequest.newBuilder().setBotId(botId).build());
            assertThat(revoked.getBot().getActiveTokens()).isZero();
            assertThat(stream.awaitFailure().getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        }
        assertFails(Status.Code.UNAUTHENTICATED, () -> users(bot.getToken()).getMe(GetMeRequest.getDefaultInstance()));

        var rotated = bots(owner).rotateBotToken(RotateBotTokenRequest.newBuilder().setBotId(botId).build());
        assertThat(users(rotated.getToken()).getMe(GetMeRequest.getDefaultInstance()).getUser().getId())
                .isEqualTo(botId);
        var again = bots(owner).rotateBotToken(RotateBotTokenRequest.newBuilder().setBotId(botId).build());
        assertFails(Status.Code.UNAUTHENTICATED, () -> users(rotated.getToken()).getMe(GetMeRequest
                .getDefaultInstance()));
        assertThat(again.getBot().getActiveTokens()).isEqualTo(1);
    }

    @Test
    void administratorsListEveryBotOthersOnlyTheirs() {
        var owner = TestUsers.signUp("botlist");
        String name = TestUsers.uniqueName("listed");
        bots(owner).createBot(CreateBotRequest.newBuilder().setUsername(name).build());
        assertThat(bots(owner).listBots(ListBotsRequest.getDefaultInstance()).getBotsList())
                .extracting(b -> b.getUser().getUsername()).containsExactly(name);
        assertFails(Status.Code.PERMISSION_DENIED, () -> bots(owner).listBots(ListBotsRequest.newBuilder()
                .setAllBots(true).build()));
        assertThat(bots(TestUsers.administrator()).listBots(ListBotsRequest.newBuilder().setAllBots(true).build())
                .getBotsList()).extracting(b -> b.getUser().getUsername()).contains(name);
    }

    @Test
    void aBotOfflineDuring100MessagesGetsAllOfThemOnceFromItsAcknowledgedPosition() throws Exception {
        var owner = TestUsers.signUp("botack");
        var bot = bots(owner).createBot(CreateBotRequest.newBuilder().setUsername(TestUsers.uniqueName("ackbot"))
                .build());
        var room = Chats.group(owner);
        owner.conversations().addMembers(AddMembersRequest.newBuilder()
                .setConversationId(room.getId()).addUserIds(bot.getBot().getUser().getId()).build());
        Chats.send(owner, room, "before the bot goes away");
        long handled;
        try (var stream = StreamClient.open(Api.channel(), bot.getToken(), Map.of(), true)) {
            stream.awaitReady();
            Chats.send(owner, room, "handled while online");
            handled = stream.nextEvent().getSequence();
            events(bot.getToken()).acknowledgeEvents(AcknowledgeEventsRequest.newBuilder().addPositions(
                    ConversationPosition.newBuilder().setConversationId(room.getId()).setSequence(handled)).build());
        }
        for (int i = 1; i <= 100; i++) {
            Chats.send(owner, room, "while offline " + i);
        }
        var resumed = events(bot.getToken()).streamEvents(StreamEventsRequest.newBuilder()
                .setResumeFromAcknowledged(true).build());
        List<String> received = new ArrayList<>();
        while (resumed.hasNext()) {
            StreamEventsResponse item = resumed.next();
            if (item.hasReady()) {
                break;
            }
            if (item.hasConversationEvent()) {
                received.add(item.getConversationEvent().getMessageSent().getText());
            }
        }
        assertThat(received).hasSize(100).first().isEqualTo("while offline 1");
        assertThat(received).last().isEqualTo("while offline 100");
        assertThat(received).doesNotHaveDuplicates();

        assertFails(Status.Code.NOT_FOUND, () -> events(bot.getToken()).acknowledgeEvents(AcknowledgeEventsRequest
                .newBuilder().addPositions(ConversationPosition.newBuilder().setConversationId(UUID.randomUUID()
                        .toString()).setSequence(1)).build()));
        assertFails(Status.Code.INVALID_ARGUMENT, () -> events(bot.getToken()).acknowledgeEvents(
                AcknowledgeEventsRequest.newBuilder().addPositions(ConversationPosition.newBuilder()
                        .setConversationId(room.getId()).setSequence(100_000)).build()));
        var backwards = events(bot.getToken()).acknowledgeEvents(AcknowledgeEventsRequest.newBuilder().addPositions(
                ConversationPosition.newBuilder().setConversationId(room.getId()).setSequence(1)).build());
        assertThat(backwards.getPositions(0).getSequence()).as("positions only move forward").isEqualTo(handled);
    }

    private static SendMessageRequest send(String conversationId, String text) {
        return SendMessageRequest.newBuilder().setConversationId(conversationId)
                .setClientMessageId(UUID.randomUUID().toString()).setText(text).build();
    }

    private static BotServiceGrpc.BotServiceBlockingStub bots(TestUsers.TestUser user) {
        return Api.withToken(BotServiceGrpc.newBlockingStub(Api.channel()), user.tokens().getAccessToken());
    }

    private static UserServiceGrpc.UserServiceBlockingStub users(String token) {
        return Api.withToken(UserServiceGrpc.newBlockingStub(Api.channel()), token);
    }

    private static MessageServiceGrpc.MessageServiceBlockingStub messages(String token) {
        return Api.withToken(MessageServiceGrpc.newBlockingStub(Api.channel()), token);
    }

    private static EventServiceGrpc.EventServiceBlockingStub events(String token) {
        return Api.withToken(EventServiceGrpc.newBlockingStub(Api.channel()), token);
    }
}
