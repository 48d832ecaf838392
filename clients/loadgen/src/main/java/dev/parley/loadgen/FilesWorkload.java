package dev.parley.loadgen;

import com.google.protobuf.ByteString;
import dev.parley.api.v1.Attachment;
import dev.parley.api.v1.AttachmentServiceGrpc;
import dev.parley.api.v1.CompleteUploadRequest;
import dev.parley.api.v1.CompleteUploadResponse;
import dev.parley.api.v1.CreateGroupConversationRequest;
import dev.parley.api.v1.CreateUploadRequest;
import dev.parley.api.v1.CreateUploadResponse;
import dev.parley.api.v1.GetAttachmentLinkRequest;
import dev.parley.api.v1.Upload;
import dev.parley.api.v1.UploadChunkRequest;
import dev.parley.api.v1.UploadChunkResponse;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import javax.imageio.ImageIO;

/**
 * Files (issue 17): a 25 MiB file uploaded over native gRPC and over gRPC-Web (1 MiB chunks, as the SDK and the web
 * app send them) and downloaded over HTTP from its link, each timed against copying the same file with {@code cp}
 * and writing it straight into PostgreSQL in 1 MiB rows (the server's own layout), in the same run; then 50 people
 * uploading a 1 MiB photo each at once: each upload's time and the server's resident memory before and at its peak.
 */
final class FilesWorkload {

    private static final int MIB = 1 << 20;

    private FilesWorkload() {
    }

    static Map<String, Object> run(Options options) throws Exception {
        String target = options.text("target", "localhost:9090");
        String httpAddress = options.text("http", "http://localhost:8080");
        String database = options.text("database", "jdbc:postgresql://127.0.0.1:5432/parley_bench");
        int megabytes = options.number("megabytes", 25);
        int rounds = options.number("rounds", 3);
        int concurrent = options.number("concurrent", 50);
        ServerStats server = new ServerStats(options.number("server-pid", 0));
        String run = Long.toString(System.nanoTime() % 1_000_000, 36);
        List<SimulatedUser> people = Users.prepare(target, "files-" + run, concurrent);
        SimulatedUser owner = people.get(0);
        String group = owner.conversations().createGroupConversation(CreateGroupConversationRequest.newBuilder()
                .setTitle("files " + run).addAllMemberIds(people.stream().skip(1).map(u -> u.id).toList()).build())
                .getConversation().getId();

        Path file = Files.createTempFile("parley-bench", ".bin");
        byte[] bytes = new byte[megabytes * MIB];
        new Random(25).nextBytes(bytes);
        Files.write(file, bytes);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("workload", "files");
        result.put("file_bytes", bytes.length);
        List<Double> nativeUploads = new ArrayList<>();
        List<Double> web = new ArrayList<>();
        List<Double> download = new ArrayList<>();
        List<Double> copy = new ArrayList<>();
        List<Double> postgres = new ArrayList<>();
        List<Double> completionShare = new ArrayList<>();
        var stub = AttachmentServiceGrpc.newBlockingStub(owner.authenticated());
        GrpcWebUnary browser = new GrpcWebUnary(httpAddress, owner.accessToken());
        for (int round = 0; round < rounds; round++) {
            long started = System.nanoTime();
            Attachment sent = uploadNative(stub, group, bytes, completionShare);
            nativeUploads.add(mbPerSecond(bytes.length, started));
            started = System.nanoTime();
            uploadWeb(browser, group, bytes);
            web.add(mbPerSecond(bytes.length, started));
            String link = stub.getAttachmentLink(GetAttachmentLinkRequest.newBuilder().setAttachmentId(sent.getId())
                    .build()).getUrl();
            started = System.nanoTime();
            long fetched = fetch(URI.create(httpAddress).resolve(link));
            download.add(mbPerSecond(fetched, started));
            copy.add(copied(file));
            postgres.add(intoPostgres(database, bytes));
        }
        result.put("native_grpc_upload_mb_per_sec", nativeUploads);
        result.put("native_upload_share_in_complete", completionShare);
        result.put("grpc_web_upload_mb_per_sec", web);
        result.put("http_download_mb_per_sec", download);
        result.put("cp_mb_per_sec", copy);
        result.put("postgres_insert_mb_per_sec", postgres);
        result.put("concurrent_photos", photos(people, group, server));
        Files.delete(file);
        return result;
    }

    /** 50 people at once, each a 1 MiB JPEG: each upload's time, and the server's memory before and at its peak. */
    private static Map<String, Object> photos(List<SimulatedUser> people, String group, ServerStats server)
            throws Exception {
        byte[] photo = photo();
        Latencies latencies = new Latencies();
        ExecutorService pool = Executors.newFixedThreadPool(people.size());
        uploadNative(AttachmentServiceGrpc.newBlockingStub(people.get(0).authenticated()), group, photo); // warm
        System.gc();
        long before = server.rssKb();
        AtomicLong peak = new AtomicLong(before);
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peak.accumulateAndGet(server.rssKb(), Math::max);
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.start();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> uploads = new ArrayList<>();
        for (SimulatedUser person : people) {
            var stub = AttachmentServiceGrpc.newBlockingStub(person.authenticated());
            uploads.add(pool.submit(() -> {
                start.await();
                long began = System.nanoTime();
                uploadNative(stub, group, photo);
                latencies.add((System.nanoTime() - began) / 1000);
                return null;
            }));
        }
        long began = System.nanoTime();
        start.countDown();
        for (Future<?> upload : uploads) {
            upload.get();
        }
        double seconds = (System.nanoTime() - began) / 1e9;
        sampler.interrupt();
        sampler.join();
        pool.shutdown();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("uploads", people.size());
        result.put("photo_bytes", photo.length);
        result.put("seconds", seconds);
        result.put("upload_latency_ms", latencies.summary());
        result.put("server_rss_before_mb", before / 1024.0);
        result.put("server_rss_peak_mb", peak.get() / 1024.0);
        result.put("server_rss_growth_mb", (peak.get() - before) / 1024.0);
        return result;
    }

