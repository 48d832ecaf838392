package dev.parley.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import dev.parley.server.common.ParleyException;
import dev.parley.server.common.Violations;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.protobuf.StatusProto;
import java.net.ConnectException;
import java.sql.SQLException;
import org.hibernate.exception.JDBCConnectionException;
import org.junit.jupiter.api.Test;

class ErrorMappingTest {

    @Test
    void anUnexpectedFailureIsInternalWithAnErrorIdAndNothingElse() throws Exception {
        StatusException answer = ErrorMapping.toStatusException(
                new IllegalStateException("select password_hash from accounts where id = 42"));

        assertThat(answer.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
        assertThat(answer.getStatus().getDescription()).doesNotContain("select", "password", "Exception");
        ErrorInfo info = StatusProto.fromThrowable(answer).getDetails(0).unpack(ErrorInfo.class);
        assertThat(info.getReason()).isEqualTo("INTERNAL");
        assertThat(answer.getStatus().getDescription()).contains(info.getMetadataOrThrow("error_id"));
    }

    @Test
    void anUnreachableDatabaseIsUnavailableWithRetryInfo() throws Exception {
        var lost = new JDBCConnectionException("could not connect",
                new SQLException("Connection refused", "08001", new ConnectException("refused")));

        StatusException answer = ErrorMapping.toStatusException(new RuntimeException(lost));

        assertThat(answer.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        var details = StatusProto.fromThrowable(answer).getDetailsList();
        assertThat(details.get(0).unpack(ErrorInfo.class).getReason()).isEqualTo("DATABASE_UNAVAILABLE");
        assertThat(details.get(1).unpack(RetryInfo.class).getRetryDelay().getSeconds()).isEqualTo(1);
    }

    @Test
    void anExhaustedConnectionPoolIsUnavailableNotInternal() {
        StatusException answer = ErrorMapping.toStatusException(new org.hibernate.exception.GenericJDBCException(
                "could not prepare statement", new SQLException("Sorry, acquisition timeout!")));
        assertThat(answer.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    }

    @Test
    void domainFailuresKeepTheirCodeReasonAndFields() throws Exception {
        var failure = new Violations().add("username", "is required").add("email", "is required");

        StatusException answer = org.junit.jupiter.api.Assertions.assertThrows(ParleyException.class,
                failure::throwIfAny) instanceof ParleyException p ? ErrorMapping.toStatusException(p) : null;

        assertThat(answer.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        var badRequest = StatusProto.fromThrowable(answer).getDetails(1).unpack(com.google.rpc.BadRequest.class);
        assertThat(badRequest.getFieldViolationsList()).extracting(v -> v.getField())
                .containsExactly("username", "email");
    }
}
