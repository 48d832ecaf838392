package dev.parley.server.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.parley.api.v1.ListMessagesRequest;
import dev.parley.api.v1.MessageServiceGrpc;
import dev.parley.server.support.Api;
import dev.parley.server.support.Chats;
import dev.parley.server.support.Errors;
import dev.parley.server.support.TestUsers;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Bytes that are not a valid request, as a broken or hostile client would send them. */
@QuarkusTest
class MalformedRequestTest {

    private static final MethodDescriptor.Marshaller<byte[]> RAW = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    };

    @Test
    void invalidUtf8InAMessageIsInvalidArgumentAndStoresNothing() throws Exception {
        var uma = TestUsers.signUp("uma");
        var group = Chats.group(uma);
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        field(request, 1, group.getId().getBytes());
        field(request, 2, "raw-1".getBytes());
        field(request, 3, new byte[] {'h', 'i', (byte) 0xC3, (byte) 0x28}); // 0xC3 0x28: not UTF-8
        var method = MethodDescriptor.newBuilder(RAW, RAW).setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName("parley.v1.MessageService/SendMessage").build();
        var stub = Api.withToken(MessageServiceGrpc.newBlockingStub(Api.channel()),
                uma.tokens().getAccessToken());

        var failure = assertThrows(StatusRuntimeException.class, () -> ClientCalls.blockingUnaryCall(
                stub.getChannel(), method, stub.getCallOptions().withDeadlineAfter(10, TimeUnit.SECONDS),
                request.toByteArray()));

        assertThat(failure.getStatus().getCode()).as(failure.getStatus().toString())
                .isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(Errors.reason(failure)).isEqualTo("MALFORMED_REQUEST");
        assertThat(MessagesTest.list(uma, group.getId(), ListMessagesRequest.newBuilder())).isEmpty();
    }

    private static void field(ByteArrayOutputStream out, int number, byte[] value) {
        out.write(number << 3 | 2);
        out.write(value.length);
        out.writeBytes(value);
    }

}
