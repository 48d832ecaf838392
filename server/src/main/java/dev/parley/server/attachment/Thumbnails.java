package dev.parley.server.attachment;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.concurrent.atomic.AtomicReference;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * An image's size and a small JPEG of it, made with the JDK's own decoders (no native libraries). The image is
 * decoded already shrunk (every n-th pixel of every n-th row), so a 6,000 × 4,000 photo costs a few megabytes of
 * memory rather than a hundred. A decoder's warning (a JPEG cut short decodes with grey where the rest was) counts
 * as a damaged file.
 */
final class Thumbnails {

    /** The longer side of a thumbnail, in pixels. */
    static final int SIDE = 320;
    /** Beyond this an image gets no thumbnail: a small PNG can unfold into billions of pixels to decode. */
    static final long MOST_PIXELS = 50_000_000;

    /** What was learnt of an image: its size, and its thumbnail (null when too large to make one). */
    record Made(int width, int height, byte[] thumbnail) {
    }

    /** The image cannot be read: damaged, cut short, or not what its first bytes said. */
    static final class Unreadable extends Exception {
        Unreadable(String message) {
            super(message);
        }
    }

    private Thumbnails() {
    }

    static Made of(InputStream image) throws Unreadable {
        ImageIO.setUseCache(false);
        try (ImageInputStream input = ImageIO.createImageInputStream(image)) {
            Iterator<ImageReader> readers = input == null ? null : ImageIO.getImageReaders(input);
            if (readers == null || !readers.hasNext()) {
                throw new Unreadable("no decoder recognises it");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(input, true, true);
                AtomicReference<String> warning = new AtomicReference<>();
                reader.addIIOReadWarningListener((source, message) -> warning.compareAndSet(null, message));
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                if ((long) width * height > MOST_PIXELS) {
                    return new Made(width, height, null);
                }
                ImageReadParam param = reader.getDefaultReadParam();
                // every step-th pixel still leaves at least SIDE on the longer side, which is then scaled smoothly
                int step = Math.max(1, Math.max(width, height) / SIDE);
                param.setSourceSubsampling(step, step, 0, 0);
                BufferedImage decoded = reader.read(0, param);
                if (warning.get() != null) {
                    throw new Unreadable(warning.get());
                }
                return new Made(width, height, jpeg(shrunk(decoded, width, height)));
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            // ImageIO reports damaged data as IIOException, and sometimes as an unchecked exception of its own.
            throw new Unreadable(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
    }

    /**
     * At most {@link #SIDE} on the longer side, on white (a JPEG has no transparency); the size is the original's
     * scaled, whatever the decoder's subsampling rounded, so clients can lay a thumbnail out before it arrives.
     */
    private static BufferedImage shrunk(BufferedImage image, int originalWidth, int originalHeight) {
        double scale = Math.min(1.0, (double) SIDE / Math.max(originalWidth, originalHeight));
        int width = Math.max(1, (int) Math.round(originalWidth * scale));
        int height = Math.max(1, (int) Math.round(originalHeight * scale));
        BufferedImage small = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D canvas = small.createGraphics();
        try {
            canvas.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            canvas.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            canvas.drawImage(image, 0, 0, width, height, Color.WHITE, null);
        } finally {
            canvas.dispose();
        }
        return small;
    }

    private static byte[] jpeg(BufferedImage image) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream output = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(output);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(0.82f);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}
