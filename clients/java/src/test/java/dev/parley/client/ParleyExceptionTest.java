package dev.parley.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import io.grpc.protobuf.StatusProto;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ParleyExceptionTest {

    @Test
    void theServersDetailsBecomeATypedException() {
        var status = com.google.rpc.Status.newBuilder().setCode(Code.RESOURCE_EXHAUSTED_VALUE).setMessage("slow down")
                .addDetails(Any.pack(ErrorInfo.newBuilder().setReason("LOGIN_THROTTLED").setDomain("parley.dev")
                        .build()))
                .addDetails(Any.pack(RetryInfo.newBuilder().setRetryDelay(Duration.newBuilder().setSeconds(42))
                        .build()))
                .build();
        ParleyException failure = ParleyException.from(StatusProto.toStatusRuntimeException(status));
        assertThat(failure).isInstanceOf(ParleyException.RateLimitedException.class);
        assertThat(failure.reason()).isEqualTo("LOGIN_THROTTLED");
        assertThat(failure.retryDelay()).contains(java.time.Duration.ofSeconds(42));
    }

    @Test
    void badFieldsAreNamed() {
        var status = com.google.rpc.Status.newBuilder().setCode(Code.INVALID_ARGUMENT_VALUE).setMessage("bad")
                .addDetails(Any.pack(BadRequest.newBuilder().addFieldViolations(BadRequest.FieldViolation.newBuilder()
                        .setField("text").setDescription("must not be empty")).build()))
                .build();
        ParleyException failure = ParleyException.from(StatusProto.toStatusRuntimeException(status));
        assertThat(failure).isInstanceOf(ParleyException.InvalidArgumentException.class);
        assertThat(failure.fieldViolations()).containsEntry("text", "must not be empty");
        assertThat(failure.reason()).isEmpty();
    }

    @Test
    void anAccessTokensExpiryIsReadFromItsClaims() {
        String payload = java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString("{\"sub\":\"x\",\"exp\":1900000000}".getBytes());
        assertThat(TokenSession.expiryOf("e30." + payload + ".sig")).isEqualTo(Instant.ofEpochSecond(1_900_000_000));
        assertThat(TokenSession.expiryOf("not a token")).isEqualTo(Instant.EPOCH);
    }
}
