package dev.parley.server.retention;

import static dev.parley.server.support.Errors.assertFails;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Duration;
import dev.parley.api.v1.AddReactionRequest;
import dev.parley.api.v1.ListMessagesRequest;
import dev.parley.api.v1.LogInRequest;
import dev.parley.api.v1.LogOutRequest;
import dev.parley.api.v1.RefreshSessionRequest;
import dev.parley.api.v1.RequestPasswordResetRequest;
import dev.parley.api.v1.Message;
import dev.parley.api.v1.UpdateConversationRequest;
import dev.parley.server.support.Api;
import dev.parley.server.support.Chats;
import dev.parley.server.support.Errors;
import dev.parley.server.support.StreamClient;
import dev.parley.server.support.TestServices;
import dev.parley.server.support.TestUsers;
import io.grpc.Status;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The purges, run as the server runs them, on rows made old by moving their times back (the retention is days).
 * Over a real channel: a resume from before what was purged is refused, never answered with a gap, while the
 * messages themselves stay.
 */
@QuarkusTest
class RetentionTest {

    @Inject
    Purges purges;

    @Test
    void oldEventsArePurgedAResumeFromBeforeThemIsRefusedAndTheMessagesStay() throws Exception {
        var ned = TestUsers.signUp("ned");
        var group = Chats.group(ned);
        List<Message> sent = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            sent.add(Chats.send(ned, group, "m" + i));
        }
        long oldest = sent.get(2).getSequence();
        execute("update conversation_events set created_at = now() - interval '31 days' "
                + "where conversation_id = '" + group.getId() + "' and sequence <= " + oldest);

        assertThat(purges.runOnce().get("events")).isGreaterThanOrEqualTo(oldest);

