package dev.parley.server.attachment;

import static dev.parley.server.support.Errors.assertFails;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.api.v1.Attachment;
import dev.parley.api.v1.Conversation;
import dev.parley.api.v1.CreateUploadRequest;
import dev.parley.api.v1.DeleteMessageRequest;
import dev.parley.api.v1.GetAttachmentLinkRequest;
import dev.parley.api.v1.GetUploadRequest;
import dev.parley.api.v1.ListMessagesRequest;
import dev.parley.api.v1.Message;
import dev.parley.api.v1.RemoveMemberRequest;
import dev.parley.api.v1.SendMessageRequest;
import dev.parley.api.v1.Upload;
import dev.parley.server.support.Chats;
import dev.parley.server.support.Errors;
import dev.parley.server.support.Files;
import dev.parley.server.support.TestServices;
import dev.parley.server.support.TestUsers;
import dev.parley.server.support.TestUsers.TestUser;
import io.grpc.Status;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.util.Random;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * Files over real channels: uploaded in chunks through AttachmentService, sent with a message, fetched over HTTP from
 * the server's own port with the link it gives, as a browser or curl would; stored in PostgreSQL.
 */
@QuarkusTest
class AttachmentsTest {

    @Inject
    AttachmentPurge purge;

    @Test
    void aPhotoLosesItsLocationKeepsItsOrientationAndGetsAThumbnailOthersInTheConversationCanFetch()
            throws Exception {
        var ada = TestUsers.signUp("ada");
        var bob = TestUsers.signUp("bob");
        var group = Chats.group(ada, bob);
        byte[] photo = withExif(Files.encode(Files.picture(900, 600), "jpeg"), 6, "GPSLatitude 48.8584 N");

        Attachment sent = Files.upload(ada, group, "eiffel.jpg", "", photo);
        Message message = send(ada, group, "", sent.getId());

        assertThat(sent.getMediaType()).isEqualTo("image/jpeg");
        assertThat(sent.getWidth()).isEqualTo(600); // as shown: EXIF orientation 6 turns it upright
        assertThat(sent.getHeight()).isEqualTo(900);
        assertThat(sent.getHasThumbnail()).isTrue();
        assertThat(sent.getSha256()).isEqualTo(Files.sha256(photo));
        assertThat(sent.getSizeBytes()).isLessThan(photo.length);
        assertThat(message.getText()).isEmpty();
        assertThat(message.getAttachmentsList()).containsExactly(sent);
        Message seen = bob.messages().listMessages(ListMessagesRequest.newBuilder().setConversationId(group.getId())
                .build()).getMessagesList().stream().filter(m -> m.getId().equals(message.getId())).findFirst()
                .orElseThrow();
        assertThat(seen.getAttachmentsList()).containsExactly(sent);

        HttpResponse<byte[]> file = Files.fetch(Files.link(bob, sent, false), null);
        assertThat(file.statusCode()).isEqualTo(200);
        assertThat(file.headers().firstValue("content-type")).hasValue("image/jpeg");
        assertThat(file.headers().firstValue("content-disposition")).hasValue(
                "inline; filename=\"eiffel.jpg\"; filename*=UTF-8''eiffel.jpg");
        assertThat(file.body()).hasSize((int) sent.getSizeBytes());
        assertThat(Files.contains(file.body(), "GPSLatitude".getBytes(StandardCharsets.US_ASCII))).isFalse();
        assertThat(ExifOrientation.of(app1(file.body()))).isEqualTo(6);
        assertThat(ImageIO.read(new ByteArrayInputStream(file.body())).getWidth()).isEqualTo(900);

        HttpResponse<byte[]> thumbnail = Files.fetch(Files.link(bob, sent, true), null);
        assertThat(thumbnail.statusCode()).isEqualTo(200);
        assertThat(thumbnail.headers().firstValue("content-type")).hasValue("image/jpeg");
        var small = ImageIO.read(new ByteArrayInputStream(thumbnail.body()));
        assertThat(small.getWidth()).isEqualTo(213); // turned as the photo is shown: its right side at the bottom
        assertThat(small.getHeight()).isEqualTo(320);
        assertThat(new java.awt.Color(small.getRGB(100, 300)).getBlue()).isGreaterThan(200); // the blue band
        assertThat(new java.awt.Color(small.getRGB(100, 20)).getRed()).isGreaterThan(200); // the red band

        HttpResponse<byte[]> part = Files.fetch(Files.link(bob, sent, false), "bytes=100-199");
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.headers().firstValue("content-range")).hasValue("bytes 100-199/" + sent.getSizeBytes());
        assertThat(part.body()).isEqualTo(java.util.Arrays.copyOfRange(file.body(), 100, 200));
        assertThat(Files.fetch(Files.link(bob, sent, false), "bytes=" + sent.getSizeBytes() + "-").statusCode())
                .isEqualTo(416);
    }

    @Test
    void anUploadCutOffHalfWayResumesFromWhatTheServerHolds() {
        var cat = TestUsers.signUp("cat");
        var group = Chats.group(cat);
        byte[] report = random(2_500_000);
        Upload upload = Files.declare(cat, group, "report Q3 ünïcode.pdf", "application/pdf", report);
        assertThat(upload.getMaxChunkBytes()).isEqualTo(1 << 20);

        Files.chunk(cat, upload, report, 0, 1 << 20);
        // the answer to the next chunk is lost: the client asks where the server is, and sends from there
        Files.chunk(cat, upload, report, 1 << 20, 300_000);
        Upload held = cat.attachments().getUpload(GetUploadRequest.newBuilder().setUploadId(upload.getId()).build())
                .getUpload();
        assertThat(held.getReceivedBytes()).isEqualTo((1 << 20) + 300_000);
        // a retry of bytes already held is harmless; a gap is refused with where to continue
        assertThat(Files.chunk(cat, upload, report, 0, 1 << 20).getReceivedBytes()).isEqualTo(held.getReceivedBytes());
        var gap = assertFails(Status.Code.FAILED_PRECONDITION, "UPLOAD_OFFSET_MISMATCH",
                () -> Files.chunk(cat, upload, report, 2_000_000, 1000));
        assertThat(Errors.errorInfo(gap).getMetadataMap()).containsEntry("received_bytes",
                Long.toString(held.getReceivedBytes()));
        var early = assertFails(Status.Code.FAILED_PRECONDITION, "UPLOAD_INCOMPLETE", () -> Files.complete(cat, upload));
        assertThat(Errors.errorInfo(early).getMetadataMap()).containsEntry("received_bytes",
                Long.toString(held.getReceivedBytes()));

        Files.send(cat, upload, report, (int) held.getReceivedBytes() - 5000, 1 << 20); // overlapping the end
        Attachment done = Files.complete(cat, upload);
        assertThat(Files.complete(cat, upload)).isEqualTo(done); // completing again changes nothing
        assertThat(done.getMediaType()).isEqualTo("application/pdf");
        assertThat(done.getSizeBytes()).isEqualTo(report.length);
        assertThat(done.getHasThumbnail()).isFalse();
        assertFails(Status.Code.FAILED_PRECONDITION, "UPLOAD_COMPLETED",
                () -> Files.chunk(cat, upload, report, 0, 10));

        HttpResponse<byte[]> file = Files.fetch(Files.link(cat, done, false), null); // its uploader, before sending
        assertThat(file.body()).isEqualTo(report);
        assertThat(file.headers().firstValue("content-disposition")).hasValue("attachment; "
                + "filename=\"report Q3 _n_code.pdf\"; filename*=UTF-8''report%20Q3%20%C3%BCn%C3%AFcode.pdf");
        assertThat(Files.fetch(Files.link(cat, done, false), "bytes=-10").body())
                .isEqualTo(java.util.Arrays.copyOfRange(report, report.length - 10, report.length));
        assertFails(Status.Code.FAILED_PRECONDITION, "NO_THUMBNAIL", () -> Files.link(cat, done, true));

        send(cat, group, "the quarterly report", done.getId());
        send(cat, group, "the quarterly report, text only", null);
        var found = cat.messages().searchMessages(dev.parley.api.v1.SearchMessagesRequest.newBuilder()
                .setQuery("quarterly has:file").build()).getResultsList();
        assertThat(found).extracting(r -> r.getMessage().getText()).containsExactly("the quarterly report");
        assertThat(found.get(0).getMessage().getAttachmentsList()).containsExactly(done);
    }

    @Test
    void bytesWithAnotherHashAreDroppedSoTheUploadCanStartAgain() {
        var dan = TestUsers.signUp("dan");
        var group = Chats.group(dan);
        byte[] notes = random(100_000);
        Upload upload = Files.declare(dan, group, "notes.bin", "", notes);
        byte[] damaged = notes.clone();
        damaged[50_000] ^= 1;
        Files.send(dan, upload, damaged, 0, 40_000);

        assertFails(Status.Code.FAILED_PRECONDITION, "UPLOAD_HASH_MISMATCH", () -> Files.complete(dan, upload));

        assertThat(dan.attachments().getUpload(GetUploadRequest.newBuilder().setUploadId(upload.getId()).build())
                .getUpload().getReceivedBytes()).isZero();
        Files.send(dan, upload, notes, 0, 40_000);
        assertThat(Files.complete(dan, upload).getMediaType()).isEqualTo("application/octet-stream");
    }

    @Test
    void badDeclarationsAndChunksAreRefusedNamingTheField() {
        var eve = TestUsers.signUp("eve");
        var group = Chats.group(eve);
        var bad = assertFails(Status.Code.INVALID_ARGUMENT, () -> eve.attachments().createUpload(
                CreateUploadRequest.newBuilder().setConversationId(group.getId()).setName("../etc/passwd")
                        .setSizeBytes(0).setMediaType("Text/HTML; charset=utf-8").setSha256("abc").build()));
        assertThat(Errors.badFields(bad)).containsExactlyInAnyOrder("name", "size_bytes", "media_type", "sha256");
        var large = assertFails(Status.Code.INVALID_ARGUMENT, "FILE_TOO_LARGE", () -> eve.attachments().createUpload(
                CreateUploadRequest.newBuilder().setConversationId(group.getId()).setName("film.mp4")
                        .setSizeBytes(25 * 1024 * 1024 + 1).setSha256("0".repeat(64)).build()));
        assertThat(Errors.errorInfo(large).getMetadataMap()).containsEntry("limit_bytes", "26214400");
        assertThat(Errors.badFields(large)).containsExactly("size_bytes");

        byte[] small = random(1000);
        Upload upload = Files.declare(eve, group, "small.bin", "", small);
        assertThat(Errors.badFields(assertFails(Status.Code.INVALID_ARGUMENT,
                () -> Files.chunk(eve, upload, random(1001), 0, 1001)))).containsExactly("data");
        assertThat(Errors.badFields(assertFails(Status.Code.INVALID_ARGUMENT,
                () -> Files.chunk(eve, upload, random((1 << 20) + 1), 0, (1 << 20) + 1)))).containsExactly("data");
        assertThat(Errors.badFields(assertFails(Status.Code.INVALID_ARGUMENT,
                () -> eve.attachments().getUpload(GetUploadRequest.newBuilder().setUploadId("nope").build()))))
                .containsExactly("upload_id");
    }

    @Test
    void imagesAreTakenForWhatTheirBytesAreAndDamagedOnesAreRefused() {
        var fay = TestUsers.signUp("fay");
        var group = Chats.group(fay);
        byte[] page = "<html><script>alert(1)</script></html>".getBytes(StandardCharsets.UTF_8);
        Upload posing = Files.declare(fay, group, "cat.png", "image/png", page);
        Files.send(fay, posing, page, 0, 1000);
        var mismatch = assertFails(Status.Code.INVALID_ARGUMENT, "MEDIA_TYPE_MISMATCH",
                () -> Files.complete(fay, posing));
        assertThat(Errors.badFields(mismatch)).containsExactly("media_type");

        byte[] png = Files.encode(Files.picture(200, 100), "png");
        byte[] cut = java.util.Arrays.copyOf(png, png.length / 2);
        Upload truncated = Files.declare(fay, group, "half.png", "image/png", cut);
        Files.send(fay, truncated, cut, 0, 1000);
        var unreadable = assertFails(Status.Code.INVALID_ARGUMENT, "IMAGE_UNREADABLE",
                () -> Files.complete(fay, truncated));
        assertThat(Errors.badFields(unreadable)).containsExactly("data");

        // a PNG said to be a PDF is a PNG; an HTML page is served as a download, sandboxed, never inline
        Attachment picture = Files.upload(fay, group, "plot.pdf", "application/pdf", png);
        assertThat(picture.getMediaType()).isEqualTo("image/png");
        assertThat(picture.getWidth()).isEqualTo(200);
        Attachment html = Files.upload(fay, group, "page.html", "text/html", page);
        HttpResponse<byte[]> served = Files.fetch(Files.link(fay, html, false), null);
        assertThat(served.headers().firstValue("content-type")).hasValue("text/html");
        assertThat(served.headers().firstValue("content-disposition").orElseThrow()).startsWith("attachment;");
        assertThat(served.headers().firstValue("content-security-policy").orElseThrow()).contains("sandbox");
        assertThat(served.headers().firstValue("x-content-type-options")).hasValue("nosniff");
    }

    @Test
    void onlyTheUploaderThenTheConversationsMembersNowCanFetchAFile() {
        var gus = TestUsers.signUp("gus");
        var hal = TestUsers.signUp("hal");
        var ivy = TestUsers.signUp("ivy");
        var group = Chats.group(gus, hal);
        Attachment file = Files.upload(gus, group, "plan.txt", "text/plain", random(5000));

        assertFails(Status.Code.NOT_FOUND, () -> Files.link(hal, file, false)); // not sent yet
        String link = Files.link(gus, file, false);
        send(gus, group, "the plan", file.getId());
        assertThat(Files.fetch(Files.link(hal, file, false), null).statusCode()).isEqualTo(200);
        var outsider = assertFails(Status.Code.NOT_FOUND, () -> Files.link(ivy, file, false));
        assertThat(outsider.getStatus().getDescription()).contains(file.getId());
        assertFails(Status.Code.NOT_FOUND, () -> ivy.attachments().getAttachmentLink(GetAttachmentLinkRequest
                .newBuilder().setAttachmentId(UUID.randomUUID().toString()).build()));

        gus.conversations().removeMember(RemoveMemberRequest.newBuilder().setConversationId(group.getId())
                .setUserId(hal.id()).build());
        assertFails(Status.Code.NOT_FOUND, () -> Files.link(hal, file, false));

        String forged = link.replaceAll("signature=[^&]*", "signature=" + "A".repeat(43));
        assertThat(Files.fetch(forged, null).statusCode()).isEqualTo(403);
        String extended = link.replaceAll("expires=\\d+", "expires=" + (System.currentTimeMillis() / 1000 + 86_400));
        assertThat(Files.fetch(extended, null).statusCode()).isEqualTo(403);
    }

    @Test
    void aFileIsSentOnceByItsUploaderToItsConversation() {
        var jay = TestUsers.signUp("jay");
        var kim = TestUsers.signUp("kim");
        var group = Chats.group(jay, kim);
        var other = Chats.group(jay);
        Attachment file = Files.upload(jay, group, "a.txt", "text/plain", random(100));
        Upload unfinished = Files.declare(jay, group, "b.txt", "text/plain", random(100));

        unavailable(kim, group, file.getId(), "attachment_ids[0]"); // another's
        unavailable(jay, other, file.getId(), "attachment_ids[0]"); // another conversation's
        unavailable(jay, group, unfinished.getId(), "attachment_ids[0]"); // not completed
        unavailable(jay, group, UUID.randomUUID().toString(), "attachment_ids[0]");
        send(jay, group, "first", file.getId());
        unavailable(jay, group, file.getId(), "attachment_ids[0]"); // sent already
        var twice = assertFails(Status.Code.INVALID_ARGUMENT, () -> jay.messages().sendMessage(SendMessageRequest
                .newBuilder().setConversationId(group.getId()).setClientMessageId(UUID.randomUUID().toString())
                .setText("x").addAttachmentIds(file.getId()).addAttachmentIds(file.getId()).build()));
        assertThat(Errors.badFields(twice)).containsExactly("attachment_ids");
        var empty = assertFails(Status.Code.INVALID_ARGUMENT, () -> send(jay, group, "", null));
        assertThat(Errors.badFields(empty)).containsExactly("text");
    }

    @Test
    void theQuotaCountsFilesAndUploadsInProgress() {
        var lee = TestUsers.signUp("lee");
        var group = Chats.group(lee);
        long declared = 0;
        while (declared + 25L * 1024 * 1024 <= 1L << 30) {
            lee.attachments().createUpload(CreateUploadRequest.newBuilder().setConversationId(group.getId())
                    .setName("big.bin").setSizeBytes(25L * 1024 * 1024).setSha256("0".repeat(64)).build());
            declared += 25L * 1024 * 1024;
        }
        var full = assertFails(Status.Code.RESOURCE_EXHAUSTED, "STORAGE_QUOTA_EXCEEDED",
                () -> lee.attachments().createUpload(CreateUploadRequest.newBuilder().setConversationId(group.getId())
                        .setName("one.more").setSizeBytes(25L * 1024 * 1024).setSha256("0".repeat(64)).build()));
        assertThat(Errors.errorInfo(full).getMetadataMap()).containsEntry("limit_bytes", Long.toString(1L << 30))
                .containsEntry("used_bytes", Long.toString(declared));
        assertThat(Errors.retryDelay(full)).isEmpty();
    }

    @Test
    void aDeletedMessagesFilesAreGoneAndUnsentUploadsExpire() throws Exception {
        var max = TestUsers.signUp("max");
        var group = Chats.group(max);
        Attachment file = Files.upload(max, group, "gone.png", "image/png", Files.encode(Files.picture(50, 50), "png"));
        Message message = send(max, group, "soon gone", file.getId());
        String link = Files.link(max, file, false);
        Upload abandoned = Files.declare(max, group, "left.bin", "", random(10));
        Files.chunk(max, abandoned, random(10), 0, 5);

        max.messages().deleteMessage(DeleteMessageRequest.newBuilder().setMessageId(message.getId()).build());

        assertThat(Files.fetch(link, null).statusCode()).isEqualTo(404);
        assertFails(Status.Code.NOT_FOUND, () -> Files.link(max, file, false));
        try (Connection db = TestServices.connect()) {
            db.createStatement().executeUpdate("update attachments set created_at = now() - interval '2 days' "
                    + "where id = '" + abandoned.getId() + "'");
        }
        purge.runOnce();
        try (Connection db = TestServices.connect()) {
            var left = db.createStatement().executeQuery("select (select count(*) from attachments where id in ('"
                    + file.getId() + "', '" + abandoned.getId() + "')), (select count(*) from stored_file_parts "
                    + "where file_key like '" + file.getId() + "%'), (select count(*) from stored_file_parts where "
                    + "file_key = 'upload/" + abandoned.getId() + "')");
            left.next();
            assertThat(new long[] {left.getLong(1), left.getLong(2), left.getLong(3)}).containsExactly(0, 0, 0);
        }
        assertFails(Status.Code.NOT_FOUND, () -> max.attachments().getUpload(GetUploadRequest.newBuilder()
                .setUploadId(abandoned.getId()).build()));
    }

    private static Message send(TestUser author, Conversation conversation, String text, String attachmentId) {
        var request = SendMessageRequest.newBuilder().setConversationId(conversation.getId())
                .setClientMessageId(UUID.randomUUID().toString()).setText(text);
        if (attachmentId != null) {
            request.addAttachmentIds(attachmentId);
        }
        return author.messages().sendMessage(request.build()).getMessage();
    }

    private static void unavailable(TestUser author, Conversation conversation, String attachmentId, String field) {
        var refused = assertFails(Status.Code.INVALID_ARGUMENT, "ATTACHMENT_UNAVAILABLE",
                () -> send(author, conversation, "with a file", attachmentId));
        assertThat(Errors.badFields(refused)).containsExactly(field);
    }

    private static byte[] random(int length) {
        byte[] bytes = new byte[length];
        new Random(length).nextBytes(bytes);
        return bytes;
    }

    /** A JPEG with an EXIF segment after SOI: an orientation, and text standing in for a GPS position. */
    private static byte[] withExif(byte[] jpeg, int orientation, String secret) {
        byte[] text = secret.getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream tiff = new ByteArrayOutputStream();
        tiff.writeBytes(new byte[] {'I', 'I', 42, 0, 8, 0, 0, 0}); // little-endian, directory at 8
        tiff.writeBytes(new byte[] {2, 0}); // two entries
        tiff.writeBytes(new byte[] {0x12, 0x01, 3, 0, 1, 0, 0, 0, (byte) orientation, 0, 0, 0});
        int textAt = 8 + 2 + 24 + 4;
        tiff.writeBytes(new byte[] {0x0e, 0x01, 2, 0, (byte) text.length, 0, 0, 0, (byte) textAt, 0, 0, 0});
        tiff.writeBytes(new byte[] {0, 0, 0, 0});
        tiff.writeBytes(text);
        byte[] body = tiff.toByteArray();
        int length = 2 + 6 + body.length;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, 2);
        out.writeBytes(new byte[] {(byte) 0xff, (byte) 0xe1, (byte) (length >> 8), (byte) length,
            'E', 'x', 'i', 'f', 0, 0});
        out.writeBytes(body);
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }

    /** The first APP1 segment of a JPEG, marker and length included. */
    private static byte[] app1(byte[] jpeg) {
        int at = 2;
        while (at + 4 < jpeg.length && (jpeg[at + 1] & 0xff) != 0xe1) {
            at += 2 + ((jpeg[at + 2] & 0xff) << 8 | jpeg[at + 3] & 0xff);
        }
        int length = (jpeg[at + 2] & 0xff) << 8 | jpeg[at + 3] & 0xff;
        return java.util.Arrays.copyOfRange(jpeg, at, at + 2 + length);
    }
}
