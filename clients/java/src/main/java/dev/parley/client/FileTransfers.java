package dev.parley.client;

import com.google.protobuf.ByteString;
import dev.parley.api.v1.Attachment;
import dev.parley.api.v1.AttachmentServiceGrpc;
import dev.parley.api.v1.CompleteUploadRequest;
import dev.parley.api.v1.CreateUploadRequest;
import dev.parley.api.v1.GetAttachmentLinkRequest;
import dev.parley.api.v1.GetUploadRequest;
import dev.parley.api.v1.Upload;
import dev.parley.api.v1.UploadChunkRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Files up and down. An upload is read from disk a chunk at a time and resumes after a dropped connection, a
 * restarted server or a chunk lost in a crash from what the server says it holds ({@code GetUpload}); a download is a plain HTTP GET of the link
 * the server gives, on its HTTP port.
 */
final class FileTransfers {

    /**
     * Tries of one call when the server is unreachable or slow, before the upload gives up: with pauses growing to
     * 5 s, about 40 s in all, enough to outlast a server's restart.
     */
    private static final int ATTEMPTS = 11;
    private static final long DEADLINE_SECONDS = 60;
    private static final Pattern MEDIA_TYPE = Pattern.compile("[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*");

    private final Supplier<AttachmentServiceGrpc.AttachmentServiceBlockingStub> stub;
    private final HttpClient http = HttpClient.newHttpClient();

    FileTransfers(Supplier<AttachmentServiceGrpc.AttachmentServiceBlockingStub> stub) {
        this.stub = stub;
    }

    /** Uploads a file for a conversation; the attachment to send with {@code SendMessageRequest.attachment_ids}. */
    Attachment upload(String conversationId, Path file, UploadProgress progress) throws IOException {
        long size = Files.size(file);
        CreateUploadRequest declared = CreateUploadRequest.newBuilder().setConversationId(conversationId)
                .setName(file.getFileName().toString()).setSizeBytes(size).setMediaType(mediaType(file))
                .setSha256(sha256(file)).build();
        Upload upload = retried(() -> stub().createUpload(declared).getUpload());
        long offset = 0;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            int failures = 0;
            while (offset < size) {
                ByteBuffer chunk = ByteBuffer.allocate((int) Math.min(upload.getMaxChunkBytes(), size - offset));
                channel.read(chunk, offset);
                chunk.flip();
                try {
                    upload = stub().uploadChunk(UploadChunkRequest.newBuilder().setUploadId(upload.getId())
                            .setOffset(offset).setData(ByteString.copyFrom(chunk)).build()).getUpload();
                    failures = 0;
                } catch (StatusRuntimeException failure) {
                    // Behind where the server is: a chunk it acknowledged was lost in a crash of its database.
                    boolean behind = "UPLOAD_OFFSET_MISMATCH".equals(ParleyException.from(failure).reason());
                    if (!isTransient(failure) && !behind || ++failures == ATTEMPTS) {
                        throw ParleyException.from(failure);
                    }
                    if (!behind) {
                        pause(failures);
                    }
                    String id = upload.getId();
                    upload = retried(() -> stub().getUpload(GetUploadRequest.newBuilder().setUploadId(id).build())
                            .getUpload());
                }
                offset = upload.getReceivedBytes();
                progress.sent(offset, size);
            }
        }
        String id = upload.getId();
        return retried(() -> stub().completeUpload(CompleteUploadRequest.newBuilder().setUploadId(id).build())
                .getAttachment());
    }

    /**
     * Fetches an attachment (or its thumbnail) into {@code target}, through a link from the server; into a directory,
     * under the name the server gives it. Returns the file written.
     */
    Path download(String attachmentId, boolean thumbnail, URI httpBase, Path target) throws IOException {
        String link = ParleyClient.call(() -> stub().getAttachmentLink(GetAttachmentLinkRequest.newBuilder()
                .setAttachmentId(attachmentId).setThumbnail(thumbnail).build()).getUrl());
        HttpRequest request = HttpRequest.newBuilder(httpBase.resolve(link)).GET().build();
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) {
                    throw new IOException("The server answered HTTP " + response.statusCode() + ": "
                            + new String(body.readNBytes(500), java.nio.charset.StandardCharsets.UTF_8).trim());
                }
                Path file = Files.isDirectory(target) ? target.resolve(fileName(response, attachmentId)) : target;
                Files.copy(body, file, StandardCopyOption.REPLACE_EXISTING);
                return file;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while downloading", e);
        }
    }

    /** The name in Content-Disposition (its UTF-8 form), without any path; the id when there is none. */
    static String fileName(HttpResponse<?> response, String fallback) {
        String disposition = response.headers().firstValue("content-disposition").orElse("");
        int at = disposition.indexOf("filename*=UTF-8''");
        if (at < 0) {
            return fallback;
        }
        String encoded = disposition.substring(at + "filename*=UTF-8''".length()).split(";")[0].trim();
        String name = java.net.URLDecoder.decode(encoded.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
        name = name.replaceAll("[/\\\\]", "_");
        return name.isBlank() || name.equals(".") || name.equals("..") ? fallback : name;
    }

    /** What a file's name says it is, as the server takes it (lower case, no parameters); empty when unknown. */
    static String mediaType(Path file) {
        try {
            String probed = Files.probeContentType(file);
            String type = probed == null ? "" : probed.toLowerCase(Locale.ROOT).split(";")[0].trim();
            return MEDIA_TYPE.matcher(type).matches() && type.length() <= 127 ? type : "";
        } catch (IOException e) {
            return "";
        }
    }

    static String sha256(Path file) throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
                in.transferTo(java.io.OutputStream.nullOutputStream());
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("The JDK has no SHA-256", e);
        }
    }

    private AttachmentServiceGrpc.AttachmentServiceBlockingStub stub() {
        return stub.get().withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS);
    }

    /** A call tried again while the server is unreachable or slow; any other refusal is thrown at once. */
    private static <T> T retried(Supplier<T> call) {
        for (int attempt = 1; ; attempt++) {
            try {
                return call.get();
            } catch (StatusRuntimeException failure) {
                if (!isTransient(failure) || attempt == ATTEMPTS) {
                    throw ParleyException.from(failure);
                }
                pause(attempt);
            }
        }
    }

    private static boolean isTransient(StatusRuntimeException failure) {
        Status.Code code = failure.getStatus().getCode();
        return code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED;
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(Math.min(5000, 200L << attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException("interrupted while retrying an upload", e));
        }
    }
}