        try (var stream = StreamClient.open(ned, Map.of(group.getId(), oldest - 1))) {
            var failure = stream.awaitFailure();
            assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
            assertThat(Errors.reason(failure)).isEqualTo("EVENTS_EXPIRED");
            assertThat(Errors.errorInfo(failure).getMetadataOrThrow("conversations")).isEqualTo(group.getId());
        }
        try (var stream = StreamClient.open(ned, Map.of(group.getId(), oldest))) {
            assertThat(stream.replayUntilReady()).extracting(e -> e.getMessageSent().getText())
                    .containsExactly("m3", "m4", "m5");
        }
        try (var stream = StreamClient.open(ned, Map.of())) {
            stream.awaitReady(); // without a position the conversation streams live, as after a reload
        }
        assertThat(ned.messages().listMessages(ListMessagesRequest.newBuilder().setConversationId(group.getId())
                .setPageSize(50).build()).getMessagesList()).extracting(Message::getText)
                .containsExactly("m0", "m1", "m2", "m3", "m4", "m5");
    }

    @Test
    void aGroupsOwnRetentionTombstonesItsOldMessagesAndLeavesTheRest() throws Exception {
        var olga = TestUsers.signUp("olga");
        var group = Chats.group(olga);
        var other = Chats.group(olga);
        List<Message> sent = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            sent.add(Chats.send(olga, group, "r" + i));
        }
        Chats.send(olga, other, "kept: this group has no retention");
        olga.messages().addReaction(AddReactionRequest.newBuilder().setMessageId(sent.get(0).getId())
                .setEmoji(":wave:").build());
        assertFails(Status.Code.INVALID_ARGUMENT, () -> olga.conversations().updateConversation(
                UpdateConversationRequest.newBuilder().setConversationId(group.getId())
                        .setMessageRetention(Duration.newBuilder().setSeconds(60)).build()));
        var updated = olga.conversations().updateConversation(UpdateConversationRequest.newBuilder()
                .setConversationId(group.getId()).setMessageRetention(Duration.newBuilder().setSeconds(3600))
                .build()).getConversation();
        assertThat(updated.getMessageRetention().getSeconds()).isEqualTo(3600);
        execute("update messages set created_at = now() - interval '2 hours' where conversation_id in ('"
                + group.getId() + "', '" + other.getId() + "') and (sequence <= " + sent.get(1).getSequence()
                + " or conversation_id = '" + other.getId() + "')");

        purges.runOnce();

        var history = olga.messages().listMessages(ListMessagesRequest.newBuilder().setConversationId(group.getId())
                .setPageSize(50).build()).getMessagesList();
        assertThat(history).extracting(Message::getDeleted).containsExactly(true, true, false, false);
        assertThat(history).extracting(Message::getText).containsExactly("", "", "r2", "r3");
        assertThat(history.get(0).getReactionsList()).isEmpty();
        assertThat(olga.messages().listMessages(ListMessagesRequest.newBuilder().setConversationId(other.getId())
                .setPageSize(50).build()).getMessagesList()).extracting(Message::getText)
                .contains("kept: this group has no retention");
        try (var stream = StreamClient.open(olga, Map.of(group.getId(), 0L))) {
            assertThat(Errors.reason(stream.awaitFailure())).isEqualTo("EVENTS_EXPIRED");
        }
        var cleared = olga.conversations().updateConversation(UpdateConversationRequest.newBuilder()
                .setConversationId(group.getId()).setMessageRetention(Duration.getDefaultInstance()).build())
                .getConversation();
        assertThat(cleared.hasMessageRetention()).as("zero keeps messages for good again").isFalse();
    }

    @Test
    void endedSessionsExpiredTokensAndFinishedWebhookDeliveriesGoAndWhatIsCurrentStays() throws Exception {
        var nia = TestUsers.signUp("nia");
        var other = Api.auth().logIn(LogInRequest.newBuilder().setLogin(nia.username()).setPassword(nia.password())
                .setDeviceName("old phone").build());
        Api.withToken(Api.auth(), other.getTokens().getAccessToken()).logOut(LogOutRequest.getDefaultInstance());
        execute("update sessions set revoked_at = now() - interval '31 days' where account_id = '" + nia.id()
                + "' and revoked_at is not null");
        var refreshed = Api.auth().refreshSession(RefreshSessionRequest.newBuilder()
                .setRefreshToken(nia.tokens().getRefreshToken()).build());
        Api.auth().requestPasswordReset(RequestPasswordResetRequest.newBuilder()
                .setEmail(nia.username() + "@example.com").build());
        execute("update password_reset_tokens set expires_at = now() - interval '2 days' where account_id = '"
                + nia.id() + "'");
        execute("update refresh_tokens set expires_at = now() - interval '2 days' where used_at is not null "
                + "and session_id in (select id from sessions where account_id = '" + nia.id() + "')");
        var group = Chats.group(nia);
        var message = Chats.send(nia, group, "for a bot");
        execute(delivery(nia.id(), group.getId(), message.getId(), "delivered_at = now() - interval '8 days'"));
        execute(delivery(nia.id(), group.getId(), message.getId(), "dead_at = now() - interval '8 days'"));
        execute(delivery(nia.id(), group.getId(), message.getId(), "delivered_at = now()"));

        purges.runOnce();

        assertThat(count("select count(*) from sessions where account_id = '" + nia.id() + "'")).isEqualTo(1);
        assertThat(count("select count(*) from refresh_tokens r join sessions s on s.id = r.session_id "
                + "where s.account_id = '" + nia.id() + "'")).as("the current refresh token only").isEqualTo(1);
        assertThat(count("select count(*) from password_reset_tokens where account_id = '" + nia.id() + "'"))
                .isZero();
        assertThat(count("select count(*) from webhook_deliveries where bot_id = '" + nia.id() + "'")).isEqualTo(1);
        Api.auth().refreshSession(RefreshSessionRequest.newBuilder()
                .setRefreshToken(refreshed.getTokens().getRefreshToken()).build()); // the open session goes on
        assertFails(Status.Code.UNAUTHENTICATED, () -> Api.auth().refreshSession(RefreshSessionRequest.newBuilder()
                .setRefreshToken(other.getTokens().getRefreshToken()).build()));
    }

    @Test
    void whileAnotherNodeHoldsTheLockThisOnePurgesNothing() throws Exception {
        var ona = TestUsers.signUp("ona");
        var group = Chats.group(ona);
        Chats.send(ona, group, "old");
        execute("update conversation_events set created_at = now() - interval '31 days' "
                + "where conversation_id = '" + group.getId() + "'");
        try (Connection otherNode = TestServices.connect()) {
            try (var lock = otherNode.prepareStatement("select pg_advisory_lock(?)")) {
                lock.setLong(1, Purges.LOCK);
                lock.execute();
            }
            assertThat(purges.runOnce()).isEmpty();
            assertThat(count("select count(*) from conversation_events where conversation_id = '" + group.getId()
                    + "'")).isPositive();
            // Unlocked here rather than by closing: a closed session's locks go only when its backend has exited,
            // which may be after the next line has already tried the lock.
            try (var unlock = otherNode.prepareStatement("select pg_advisory_unlock(?)")) {
                unlock.setLong(1, Purges.LOCK);
                unlock.execute();
            }
        }
        purges.runOnce();
        assertThat(count("select count(*) from conversation_events where conversation_id = '" + group.getId()
                + "'")).isZero();
    }

    private static String delivery(String botId, String conversationId, String messageId, String finished) {
        return "insert into webhook_deliveries (id, bot_id, conversation_id, message_id, payload, next_attempt_at, "
                + "created_at) values ('" + UUID.randomUUID() + "', '" + botId + "', '" + conversationId + "', '"
                + messageId + "', '{}', now(), now() - interval '9 days'); update webhook_deliveries set " + finished
                + " where bot_id = '" + botId + "' and delivered_at is null and dead_at is null";
    }

    private static void execute(String sql) throws SQLException {
        try (Connection connection = TestServices.connect()) {
            connection.createStatement().execute(sql);
        }
    }

    private static long count(String sql) throws SQLException {
        try (Connection connection = TestServices.connect(); var rows = connection.createStatement()
                .executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
