package dev.parley.loadgen;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import io.grpc.MethodDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * What the load generator needs of one StreamEventsResponse, read straight from its bytes: whether it is the
 * stream's ready marker or a benchmark message, and for a message its number and send time ("B|seq|micros|...").
 * Building the whole message (event, message, ids, timestamps) for every delivery only to read its text cost the
 * client more CPU than the server spent delivering it.
 */
record Arrival(Kind kind, int sequence, long sentMicros) {

    enum Kind { READY, MESSAGE, PRESENCE, OTHER }

    // Field numbers in parley/v1: StreamEventsResponse.conversation_event = 1, .ready = 8, .presence_changes = 9;
    // ConversationEvent.message_sent = 10; Message.text = 6.
    private static final int CONVERSATION_EVENT = 1;
    private static final int READY_FIELD = 8;
    private static final int PRESENCE_CHANGES = 9;
    /** The deprecated one-person presence item of servers before batching: counted too, to compare with them. */
    private static final int PRESENCE_SINGLE = 6;
    private static final int MESSAGE_SENT = 10;
    private static final int TEXT = 6;

    static final Arrival READY = new Arrival(Kind.READY, 0, 0);
    static final Arrival PRESENCE = new Arrival(Kind.PRESENCE, 0, 0);
    static final Arrival OTHER = new Arrival(Kind.OTHER, 0, 0);

    /** Reads responses as Arrivals; it never writes one (requests keep their generated marshaller). */
    static final MethodDescriptor.Marshaller<Arrival> MARSHALLER = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(Arrival value) {
            throw new UnsupportedOperationException("only responses are read as arrivals");
        }

        @Override
        public Arrival parse(InputStream stream) {
            try {
                return read(CodedInputStream.newInstance(stream));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    private static Arrival read(CodedInputStream input) throws IOException {
        for (int tag = input.readTag(); tag != 0; tag = input.readTag()) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case READY_FIELD -> {
                    return READY;
                }
                case PRESENCE_CHANGES, PRESENCE_SINGLE -> {
                    return PRESENCE;
                }
                case CONVERSATION_EVENT -> {
                    return inside(input, MESSAGE_SENT) && inside(input, TEXT) ? benchmarkText(input) : OTHER;
                }
                default -> input.skipField(tag);
            }
        }
        return OTHER;
    }

    /** Enters the length-delimited field of this number at the current level, skipping others before it. */
    private static boolean inside(CodedInputStream input, int field) throws IOException {
        int length = input.readRawVarint32();
        int end = input.getTotalBytesRead() + length;
        while (input.getTotalBytesRead() < end) {
            int tag = input.readTag();
            if (WireFormat.getTagFieldNumber(tag) == field
                    && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                return true;
            }
            input.skipField(tag);
        }
        return false;
    }

    /** "B|seq|micros|padding": the two numbers, read digit by digit from the text's bytes. */
    private static Arrival benchmarkText(CodedInputStream input) throws IOException {
        int length = input.readRawVarint32();
        if (length < 2 || input.readRawByte() != 'B' || input.readRawByte() != '|') {
            return OTHER;
        }
        int read = 2;
        long[] numbers = new long[2];
        for (int n = 0; n < numbers.length; n++) {
            while (read < length) {
                byte b = input.readRawByte();
                read++;
                if (b == '|') {
                    break;
                }
                numbers[n] = numbers[n] * 10 + (b - '0');
            }
        }
        return new Arrival(Kind.MESSAGE, (int) numbers[0], numbers[1]);
    }
}
