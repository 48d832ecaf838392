package dev.parley.server.attachment;

/**
 * The one piece of a JPEG's EXIF kept when the rest is removed: which way up the picture is. Phones store photos as
 * the sensor saw them and say in EXIF how to turn them; without it a portrait photo would show lying on its side.
 */
final class ExifOrientation {

    private static final int TAG = 0x0112;

    private ExifOrientation() {
    }

    /**
     * The orientation (2 to 8) an APP1 segment (marker and length included) gives, or 0 when it is not EXIF, gives
     * none, or gives the upright 1.
     */
    static int of(byte[] segment) {
        int tiff = 10; // FF E1, the length, "Exif\0\0"
        if (segment.length < tiff + 8 || segment[4] != 'E' || segment[5] != 'x' || segment[6] != 'i'
                || segment[7] != 'f') {
            return 0;
        }
        boolean big = segment[tiff] == 'M';
        long ifd = tiff + u32(segment, tiff + 4, big);
        if (ifd + 2 > segment.length) {
            return 0;
        }
        int entries = u16(segment, (int) ifd, big);
        for (int i = 0; i < entries; i++) {
            int entry = (int) ifd + 2 + 12 * i;
            if (entry + 12 > segment.length) {
                return 0;
            }
            if (u16(segment, entry, big) == TAG) {
                int value = u16(segment, entry + 8, big);
                return value >= 2 && value <= 8 ? value : 0;
            }
        }
        return 0;
    }

    /** An APP1 segment holding only the orientation. */
    static byte[] segment(int orientation) {
        return new byte[] {
            (byte) 0xff, (byte) 0xe1, 0, 34, // marker, length (of itself and what follows)
            'E', 'x', 'i', 'f', 0, 0,
            'M', 'M', 0, 42, 0, 0, 0, 8, // big-endian TIFF, first directory at 8
            0, 1, // one entry
            0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, (byte) orientation, 0, 0, // orientation, SHORT, count 1
            0, 0, 0, 0 // no next directory
        };
    }

    private static int u16(byte[] bytes, int at, boolean big) {
        return big ? (bytes[at] & 0xff) << 8 | (bytes[at + 1] & 0xff) : (bytes[at] & 0xff) | (bytes[at + 1] & 0xff) << 8;
    }

    private static long u32(byte[] bytes, int at, boolean big) {
        long high = u16(bytes, big ? at : at + 2, big);
        long low = u16(bytes, big ? at + 2 : at, big);
        return high << 16 | low;
    }
}
