package dev.parley.server.mail;

import static dev.parley.server.support.Errors.assertFails;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.parley.api.v1.AuthServiceGrpc;
import dev.parley.api.v1.LogInRequest;
import dev.parley.api.v1.RequestPasswordResetRequest;
import dev.parley.api.v1.ResetPasswordRequest;
import dev.parley.api.v1.SignUpRequest;
import dev.parley.server.support.ServerProcess;
import dev.parley.server.support.TestServices;
import io.grpc.Status;
import jakarta.mail.internet.MimeMessage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Reset mail over real SMTP (GreenMail, in this JVM) from the packaged server, which logs in JSON with every call
 * logged (the most it ever writes): the mail arrives with a link that resets the password once, the outbox keeps
 * no copy once it is relayed, and no part of the token, nor the new password, is ever in the server's output.
 */
class ResetMailIT {

    private static final String DATABASE = "parley_it_mail";
    private static final Pattern LINK = Pattern.compile("(https?://\\S+)#reset-token=([A-Za-z0-9_-]+)");

    @RegisterExtension
    static final GreenMailExtension SMTP = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    @Test
    void theMailedLinkResetsThePasswordOnceAndNoSecretIsLoggedOrKept() throws Exception {
        TestServices.dropDatabase(DATABASE); // the server creates it afresh
        try (ServerProcess server = ServerProcess.start("reset-mail", Map.of(
                "PARLEY_DATABASE_URL", "postgres://postgres@" + TestServices.HOST + ":5432/" + DATABASE,
                "PARLEY_MAIL_SMTP_HOST", "127.0.0.1",
                "PARLEY_MAIL_SMTP_PORT", Integer.toString(SMTP.getSmtp().getPort()),
                "PARLEY_MAIL_FROM", "Parley <parley@chat.example>",
                "PARLEY_WEB_PUBLIC_URL", "https://chat.example/",
                "PARLEY_LOG_JSON", "true",
                "PARLEY_LOG_CALLS", "true"))) {
            server.awaitServing();
            var auth = AuthServiceGrpc.newBlockingStub(server.channel());
            auth.signUp(SignUpRequest.newBuilder().setUsername("rosa").setEmail("rosa@example.com")
                    .setPassword("rosa's first passphrase").build());

            auth.requestPasswordReset(RequestPasswordResetRequest.newBuilder().setEmail("rosa@example.com").build());
            await().atMost(Duration.ofSeconds(10)).until(() -> SMTP.getReceivedMessages().length == 1);
            MimeMessage mail = SMTP.getReceivedMessages()[0];
            assertThat(mail.getAllRecipients()).extracting(Object::toString).containsExactly("rosa@example.com");
            assertThat(mail.getFrom()[0].toString()).contains("parley@chat.example");
            Matcher link = LINK.matcher(mail.getContent().toString());
            assertThat(link.find()).as("a reset link in the mail").isTrue();
            assertThat(link.group(1)).isEqualTo("https://chat.example/");
            String token = link.group(2);
            await().atMost(Duration.ofSeconds(5)).until(() -> queuedMail(DATABASE) == 0);

            auth.resetPassword(ResetPasswordRequest.newBuilder().setResetToken(token)
                    .setNewPassword("rosa's second passphrase").build());
            assertThat(auth.logIn(LogInRequest.newBuilder().setLogin("rosa")
                    .setPassword("rosa's second passphrase").build()).getUser().getUsername()).isEqualTo("rosa");
            assertFails(Status.Code.INVALID_ARGUMENT, "RESET_TOKEN_INVALID", () -> auth.resetPassword(
                    ResetPasswordRequest.newBuilder().setResetToken(token).setNewPassword("a third passphrase")
                            .build()));

            String output = server.output();
            assertThat(output).contains("handed to the SMTP server").contains("ResetPassword");
            for (int start = 0; start + 8 <= token.length(); start++) {
                assertThat(output).as("the server's output holds part of the reset token")
                        .doesNotContain(token.substring(start, start + 8));
            }
            assertThat(output).doesNotContain("second passphrase").doesNotContain("rosa@example.com");
        }
    }

    private static int queuedMail(String database) throws Exception {
        try (Connection connection = TestServices.connect(database);
                PreparedStatement query = connection.prepareStatement("select count(*) from mail_outbox");
                ResultSet row = query.executeQuery()) {
            row.next();
            return row.getInt(1);
        }
    }
}
