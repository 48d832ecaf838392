package dev.parley.server.attachment;

import java.io.DataInputStream;
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

    static final int PIECE = 64 * 1024;

    final DataInputStream in;
    private byte[] block = new byte[0];
    private int inBlock;

    WithoutMetadata(InputStream in) {
        this.in = new DataInputStream(in);
    }

    /** The stream of an image of this kind without its metadata; the bytes as they are for anything else. */
    static InputStream of(ImageKind kind, InputStream in) {
        if (kind == ImageKind.JPEG) {
            return new JpegWithoutMetadata(in);
        }
        if (kind == ImageKind.PNG) {
            return new PngWithoutMetadata(in);
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
}
