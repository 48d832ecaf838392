package dev.parley.server.support;

import com.google.protobuf.ByteString;
import dev.parley.api.v1.Attachment;
import dev.parley.api.v1.CompleteUploadRequest;
import dev.parley.api.v1.Conversation;
import dev.parley.api.v1.CreateUploadRequest;
import dev.parley.api.v1.GetAttachmentLinkRequest;
import dev.parley.api.v1.Upload;
import dev.parley.api.v1.UploadChunkRequest;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import javax.imageio.ImageIO;

/** Files for tests: made, uploaded through the API in chunks, and fetched over HTTP as a browser would. */
public final class Files {

    /** The test server's HTTP port, where download links point. */
    public static final String HTTP = "http://localhost:8081";
    private static final HttpClient HTTP_CLIENT = HttpClient.newHttpClient();

    private Files() {
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Upload declare(TestUsers.TestUser owner, Conversation conversation, String name, String type,
            byte[] bytes) {
        return owner.attachments().createUpload(CreateUploadRequest.newBuilder().setConversationId(conversation.getId())
                .setName(name).setMediaType(type).setSizeBytes(bytes.length).setSha256(sha256(bytes)).build())
                .getUpload();
    }

    /** Sends the bytes from {@code from} on, in chunks of {@code chunk} bytes; the upload after the last. */
    public static Upload send(TestUsers.TestUser owner, Upload upload, byte[] bytes, int from, int chunk) {
        Upload now = upload;
        for (int offset = from; offset < bytes.length; offset += chunk) {
            now = chunk(owner, upload, bytes, offset, Math.min(chunk, bytes.length - offset));
        }
        return now;
    }

    public static Upload chunk(TestUsers.TestUser owner, Upload upload, byte[] bytes, int offset, int length) {
        return owner.attachments().uploadChunk(UploadChunkRequest.newBuilder().setUploadId(upload.getId())
                .setOffset(offset).setData(ByteString.copyFrom(bytes, offset, length)).build()).getUpload();
    }

    public static Attachment complete(TestUsers.TestUser owner, Upload upload) {
        return owner.attachments().completeUpload(CompleteUploadRequest.newBuilder().setUploadId(upload.getId())
                .build()).getAttachment();
    }

    /** Declares, sends in 64 KiB chunks and completes. */
    public static Attachment upload(TestUsers.TestUser owner, Conversation conversation, String name, String type,
            byte[] bytes) {
        Upload upload = declare(owner, conversation, name, type, bytes);
        send(owner, upload, bytes, 0, 64 * 1024);
        return complete(owner, upload);
    }

    public static String link(TestUsers.TestUser reader, Attachment attachment, boolean thumbnail) {
        return reader.attachments().getAttachmentLink(GetAttachmentLinkRequest.newBuilder()
                .setAttachmentId(attachment.getId()).setThumbnail(thumbnail).build()).getUrl();
    }

    /** GET of a link (a path on the HTTP port), with a Range header when {@code range} is not null. */
    public static HttpResponse<byte[]> fetch(String path, String range) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(HTTP + path)).GET();
        if (range != null) {
            request.header("Range", range);
        }
        try {
            return HTTP_CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A picture of coloured bands, so its thumbnail can be told from a blank one. */
    public static BufferedImage picture(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < width; x++) {
            Color band = x < width / 3 ? Color.RED : x < 2 * width / 3 ? Color.GREEN : Color.BLUE;
            for (int y = 0; y < height; y++) {
                image.setRGB(x, y, band.getRGB());
            }
        }
        return image;
    }

    public static byte[] encode(BufferedImage image, String format) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            ImageIO.write(image, format, bytes);
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether {@code bytes} hold {@code part} anywhere. */
    public static boolean contains(byte[] bytes, byte[] part) {
        for (int i = 0; i + part.length <= bytes.length; i++) {
            if (Arrays.equals(bytes, i, i + part.length, part, 0, part.length)) {
                return true;
            }
        }
        return false;
    }
}
