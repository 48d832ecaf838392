package dev.parley.server.attachment;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * An image's bytes with what can tell on its sender taken out, as a stream, so a 25 MiB photo is never held whole:
 * from a JPEG its EXIF and XMP (APP1: the GPS position, camera serial numbers, the original's thumbnail), the other
 * application segments but the colour profile (APP2 ICC_PROFILE) and Adobe's colour transform (APP14), and comments
 * (only the EXIF orientation is kept: {@link ExifOrientation});
 * from a PNG its text, EXIF and time chunks. The picture's own data is copied unchanged, so nothing is re-encoded.
 * Other kinds of file pass through as they are.
 */
abstract class WithoutMetadata extends InputStream {

    private static final int PIECE = 64 * 1024;

    final DataInputStream in;
    private byte[] block = new byte[0];
    private int inBlock;

    WithoutMetadata(InputStream in) {
        this.in = new DataInputStream(in);
    }

    /** The stream of an image of this kind without its metadata; the bytes as they are for anything else. */
    static InputStream of(ImageKind kind, InputStream in) {
        if (kind == ImageKind.JPEG) {
            return new Jpeg(in);
        }
        if (kind == ImageKind.PNG) {
            return new Png(in);
        }
        return in;
    }

    /** Whether files of this kind come out of {@link #of} other than they went in. */
    static boolean rewrites(ImageKind kind) {
        return kind == ImageKind.JPEG || kind == ImageKind.PNG;
    }

    /** The EXIF orientation found (1, upright, when none), once the stream has been read past it. */
    int orientation() {
        return 1;
    }

    /** The next bytes to give out, or null at the end. */
    abstract byte[] next() throws IOException;

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] into, int at, int wanted) throws IOException {
        if (wanted == 0) {
            return 0;
        }
        while (inBlock == block.length) {
            byte[] more = next();
            if (more == null) {
                return -1;
            }
            block = more;
            inBlock = 0;
        }
        int count = Math.min(wanted, block.length - inBlock);
        System.arraycopy(block, inBlock, into, at, count);
        inBlock += count;
        return count;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    /** Up to a piece of what is left, as it is; null at the end. */
    byte[] copy() throws IOException {
        byte[] piece = in.readNBytes(PIECE);
        return piece.length == 0 ? null : piece;
    }

    /** JPEG: segments until the first scan, then everything after it as it is. */
    private static final class Jpeg extends WithoutMetadata {
        private boolean started;
        private boolean scanning;
        private boolean oriented;

        private int orientation = 1;

        Jpeg(InputStream in) {
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

    /** PNG: every chunk but text (tEXt, zTXt, iTXt), EXIF (eXIf) and the time it was made (tIME). */
    private static final class Png extends WithoutMetadata {
        private boolean started;
        private long copying;
        private long skipping;

        Png(InputStream in) {
            super(in);
        }

        @Override
        byte[] next() throws IOException {
            if (!started) {
                started = true;
                return in.readNBytes(8); // signature
            }
            while (true) {
                if (copying > 0) {
                    byte[] piece = in.readNBytes((int) Math.min(PIECE, copying));
                    if (piece.length == 0) {
                        throw new EOFException("The PNG ends inside a chunk");
                    }
                    copying -= piece.length;
                    return piece;
                }
                if (skipping > 0) {
                    in.skipNBytes(skipping);
                    skipping = 0;
                }
                byte[] header = in.readNBytes(8);
                if (header.length == 0) {
                    return null;
                }
                if (header.length < 8) {
                    throw new EOFException("The PNG ends inside a chunk's header");
                }
                long length = ((header[0] & 0xffL) << 24) | (header[1] & 0xff) << 16 | (header[2] & 0xff) << 8
                        | (header[3] & 0xff);
                String type = new String(header, 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
                if (type.equals("tEXt") || type.equals("zTXt") || type.equals("iTXt") || type.equals("eXIf")
                        || type.equals("tIME")) {
                    skipping = length + 4;
                    continue;
                }
                copying = length + 4; // the data and its CRC
                return header;
            }
        }
    }
}
