package dev.parley.server.grpc;

import com.google.protobuf.Message;
import io.grpc.MethodDescriptor;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a request no further than the message limit, counting the bytes as they come out of the decompressor: a
 * small gzip frame that would inflate to gigabytes is stopped at the limit instead of being inflated whole (grpc-java
 * checks the compressed frame's length, and the inflated size only against its own, higher limit). A request cut off
 * so is handed on as a marker message, the request type's empty instance carrying one unknown field of a number no
 * Parley message uses, which {@link TransportLimits} answers RESOURCE_EXHAUSTED, MESSAGE_TOO_LARGE.
 */
final class OversizedRequests {

    /** The largest field number protobuf allows; never used by Parley's messages. */
    private static final int MARKER_FIELD = 536_870_911;
    /** That field as a varint with value 1: its tag (field << 3, wire type 0) in five bytes, then 0x01. */
    private static final byte[] MARKER = {(byte) 0xF8, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F, 0x01};

    private OversizedRequests() {
    }

    /** A stream that fails once more than {@code limit} bytes have been read from it, and says so afterwards. */
    static final class Bounded extends FilterInputStream {
        private final long limit;
        private long read;
        private boolean exceeded;

        Bounded(InputStream in, long limit) {
            super(in);
            this.limit = limit;
        }

        boolean exceeded() {
            return exceeded;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, (int) Math.min(length, limit + 1 - read));
            if (n > 0) {
                count(n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(Math.min(n, limit + 1 - read));
            count(skipped);
            return skipped;
        }

        private void count(long n) throws IOException {
            read += n;
            if (read > limit) {
                exceeded = true;
                throw new IOException("request larger than " + limit + " bytes");
            }
        }
    }

    /** The marker standing for a request cut off at the limit, of the method's request type. */
    static <Q> Q marker(MethodDescriptor.Marshaller<Q> strict) {
        return strict.parse(new ByteArrayInputStream(MARKER));
    }

    static boolean isMarker(Object request) {
        return request instanceof Message message && message.getUnknownFields().hasField(MARKER_FIELD);
    }
}