    static Attachment uploadNative(AttachmentServiceGrpc.AttachmentServiceBlockingStub stub, String group,
            byte[] bytes) throws Exception {
        return uploadNative(stub, group, bytes, null);
    }

    /** Uploads; {@code completion}, when given, gets the share of the time CompleteUpload took. */
    static Attachment uploadNative(AttachmentServiceGrpc.AttachmentServiceBlockingStub stub, String group,
            byte[] bytes, List<Double> completion) throws Exception {
        long started = System.nanoTime();
        Upload upload = stub.createUpload(declare(group, bytes)).getUpload();
        for (int offset = 0; offset < bytes.length; offset += MIB) {
            stub.uploadChunk(chunk(upload, bytes, offset));
        }
        long chunksDone = System.nanoTime();
        Attachment attachment = stub.completeUpload(CompleteUploadRequest.newBuilder().setUploadId(upload.getId())
                .build()).getAttachment();
        if (completion != null) {
            long end = System.nanoTime();
            completion.add(Math.round(100.0 * (end - chunksDone) / (end - started)) / 100.0);
        }
        return attachment;
    }

    private static void uploadWeb(GrpcWebUnary browser, String group, byte[] bytes) throws Exception {
        Upload upload = browser.call("parley.v1.AttachmentService/CreateUpload", declare(group, bytes),
                CreateUploadResponse.parser()).getUpload();
        for (int offset = 0; offset < bytes.length; offset += MIB) {
            browser.call("parley.v1.AttachmentService/UploadChunk", chunk(upload, bytes, offset),
                    UploadChunkResponse.parser());
        }
        browser.call("parley.v1.AttachmentService/CompleteUpload", CompleteUploadRequest.newBuilder()
                .setUploadId(upload.getId()).build(), CompleteUploadResponse.parser());
    }

    private static CreateUploadRequest declare(String group, byte[] bytes) throws Exception {
        return CreateUploadRequest.newBuilder().setConversationId(group).setName("bench.bin")
                .setSizeBytes(bytes.length).setSha256(HexFormat.of().formatHex(
                        MessageDigest.getInstance("SHA-256").digest(bytes))).build();
    }

    private static UploadChunkRequest chunk(Upload upload, byte[] bytes, int offset) {
        return UploadChunkRequest.newBuilder().setUploadId(upload.getId()).setOffset(offset)
                .setData(ByteString.copyFrom(bytes, offset, Math.min(MIB, bytes.length - offset))).build();
    }

    private static long fetch(URI link) throws Exception {
        HttpResponse<InputStream> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(link).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new IllegalStateException("download answered " + response.statusCode());
            }
            return body.transferTo(java.io.OutputStream.nullOutputStream());
        }
    }

    /** {@code cp} of the same file, on the same disk, in MB/s. */
    private static double copied(Path file) throws Exception {
        Path copy = file.resolveSibling(file.getFileName() + ".copy");
        long started = System.nanoTime();
        int exit = new ProcessBuilder("cp", file.toString(), copy.toString()).inheritIO().start().waitFor();
        double speed = mbPerSecond(Files.size(file), started);
        Files.delete(copy);
        if (exit != 0) {
            throw new IllegalStateException("cp failed");
        }
        return speed;
    }

    /** The bytes inserted into PostgreSQL directly, as 1 MiB rows in one transaction, committed, in MB/s. */
    private static double intoPostgres(String url, byte[] bytes) throws Exception {
        try (Connection connection = DriverManager.getConnection(url, "postgres", "")) {
            try (var create = connection.createStatement()) {
                create.execute("create table if not exists bench_file_parts (part bigint, data bytea)");
                create.execute("alter table bench_file_parts alter column data set storage external");
                create.execute("truncate bench_file_parts");
            }
            connection.setAutoCommit(false);
            long started = System.nanoTime();
            try (PreparedStatement insert = connection.prepareStatement(
                    "insert into bench_file_parts (part, data) values (?, ?)")) {
                for (int offset = 0; offset < bytes.length; offset += MIB) {
                    insert.setLong(1, offset);
                    insert.setBytes(2, java.util.Arrays.copyOfRange(bytes, offset, Math.min(bytes.length,
                            offset + MIB)));
                    insert.executeUpdate();
                }
            }
            connection.commit();
            double speed = mbPerSecond(bytes.length, started);
            connection.setAutoCommit(true);
            try (var drop = connection.createStatement()) {
                drop.execute("drop table bench_file_parts");
            }
            return speed;
        }
    }

    /** A photo-like JPEG of at least 1 MiB (noise compresses as badly as a sensor's detail does). */
    private static byte[] photo() throws Exception {
        for (int width = 1200; ; width += 200) {
            BufferedImage image = new BufferedImage(width, width * 3 / 4, BufferedImage.TYPE_INT_RGB);
            Random random = new Random(50);
            for (int y = 0; y < image.getHeight(); y++) {
                for (int x = 0; x < image.getWidth(); x++) {
                    image.setRGB(x, y, random.nextInt(1 << 24));
                }
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(image, "jpeg", out);
            if (out.size() >= MIB) {
                return out.toByteArray();
            }
        }
    }

    private static double mbPerSecond(long bytes, long startedNanos) {
        return Math.round(bytes / 1e6 / ((System.nanoTime() - startedNanos) / 1e9) * 10) / 10.0;
    }
}
