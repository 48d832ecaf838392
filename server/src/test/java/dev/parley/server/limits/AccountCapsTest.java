package dev.parley.server.limits;

import static dev.parley.server.support.Errors.assertFails;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.api.v1.BotServiceGrpc;
import dev.parley.api.v1.CreateBotRequest;
import dev.parley.api.v1.JoinConversationRequest;
import dev.parley.api.v1.LeaveConversationRequest;
import dev.parley.api.v1.Visibility;
import dev.parley.server.support.Api;
import dev.parley.server.support.Chats;
import dev.parley.server.support.Errors;
import dev.parley.server.support.LowLimits;
import dev.parley.server.support.TestUsers;
import io.grpc.Status;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

/** The caps on what one account holds, here at 4 conversations and 2 bots (the defaults are 10,000 and 25). */
@QuarkusTest
@TestProfile(LowLimits.class)
class AccountCapsTest {

    @Test
    void anAccountInAsManyConversationsAsItMayBeJoinsNoMoreUntilItLeavesOne() {
        var carl = TestUsers.signUp("carl");
        var dora = TestUsers.signUp("dora");
        var doras = Chats.group(dora, Visibility.VISIBILITY_PUBLIC);
        carl.conversations().joinConversation(JoinConversationRequest.newBuilder().setConversationId(doras.getId())
                .build());
        for (int i = 0; i < 3; i++) {
            Chats.group(carl);
        }

        var refused = assertFails(Status.Code.RESOURCE_EXHAUSTED, "MEMBERSHIP_LIMIT", () -> Chats.group(carl));
        assertThat(Errors.errorInfo(refused).getMetadataOrThrow("limit")).isEqualTo("4");
        var eve = TestUsers.signUp("eve");
        var eveGroup = Chats.group(eve);
        assertFails(Status.Code.RESOURCE_EXHAUSTED, "MEMBERSHIP_LIMIT", () -> Chats.add(eve, eveGroup, carl));

        carl.conversations().leaveConversation(LeaveConversationRequest.newBuilder().setConversationId(doras.getId())
                .build());
        Chats.add(eve, eveGroup, carl);
    }

    @Test
    void aPersonOwnsAsManyBotsAsTheCapAndNoMore() {
        var owner = Api.withToken(BotServiceGrpc.newBlockingStub(Api.channel()),
                TestUsers.signUp("botkeeper").tokens().getAccessToken());
        for (int i = 0; i < 2; i++) {
            owner.createBot(CreateBotRequest.newBuilder().setUsername(TestUsers.uniqueName("kept")).build());
        }
        var refused = assertFails(Status.Code.RESOURCE_EXHAUSTED, "BOT_LIMIT", () -> owner.createBot(
                CreateBotRequest.newBuilder().setUsername(TestUsers.uniqueName("onemore")).build()));
        assertThat(Errors.errorInfo(refused).getMetadataOrThrow("limit")).isEqualTo("2");
    }
}
