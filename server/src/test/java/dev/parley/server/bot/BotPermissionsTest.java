package dev.parley.server.bot;

import static dev.parley.server.support.Errors.assertFails;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.api.v1.BotPermissions;
import dev.parley.api.v1.BotServiceGrpc;
import dev.parley.api.v1.ConversationServiceGrpc;
import dev.parley.api.v1.CreateBotRequest;
import dev.parley.api.v1.CreateDirectConversationRequest;
import dev.parley.api.v1.CreateGroupConversationRequest;
import dev.parley.api.v1.JoinConversationRequest;
import dev.parley.api.v1.RequestToJoinRequest;
import dev.parley.api.v1.SetBotPermissionsRequest;
import dev.parley.api.v1.Visibility;
import dev.parley.server.support.Api;
import dev.parley.server.support.Chats;
import dev.parley.server.support.TestUsers;
import io.grpc.Status;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/**
 * A bot opens direct conversations, creates groups and joins groups only as far as its owner allows
 * (SetBotPermissions); by default it only answers where people brought it.
 */
@QuarkusTest
class BotPermissionsTest {

    @Test
    void aBotReachesNoOneOnItsOwnUntilItsOwnerAllowsIt() {
        var owner = TestUsers.signUp("permowner");
        var stranger = TestUsers.signUp("permstranger");
        var created = bots(owner).createBot(CreateBotRequest.newBuilder().setUsername(TestUsers.uniqueName("permbot"))
                .build());
        String botId = created.getBot().getUser().getId();
        assertThat(created.getBot().getPermissions()).isEqualTo(BotPermissions.getDefaultInstance());
        var asBot = Api.withToken(ConversationServiceGrpc.newBlockingStub(Api.channel()), created.getToken());
        var publicGroup = Chats.group(stranger, Visibility.VISIBILITY_PUBLIC);
        var privateGroup = Chats.group(stranger, Visibility.VISIBILITY_PRIVATE);

        assertFails(Status.Code.PERMISSION_DENIED, "BOT_NOT_ALLOWED", () -> asBot.createDirectConversation(
                CreateDirectConversationRequest.newBuilder().setUserId(stranger.id()).build()));
        assertFails(Status.Code.PERMISSION_DENIED, "BOT_NOT_ALLOWED", () -> asBot.createGroupConversation(
                CreateGroupConversationRequest.newBuilder().setTitle("bot's own").build()));
        assertFails(Status.Code.PERMISSION_DENIED, "BOT_NOT_ALLOWED", () -> asBot.joinConversation(
                JoinConversationRequest.newBuilder().setConversationId(publicGroup.getId()).build()));
        assertFails(Status.Code.PERMISSION_DENIED, "BOT_NOT_ALLOWED", () -> asBot.requestToJoin(
                RequestToJoinRequest.newBuilder().setConversationId(privateGroup.getId()).build()));

        String opened = owner.conversations().createDirectConversation(CreateDirectConversationRequest.newBuilder()
                .setUserId(botId).build()).getConversation().getId();
        assertThat(asBot.createDirectConversation(CreateDirectConversationRequest.newBuilder()
                .setUserId(owner.id()).build()).getConversation().getId())
                .as("a direct conversation a person opened with the bot is the bot's to use").isEqualTo(opened);

        var all = BotPermissions.newBuilder().setOpenDirectConversations(true).setCreateGroups(true)
                .setJoinGroups(true).build();
        assertFails(Status.Code.NOT_FOUND, () -> bots(stranger).setBotPermissions(SetBotPermissionsRequest
                .newBuilder().setBotId(botId).setPermissions(all).build()));
        assertThat(bots(owner).setBotPermissions(SetBotPermissionsRequest.newBuilder().setBotId(botId)
                .setPermissions(all).build()).getBot().getPermissions()).isEqualTo(all);

        asBot.createDirectConversation(CreateDirectConversationRequest.newBuilder().setUserId(stranger.id()).build());
        asBot.createGroupConversation(CreateGroupConversationRequest.newBuilder().setTitle("bot's own").build());
        asBot.joinConversation(JoinConversationRequest.newBuilder().setConversationId(publicGroup.getId()).build());
    }

    @Test
    void permissionsGivenAtCreationHoldFromTheStart() {
        var owner = TestUsers.signUp("permcreator");
        var someone = TestUsers.signUp("permsomeone");
        var directsOnly = BotPermissions.newBuilder().setOpenDirectConversations(true).build();
        var created = bots(owner).createBot(CreateBotRequest.newBuilder().setUsername(TestUsers.uniqueName("dmbot"))
                .setPermissions(directsOnly).build());
        assertThat(created.getBot().getPermissions()).isEqualTo(directsOnly);
        var asBot = Api.withToken(ConversationServiceGrpc.newBlockingStub(Api.channel()), created.getToken());
        asBot.createDirectConversation(CreateDirectConversationRequest.newBuilder().setUserId(someone.id()).build());
        assertFails(Status.Code.PERMISSION_DENIED, "BOT_NOT_ALLOWED", () -> asBot.createGroupConversation(
                CreateGroupConversationRequest.newBuilder().setTitle("not allowed").build()));
    }

    private static BotServiceGrpc.BotServiceBlockingStub bots(TestUsers.TestUser user) {
        return Api.withToken(BotServiceGrpc.newBlockingStub(Api.channel()), user.tokens().getAccessToken());
    }
}
