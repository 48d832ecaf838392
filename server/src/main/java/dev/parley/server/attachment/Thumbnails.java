package dev.parley.server.attachment;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
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

    /**
     * The picture's size as shown (a photo its EXIF orientation turns is as wide as it is shown, not as stored) and
     * its thumbnail, turned the same way, since the thumbnail carries no EXIF to turn it by.
     */
    static Made of(InputStream image, int orientation) throws Unreadable {
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
                int storedWidth = reader.getWidth(0);
                int storedHeight = reader.getHeight(0);
                boolean turned = orientation >= 5; // the four orientations that swap width and height
                int width = turned ? storedHeight : storedWidth;
                int height = turned ? storedWidth : storedHeight;
                if ((long) width * height > MOST_PIXELS) {
                    return new Made(width, height, null);
                }
                ImageReadParam param = reader.getDefaultReadParam();
                // every step-th pixel still leaves at least SIDE on the longer side, which is then scaled smoothly
                int step = Math.max(1, Math.max(storedWidth, storedHeight) / SIDE);
                param.setSourceSubsampling(step, step, 0, 0);
                BufferedImage decoded = reader.read(0, param);
                if (warning.get() != null) {
                    throw new Unreadable(warning.get());
                }
                return new Made(width, height, jpeg(shrunk(upright(decoded, orientation), width, height)));
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

    /** The image turned and flipped as EXIF orientations 2 to 8 say (1 and anything else: as it is). */
    static BufferedImage upright(BufferedImage image, int orientation) {
        int w = image.getWidth();
        int h = image.getHeight();
        AffineTransform turn = switch (orientation) {
            case 2 -> new AffineTransform(-1, 0, 0, 1, w, 0);
            case 3 -> new AffineTransform(-1, 0, 0, -1, w, h);
            case 4 -> new AffineTransform(1, 0, 0, -1, 0, h);
            case 5 -> new AffineTransform(0, 1, 1, 0, 0, 0);
            case 6 -> new AffineTransform(0, 1, -1, 0, h, 0);
            case 7 -> new AffineTransform(0, -1, -1, 0, h, w);
            case 8 -> new AffineTransform(0, -1, 1, 0, 0, w);
            default -> null;
        };
        if (turn == null) {
            return image;
        }
        boolean swapped = orientation >= 5;
        BufferedImage turned = new BufferedImage(swapped ? h : w, swapped ? w : h, BufferedImage.TYPE_INT_RGB);
        Graphics2D canvas = turned.createGraphics();
        try {
            canvas.drawImage(image, turn, null);
        } finally {
            canvas.dispose();
        }
        return turned;
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
