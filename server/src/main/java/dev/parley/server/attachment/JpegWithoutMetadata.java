package dev.parley.server.attachment;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * A JPEG without metadata ({@link WithoutMetadata}): its segments until the first scan, those that tell nothing of
 * the sender kept, then everything after it as it is.
 */
final class JpegWithoutMetadata extends WithoutMetadata {

    private boolean started;
    private boolean scanning;
    private boolean oriented;
    private int orientation = 1;

    JpegWithoutMetadata(InputStream in) {
        super(in);
    }

    @Override
    int orientation() {
        return orientation;
    }

    @Override
    byte[] next() throws IOException {
        if (scanning) {
            return copy();
        }
        if (!started) {
            started = true;
            return in.readNBytes(2); // SOI
        }
        while (true) {
            int marker = marker();
            if (marker < 0) {
                return null;
            }
            if (marker == 0xda) { // start of scan: the picture's data follows, and the rest is copied
                scanning = true;
                return new byte[] {(byte) 0xff, (byte) 0xda};
            }
            if (marker == 0x01 || marker >= 0xd0 && marker <= 0xd9) { // no length follows these
                return new byte[] {(byte) 0xff, (byte) marker};
            }
            int length = in.readUnsignedShort();
            if (length < 2) {
                throw new IOException("A JPEG segment's length is " + length);
            }
            byte[] segment = new byte[length + 2];
            segment[0] = (byte) 0xff;
            segment[1] = (byte) marker;
            segment[2] = (byte) (length >> 8);
            segment[3] = (byte) length;
            in.readFully(segment, 4, length - 2);
            if (!dropped(marker, segment)) {
                return segment;
            }
            int found = marker == 0xe1 && !oriented ? ExifOrientation.of(segment) : 0;
            if (found != 0) {
                oriented = true;
                orientation = found;
                return ExifOrientation.segment(found);
            }
        }
    }

    /** The next marker's code, past any fill bytes; -1 at the end. */
    private int marker() throws IOException {
        int b = in.read();
        if (b < 0) {
            return -1;
        }
        if (b != 0xff) {
            throw new IOException("A JPEG segment does not start with a marker");
        }
        while (b == 0xff) {
            b = in.read();
            if (b < 0) {
                throw new EOFException("The JPEG ends inside a marker");
            }
        }
        return b;
    }

    private static boolean dropped(int marker, byte[] segment) {
        if (marker == 0xfe) { // comment
            return true;
        }
        if (marker < 0xe1 || marker > 0xef) { // not an application segment, or APP0 (JFIF)
            return false;
        }
        return !(marker == 0xe2 && named(segment, "ICC_PROFILE") || marker == 0xee && named(segment, "Adobe"));
    }

    private static boolean named(byte[] segment, String name) {
        if (segment.length < 4 + name.length()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            if (segment[4 + i] != name.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
