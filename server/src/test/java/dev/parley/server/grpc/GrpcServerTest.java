package dev.parley.server.grpc;

import static dev.parley.server.support.Errors.assertFails;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.api.v1.AuthServiceGrpc;
import dev.parley.api.v1.SignUpRequest;
import dev.parley.server.support.Api;
import grpc.health.v1.HealthGrpc;
import grpc.health.v1.HealthOuterClass.HealthCheckRequest;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** What generic gRPC tools and load balancers see, and the limits on what clients may send. */
@QuarkusTest
class GrpcServerTest {

    @Test
    void healthChecksAnswerServingWithoutAToken() {
        HealthCheckResponse health = HealthGrpc.newBlockingStub(Api.channel()).withDeadlineAfter(5, TimeUnit.SECONDS)
                .check(HealthCheckRequest.getDefaultInstance());
        assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
    }

    @Test
    void reflectionListsEveryParleyServiceWithoutAToken() throws Exception {
        CompletableFuture<ServerReflectionResponse> answer = new CompletableFuture<>();
        var requests = ServerReflectionGrpc.newStub(Api.channel()).serverReflectionInfo(new StreamObserver<>() {
            @Override
            public void onNext(ServerReflectionResponse response) {
                answer.complete(response);
            }

            @Override
            public void onError(Throwable failure) {
                answer.completeExceptionally(failure);
            }

            @Override
            public void onCompleted() {
            }
        });
        requests.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
        List<String> services = answer.get(5, TimeUnit.SECONDS).getListServicesResponse().getServiceList().stream()
                .map(ServiceResponse::getName).toList();
        requests.onCompleted();

        assertThat(services).contains("parley.v1.AuthService", "parley.v1.UserService", "grpc.health.v1.Health");
    }

    @Test
    void messagesAboveFourMebibytesAreRefused() {
        String huge = "x".repeat(5 << 20);
        StatusRuntimeException failure = assertRefused(() -> Api.auth().signUp(SignUpRequest.newBuilder()
                .setUsername("huge").setDisplayName(huge).build()));
        assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    }

    @Test
    void metadataUpToSixteenKibibytesIsAcceptedAndMoreIsRefused() {
        var large = padded(12 << 10);
        assertFails(Status.Code.INVALID_ARGUMENT, () -> large.signUp(SignUpRequest.getDefaultInstance()));

        var tooLarge = padded(20 << 10);
        var failure = assertRefused(() -> tooLarge.signUp(SignUpRequest.getDefaultInstance()));
        assertThat(failure.getStatus().getDescription() + failure.getCause()).contains("16384");
    }

    private static AuthServiceGrpc.AuthServiceBlockingStub padded(int bytes) {
        return Api.withHeader(Api.auth(), Metadata.Key.of("x-padding", Metadata.ASCII_STRING_MARSHALLER),
                "p".repeat(bytes));
    }

    private static StatusRuntimeException assertRefused(Executable call) {
        StatusRuntimeException failure = org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class,
                call);
        assertThat(failure.getStatus().getCode()).isNotEqualTo(Status.Code.INVALID_ARGUMENT);
        return failure;
    }
}
