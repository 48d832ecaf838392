package dev.parley.server.attachment;

/**
 * One range of a file asked for with an HTTP Range header (RFC 9110 §14): {@code bytes=first-last},
 * {@code bytes=first-} or {@code bytes=-suffix}; {@code end} is exclusive. Several ranges in one request are served
 * as the whole file, which RFC 9110 allows.
 */
record ByteRange(long start, long end) {

    /** A range that starts past the file's end: answered 416. */
    static final ByteRange UNSATISFIABLE = new ByteRange(-1, -1);

    long length() {
        return end - start;
    }

    /** The range a header asks for, null for the whole file (no header, several ranges, or one not understood). */
    static ByteRange parse(String header, long size) {
        if (header == null || !header.startsWith("bytes=") || header.indexOf(',') >= 0) {
            return null;
        }
        String spec = header.substring("bytes=".length()).trim();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return null;
        }
        try {
            String first = spec.substring(0, dash).trim();
            String last = spec.substring(dash + 1).trim();
            if (first.isEmpty()) {
                long suffix = Long.parseLong(last);
                return suffix <= 0 ? UNSATISFIABLE : new ByteRange(Math.max(0, size - suffix), size);
            }
            long start = Long.parseLong(first);
            long end = last.isEmpty() ? size : Math.min(size, Long.parseLong(last) + 1);
            if (start >= size) {
                return UNSATISFIABLE;
            }
            return end <= start ? null : new ByteRange(start, end);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
