package dev.parley.server.attachment;

import static dev.parley.server.support.Errors.assertFails;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.api.v1.Attachment;
import dev.parley.api.v1.DeleteMessageRequest;
import dev.parley.api.v1.SendMessageRequest;
import dev.parley.server.support.Chats;
import dev.parley.server.support.Files;
import dev.parley.server.support.S3ProxyServer;
import dev.parley.server.support.S3Storage;
import dev.parley.server.support.TestServices;
import dev.parley.server.support.TestUsers;
import io.grpc.Status;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.Arrays;
import java.util.Random;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * The same flow with the files in S3: a real S3 API server (S3Proxy, its own process, filesystem backend) behind the
 * FileStore port, reached over HTTP with signed requests as AWS would be. Nothing of the files goes to PostgreSQL
 * once an upload is completed.
 */
@QuarkusTest
@TestProfile(S3Storage.class)
class S3AttachmentsTest {

    @Inject
    AttachmentPurge purge;

    @Test
    void filesAreKeptInTheBucketServedFromItAndDeletedFromIt() throws Exception {
        var ada = TestUsers.signUp("ada");
        var bob = TestUsers.signUp("bob");
        var group = Chats.group(ada, bob);
        byte[] picture = Files.encode(Files.picture(800, 400), "png");
        byte[] archive = new byte[3_500_000];
        new Random(3).nextBytes(archive);

        Attachment image = Files.upload(ada, group, "chart.png", "image/png", picture);
        Attachment file = Files.upload(ada, group, "logs.tar.gz", "application/gzip", archive);
        var message = ada.messages().sendMessage(SendMessageRequest.newBuilder().setConversationId(group.getId())
                .setClientMessageId(UUID.randomUUID().toString()).setText("chart and logs")
                .addAttachmentIds(image.getId()).addAttachmentIds(file.getId()).build()).getMessage();

        Path bucket = S3ProxyServer.directory().resolve("parley-test-files").resolve("attachments");
        assertThat(bucket.resolve(file.getId())).hasBinaryContent(archive);
        assertThat(bucket.resolve(image.getId() + ".thumbnail")).exists();
        try (Connection db = TestServices.connect()) {
            var parts = db.createStatement().executeQuery("select count(*) from stored_file_parts where file_key in ('"
                    + image.getId() + "', '" + file.getId() + "')");
            parts.next();
            assertThat(parts.getLong(1)).isZero();
        }
        HttpResponse<byte[]> whole = Files.fetch(Files.link(bob, file, false), null);
        assertThat(whole.body()).isEqualTo(archive);
        HttpResponse<byte[]> part = Files.fetch(Files.link(bob, file, false), "bytes=1000000-1000099");
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.body()).isEqualTo(Arrays.copyOfRange(archive, 1_000_000, 1_000_100));
        var thumbnail = ImageIO.read(new ByteArrayInputStream(Files.fetch(Files.link(bob, image, true), null).body()));
        assertThat(thumbnail.getWidth()).isEqualTo(320);
        assertThat(thumbnail.getHeight()).isEqualTo(160);

        ada.messages().deleteMessage(DeleteMessageRequest.newBuilder().setMessageId(message.getId()).build());
        assertFails(Status.Code.NOT_FOUND, () -> Files.link(bob, file, false));
        purge.runOnce();
        assertThat(bucket.resolve(file.getId())).doesNotExist();
        assertThat(bucket.resolve(image.getId())).doesNotExist();
        assertThat(bucket.resolve(image.getId() + ".thumbnail")).doesNotExist();
    }
}
