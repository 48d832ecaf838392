package dev.parley.server.live;

import dev.parley.api.v1.ConversationEvent;
import dev.parley.api.v1.StreamEventsResponse;
import io.grpc.Drainable;
import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import io.grpc.protobuf.ProtoUtils;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * StreamEvents' response marshaller: what many streams receive alike is serialised once per node (once per writer
 * thread), not once per receiver. A feed hands the same {@link ConversationEvent} instance to every stream that
 * follows the conversation, one stream after the other on one thread, and each stream wraps it alone in a response;
 * so the bytes of the last event serialised on a thread are kept and written again while the same instance comes
 * by. A response is only its one field, so the same event instance means the very same bytes. Presence batches
 * and heartbeats are shared as whole responses, and kept the same way by the response's identity. Everything else
 * is serialised as usual.
 */
final class SharedEventBytes implements MethodDescriptor.Marshaller<StreamEventsResponse> {

    private record Serialised(Object source, byte[] bytes) {
    }

    private static final ThreadLocal<Serialised> LAST = new ThreadLocal<>();
    private final MethodDescriptor.Marshaller<StreamEventsResponse> proto =
            ProtoUtils.marshaller(StreamEventsResponse.getDefaultInstance());

    @Override
    public InputStream stream(StreamEventsResponse response) {
        Object source = switch (response.getEventCase()) {
            case CONVERSATION_EVENT -> response.getConversationEvent();
            case PRESENCE_CHANGES, HEARTBEAT -> response;
            default -> null;
        };
        if (source == null) {
            return proto.stream(response);
        }
        Serialised last = LAST.get();
        if (last == null || last.source() != source) {
            last = new Serialised(source, response.toByteArray());
            LAST.set(last);
        }
        return new Bytes(last.bytes());
    }

    @Override
    public StreamEventsResponse parse(InputStream stream) {
        return proto.parse(stream);
    }

    /** The kept bytes as the transports read a message: drained in one write, its length known up front. */
    private static final class Bytes extends ByteArrayInputStream implements Drainable, KnownLength {

        Bytes(byte[] bytes) {
            super(bytes);
        }

        @Override
        public int drainTo(OutputStream target) throws IOException {
            int length = available();
            target.write(buf, pos, length);
            pos = count;
            return length;
        }
    }
}
