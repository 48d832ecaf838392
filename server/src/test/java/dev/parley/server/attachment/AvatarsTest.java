package dev.parley.server.attachment;

import static dev.parley.server.support.Errors.assertFails;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.api.v1.Attachment;
import dev.parley.api.v1.CompleteUploadRequest;
import dev.parley.api.v1.CreateUploadRequest;
import dev.parley.api.v1.GetUsersRequest;
import dev.parley.api.v1.UpdateProfileRequest;
import dev.parley.api.v1.Upload;
import dev.parley.server.support.Chats;
import dev.parley.server.support.Errors;
import dev.parley.server.support.Files;
import dev.parley.server.support.TestUsers;
import dev.parley.server.support.TestUsers.TestUser;
import io.grpc.Status;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** Profile pictures: uploaded like files without a conversation, chosen with UpdateProfile, served resized to anyone. */
@QuarkusTest
class AvatarsTest {

    @Test
    void anUploadedPictureBecomesTheAvatarEveryoneSeesResizedAndTheOldOneGoes() throws Exception {
        var ada = TestUsers.signUp("ada");
        var bob = TestUsers.signUp("bob");
        Attachment first = avatarUpload(ada, Files.encode(Files.picture(1200, 800), "jpeg"));
        assertThat(first.getHasThumbnail()).isTrue();

        var me = ada.users().updateProfile(UpdateProfileRequest.newBuilder().setAvatarAttachmentId(first.getId())
                .build()).getUser();
        assertThat(me.getAvatarUrl()).isEqualTo("/avatars/" + first.getId());
        assertThat(bob.users().getUsers(GetUsersRequest.newBuilder().addUserIds(ada.id()).build()).getUsers(0)
                .getAvatarUrl()).isEqualTo(me.getAvatarUrl());
        HttpResponse<byte[]> picture = Files.fetch(me.getAvatarUrl(), null); // no token, no signature
        assertThat(picture.statusCode()).isEqualTo(200);
        assertThat(picture.headers().firstValue("content-type")).hasValue("image/jpeg");
        assertThat(picture.headers().firstValue("cache-control").orElseThrow()).contains("public");
        var shown = ImageIO.read(new ByteArrayInputStream(picture.body()));
        assertThat(shown.getWidth()).isEqualTo(320);
        assertThat(shown.getHeight()).isEqualTo(213);

        Attachment second = avatarUpload(ada, Files.encode(Files.picture(300, 300), "png"));
        ada.users().updateProfile(UpdateProfileRequest.newBuilder().setAvatarAttachmentId(second.getId()).build());
        assertThat(Files.fetch(me.getAvatarUrl(), null).statusCode()).isEqualTo(404);
        assertThat(Files.fetch("/avatars/" + second.getId(), null).statusCode()).isEqualTo(200);
        ada.users().updateProfile(UpdateProfileRequest.newBuilder().setAvatarUrl("https://example.com/me.png").build());
        assertThat(Files.fetch("/avatars/" + second.getId(), null).statusCode()).isEqualTo(404);
    }

    @Test
    void onlyOnesOwnPictureUploadedWithoutAConversationCanBeAnAvatar() {
        var cat = TestUsers.signUp("cat");
        var dan = TestUsers.signUp("dan");
        Attachment dans = avatarUpload(dan, Files.encode(Files.picture(100, 100), "png"));
        Attachment inConversation = Files.upload(cat, Chats.group(cat), "pic.png", "image/png",
                Files.encode(Files.picture(100, 100), "png"));

        refused(cat, dans.getId());
        refused(cat, inConversation.getId());
        byte[] text = "not a picture".getBytes(StandardCharsets.UTF_8);
        Upload notes = cat.attachments().createUpload(CreateUploadRequest.newBuilder().setName("notes.txt")
                .setSizeBytes(text.length).setSha256(Files.sha256(text)).build()).getUpload();
        Files.chunk(cat, notes, text, 0, text.length);
        var notAPicture = assertFails(Status.Code.INVALID_ARGUMENT, "AVATAR_NOT_AN_IMAGE", () -> cat.attachments()
                .completeUpload(CompleteUploadRequest.newBuilder().setUploadId(notes.getId()).build()));
        assertThat(Errors.badFields(notAPicture)).containsExactly("media_type");
        var both = assertFails(Status.Code.INVALID_ARGUMENT, () -> dan.users().updateProfile(UpdateProfileRequest
                .newBuilder().setAvatarAttachmentId(dans.getId()).setAvatarUrl("").build()));
        assertThat(Errors.badFields(both)).containsExactlyInAnyOrder("avatar_url", "avatar_attachment_id");
    }

    private static Attachment avatarUpload(TestUser owner, byte[] picture) {
        Upload upload = owner.attachments().createUpload(CreateUploadRequest.newBuilder().setName("me.img")
                .setSizeBytes(picture.length).setSha256(Files.sha256(picture)).build()).getUpload();
        Files.send(owner, upload, picture, 0, 64 * 1024);
        return Files.complete(owner, upload);
    }

    private static void refused(TestUser caller, String attachmentId) {
        var refusal = assertFails(Status.Code.INVALID_ARGUMENT, "ATTACHMENT_UNAVAILABLE", () -> caller.users()
                .updateProfile(UpdateProfileRequest.newBuilder().setAvatarAttachmentId(attachmentId).build()));
        assertThat(Errors.badFields(refusal)).containsExactly("avatar_attachment_id");
    }
}
