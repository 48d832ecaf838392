package dev.parley.server.attachment;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * A PNG without metadata ({@link WithoutMetadata}): every chunk but text (tEXt, zTXt, iTXt), EXIF (eXIf) and the time
 * it was made (tIME).
 */
final class PngWithoutMetadata extends WithoutMetadata {

    private boolean started;
    private long copying;
    private long skipping;

    PngWithoutMetadata(InputStream in) {
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
            String type = new String(header, 4, 4, StandardCharsets.ISO_8859_1);
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
