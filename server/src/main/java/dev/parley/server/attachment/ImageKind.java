package dev.parley.server.attachment;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The image formats Parley recognises, told apart by their first bytes, never by a name or a declared type: a file
 * that says image/png and is an HTML page must not be served inline as if it were a picture.
 */
enum ImageKind {
    PNG("image/png", true),
    JPEG("image/jpeg", true),
    GIF("image/gif", true),
    /** Recognised and served inline, but the JDK has no decoder for it: no thumbnail. */
    WEBP("image/webp", false);

    /** Enough of a file's start to recognise it, and to read a WebP's size from its header. */
    static final int SIGNATURE_BYTES = 30;

    final String mediaType;
    final boolean thumbnailed;

    ImageKind(String mediaType, boolean thumbnailed) {
        this.mediaType = mediaType;
        this.thumbnailed = thumbnailed;
    }

    /** The kind a file's first bytes show, or null when it is none of these. */
    static ImageKind of(byte[] start) {
        if (startsWith(start, 0, 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n')) {
            return PNG;
        }
        if (startsWith(start, 0, 0xff, 0xd8, 0xff)) {
            return JPEG;
        }
        if (startsWith(start, 0, 'G', 'I', 'F', '8') && start.length > 5 && (start[4] == '7' || start[4] == '9')
                && start[5] == 'a') {
            return GIF;
        }
        if (startsWith(start, 0, 'R', 'I', 'F', 'F') && startsWith(start, 8, 'W', 'E', 'B', 'P')) {
            return WEBP;
        }
        return null;
    }

    /**
     * The media types of these kinds: the only ones served inline, and the only declared types the bytes must bear
     * out (an image/svg+xml or image/heic file is kept as declared, and served as a download).
     */
    static final Set<String> MEDIA_TYPES = Arrays.stream(values()).map(kind -> kind.mediaType)
            .collect(Collectors.toUnmodifiableSet());

    /** A WebP's width and height from its header (VP8, VP8L or VP8X), or null when the header is not one of them. */
    static int[] webpSize(byte[] start) {
        if (start.length < SIGNATURE_BYTES) {
            return null;
        }
        if (startsWith(start, 12, 'V', 'P', '8', 'X')) {
            return new int[] {1 + u24(start, 24), 1 + u24(start, 27)};
        }
        if (startsWith(start, 12, 'V', 'P', '8', 'L') && (start[20] & 0xff) == 0x2f) {
            int bits = (start[21] & 0xff) | (start[22] & 0xff) << 8 | (start[23] & 0xff) << 16
                    | (start[24] & 0xff) << 24;
            return new int[] {1 + (bits & 0x3fff), 1 + (bits >>> 14 & 0x3fff)};
        }
        if (startsWith(start, 12, 'V', 'P', '8', ' ') && startsWith(start, 23, 0x9d, 0x01, 0x2a)) {
            return new int[] {u16(start, 26) & 0x3fff, u16(start, 28) & 0x3fff};
        }
        return null;
    }

    private static int u16(byte[] bytes, int at) {
        return (bytes[at] & 0xff) | (bytes[at + 1] & 0xff) << 8;
    }

    private static int u24(byte[] bytes, int at) {
        return u16(bytes, at) | (bytes[at + 2] & 0xff) << 16;
    }

    private static boolean startsWith(byte[] bytes, int at, int... expected) {
        if (bytes.length < at + expected.length) {
            return false;
        }
        return Arrays.equals(Arrays.copyOfRange(bytes, at, at + expected.length),
                toBytes(expected));
    }

    private static byte[] toBytes(int[] values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return bytes;
    }
}
