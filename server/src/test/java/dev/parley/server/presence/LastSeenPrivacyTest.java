package dev.parley.server.presence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.api.v1.GetPresenceRequest;
import dev.parley.api.v1.Presence;
import dev.parley.api.v1.PresenceServiceGrpc;
import dev.parley.api.v1.PresenceState;
import dev.parley.server.support.Api;
import dev.parley.server.support.Chats;
import dev.parley.server.support.StreamClient;
import dev.parley.server.support.TestUsers;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** When someone was last online is told to the people they share a conversation with, and to no one else. */
@QuarkusTest
class LastSeenPrivacyTest {

    @Test
    void aStrangerLearnsTheStateButNotTheLastSeenTime() throws Exception {
        var ada = TestUsers.signUp("seenada");
        var bob = TestUsers.signUp("seenbob");
        var stranger = TestUsers.signUp("seenstranger");
        Chats.group(ada, bob);
        try (var adas = StreamClient.open(ada, Map.of())) {
            adas.awaitReady();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> presence(bob, ada).hasLastSeenTime());

        Presence asStranger = presence(stranger, ada);
        assertThat(asStranger.getState()).isEqualTo(PresenceState.PRESENCE_STATE_OFFLINE);
        assertThat(asStranger.hasLastSeenTime()).isFalse();
        assertThat(presence(ada, ada).hasLastSeenTime()).isTrue();
    }

    private static Presence presence(TestUsers.TestUser asker, TestUsers.TestUser of) {
        return Api.withToken(PresenceServiceGrpc.newBlockingStub(Api.channel()), asker.tokens().getAccessToken())
                .getPresence(GetPresenceRequest.newBuilder().addUserIds(of.id()).build()).getPresences(0);
    }
}
