package dev.parley.server.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.parley.api.v1.AddMembersRequest;
import dev.parley.api.v1.AuthServiceGrpc;
import dev.parley.api.v1.ConversationServiceGrpc;
import dev.parley.api.v1.CreateDirectConversationRequest;
import dev.parley.api.v1.CreateGroupConversationRequest;
import dev.parley.api.v1.MessageServiceGrpc;
import dev.parley.api.v1.NotificationServiceGrpc;
import dev.parley.api.v1.SendMessageRequest;
import dev.parley.api.v1.SignUpRequest;
import dev.parley.api.v1.UpdateNotificationSettingsRequest;
import dev.parley.server.support.Api;
import dev.parley.server.support.Errors;
import dev.parley.server.support.ServerProcess;
import dev.parley.server.support.TestServices;
import io.grpc.Status;
import jakarta.mail.internet.MimeMessage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * E-mail digests over real SMTP (GreenMail, in this JVM) from the packaged server: someone offline long enough gets
 * one mail listing their unread mentions and direct messages, not the other messages, and the next mail only once
 * something new arrives.
 */
class MailDigestIT {

    private static final String DATABASE = "parley_it_digest";

    @RegisterExtension
    static final GreenMailExtension SMTP = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    @Test
    void someoneAwayGetsOneDigestOfTheirMentionsAndDirectMessagesThenOnlyNewOnes() throws Exception {
        TestServices.dropDatabase(DATABASE);
        try (ServerProcess server = ServerProcess.start("digest-mail", Map.of(
                "PARLEY_DATABASE_URL", "postgres://postgres@" + TestServices.HOST + ":5432/" + DATABASE,
                "PARLEY_MAIL_SMTP_HOST", "127.0.0.1",
                "PARLEY_MAIL_SMTP_PORT", Integer.toString(SMTP.getSmtp().getPort()),
                "PARLEY_WEB_PUBLIC_URL", "https://chat.example/",
                "PARLEY_NOTIFICATIONS_DIGEST_INTERVAL", "PT1S"))) {
            server.awaitServing();
            var auth = AuthServiceGrpc.newBlockingStub(server.channel());
            var ann = auth.signUp(SignUpRequest.newBuilder().setUsername("ann").setDisplayName("Ann Author")
                    .setEmail("ann@example.com").setPassword("ann's long passphrase").build());
            var bob = auth.signUp(SignUpRequest.newBuilder().setUsername("bob").setDisplayName("Bob Away")
                    .setEmail("bob@example.com").setPassword("bob's long passphrase").build());
            var annConversations = Api.withToken(ConversationServiceGrpc.newBlockingStub(server.channel()),
                    ann.getTokens().getAccessToken());
            var annMessages = Api.withToken(MessageServiceGrpc.newBlockingStub(server.channel()),
                    ann.getTokens().getAccessToken());
            var bobNotifications = Api.withToken(NotificationServiceGrpc.newBlockingStub(server.channel()),
                    bob.getTokens().getAccessToken());

            var tooSoon = Errors.assertFails(Status.Code.INVALID_ARGUMENT, () -> bobNotifications
                    .updateNotificationSettings(UpdateNotificationSettingsRequest.newBuilder()
                            .setEmailDigestAfter(com.google.protobuf.Duration.newBuilder().setSeconds(60)).build()));
            assertThat(Errors.badFields(tooSoon)).containsExactly("email_digest_after");
            var settings = bobNotifications.updateNotificationSettings(UpdateNotificationSettingsRequest.newBuilder()
                    .setEmailDigest(true).setEmailDigestAfter(com.google.protobuf.Duration.newBuilder()
                            .setSeconds(300)).build()).getSettings();
            assertThat(settings.getEmailDigest()).isTrue();
            // Five minutes is the shortest a person may choose; the test is not that patient.
            execute("update accounts set email_digest_after_seconds = 1 where username = 'bob'");

            String group = annConversations.createGroupConversation(CreateGroupConversationRequest.newBuilder()
                    .setTitle("garden club").build()).getConversation().getId();
            annConversations.addMembers(AddMembersRequest.newBuilder().setConversationId(group)
                    .addUserIds(bob.getUser().getId()).build());
            String direct = annConversations.createDirectConversation(CreateDirectConversationRequest.newBuilder()
                    .setUserId(bob.getUser().getId()).build()).getConversation().getId();
            send(annMessages, group, "the tomatoes are in, nothing for anyone in particular");
            send(annMessages, group, "@bob could you water them on Sunday?");
            send(annMessages, direct, "thanks for last week");

            await().atMost(Duration.ofSeconds(20)).until(() -> SMTP.getReceivedMessages().length == 1);
            MimeMessage digest = SMTP.getReceivedMessages()[0];
            assertThat(digest.getAllRecipients()).extracting(Object::toString).containsExactly("bob@example.com");
            assertThat(digest.getSubject()).isEqualTo("2 unread messages for you on Parley");
            String body = digest.getContent().toString();
            assertThat(body).contains("Hello Bob Away").contains("#garden club, Ann Author: @bob could you water them")
                    .contains("direct message, Ann Author: thanks for last week").contains("https://chat.example/")
                    .doesNotContain("tomatoes");

            Thread.sleep(3000);
            assertThat(SMTP.getReceivedMessages()).as("nothing new, no second digest").hasSize(1);
            send(annMessages, direct, "one more thing");
            await().atMost(Duration.ofSeconds(20)).until(() -> SMTP.getReceivedMessages().length == 2);
            MimeMessage second = SMTP.getReceivedMessages()[1];
            assertThat(second.getSubject()).isEqualTo("1 unread message for you on Parley");
            assertThat(second.getContent().toString()).contains("one more thing").doesNotContain("water them");
        }
    }

    private static void send(MessageServiceGrpc.MessageServiceBlockingStub messages, String conversation, String text) {
        messages.sendMessage(SendMessageRequest.newBuilder().setConversationId(conversation)
                .setClientMessageId(UUID.randomUUID().toString()).setText(text).build());
    }

    private static void execute(String sql) throws Exception {
        try (Connection connection = TestServices.connect(DATABASE);
                PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.executeUpdate();
        }
    }
}
