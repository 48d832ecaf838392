package dev.parley.server.grpc;

import static dev.parley.server.support.Errors.assertFails;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.api.v1.SignUpRequest;
import dev.parley.server.support.Api;
import grpc.health.v1.HealthGrpc;
import grpc.health.v1.HealthOuterClass.HealthCheckRequest;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse;
import io.grpc.Status;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayOutputStream;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * A gzip request is inflated against the message limit, not only checked compressed: a 64 KiB frame that inflates
 * to 64 MiB, sent before any authentication, is refused without the server holding what it inflates to.
 */
@QuarkusTest
class CompressedRequestTest {

    private static final int INFLATED = 64 * 1024 * 1024;

    @Test
    void aSmallGzipFrameInflatingToSixtyFourMebibytesIsRefusedAndTheServerStaysWell() throws Exception {
        // held in an array so that it can be let go before the heap is measured again
        SignUpRequest[] bomb = {SignUpRequest.newBuilder().setUsername("bomb").setPassword("a".repeat(INFLATED))
                .build()};
        assertThat(gzipped(bomb[0].toByteArray())).hasSizeLessThan(128 * 1024);
        long heapBefore = usedHeapAfterGc();

        var failure = assertFails(Status.Code.RESOURCE_EXHAUSTED, "MESSAGE_TOO_LARGE", () -> Api.auth()
                .withCompression("gzip").withDeadlineAfter(10, TimeUnit.SECONDS).signUp(bomb[0]));
        assertThat(failure.getStatus().getDescription()).contains("limit of 4194304 bytes");

        long askedAt = System.nanoTime();
        HealthCheckResponse health = HealthGrpc.newBlockingStub(Api.channel()).withDeadlineAfter(1, TimeUnit.SECONDS)
                .check(HealthCheckRequest.getDefaultInstance());
        assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
        assertThat(System.nanoTime() - askedAt).isLessThan(TimeUnit.SECONDS.toNanos(1));
        bomb[0] = null;
        // the server runs in this JVM: what it kept of the inflated request would show here
        assertThat(usedHeapAfterGc() - heapBefore).isLessThan(16L * 1024 * 1024);
    }

    private static byte[] gzipped(byte[] bytes) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(bytes);
        }
        return out.toByteArray();
    }

    private static long usedHeapAfterGc() {
        Runtime runtime = Runtime.getRuntime();
        System.gc();
        System.gc();
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
