package dev.parley.server.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.function.Executable;

/** Reads the typed error details a failed call carries, as a client would. */
public final class Errors {

    private Errors() {
    }

    /** Runs the call, asserts it fails with the code, and returns the failure for further checks. */
    public static StatusRuntimeException assertFails(Status.Code code, Executable call) {
        StatusRuntimeException failure = assertThrows(StatusRuntimeException.class, call);
        assertThat(failure.getStatus().getCode()).as(failure.getStatus().toString()).isEqualTo(code);
        return failure;
    }

    /** Asserts the code and the ErrorInfo reason in one go. */
    public static StatusRuntimeException assertFails(Status.Code code, String reason, Executable call) {
        StatusRuntimeException failure = assertFails(code, call);
        assertThat(reason(failure)).isEqualTo(reason);
        return failure;
    }

    public static String reason(StatusRuntimeException failure) {
        return detail(failure, ErrorInfo.class).map(ErrorInfo::getReason).orElse("(no ErrorInfo)");
    }

    public static ErrorInfo errorInfo(StatusRuntimeException failure) {
        return detail(failure, ErrorInfo.class).orElseThrow();
    }

    public static List<String> badFields(StatusRuntimeException failure) {
        return detail(failure, BadRequest.class).map(bad -> bad.getFieldViolationsList().stream()
                .map(BadRequest.FieldViolation::getField).toList()).orElse(List.of());
    }

    public static Optional<Duration> retryDelay(StatusRuntimeException failure) {
        return detail(failure, RetryInfo.class).map(info -> Duration.ofSeconds(info.getRetryDelay().getSeconds(),
                info.getRetryDelay().getNanos()));
    }

    private static <T extends com.google.protobuf.Message> Optional<T> detail(StatusRuntimeException failure,
            Class<T> type) {
        com.google.rpc.Status status = StatusProto.fromThrowable(failure);
        if (status == null) {
            return Optional.empty();
        }
        for (var any : status.getDetailsList()) {
            if (any.is(type)) {
                try {
                    return Optional.of(any.unpack(type));
                } catch (InvalidProtocolBufferException e) {
                    throw new AssertionError(e);
                }
            }
        }
        return Optional.empty();
    }
}
