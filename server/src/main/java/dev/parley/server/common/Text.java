package dev.parley.server.common;

/** Checks on free text that every feature applies to what people type. */
public final class Text {

    private Text() {
    }

    /** Length as people count it: in code points, so that an emoji is one character, not two. */
    public static int length(String text) {
        return text.codePointCount(0, text.length());
    }

    /**
     * True for text that shows nothing: empty, or only spaces of any kind (Zs, line and paragraph separators),
     * control and format characters (Cf: zero-width space and joiners, direction marks, the BOM), variation
     * selectors and the fillers fonts draw blank (Hangul fillers, the blank Braille pattern). Such a message or
     * name would reach people as an empty line they cannot tell apart from nothing.
     */
    public static boolean isInvisible(String text) {
        return text.codePoints().allMatch(Text::isInvisible);
    }

    private static boolean isInvisible(int codePoint) {
        return switch (Character.getType(codePoint)) {
            case Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                    Character.CONTROL, Character.FORMAT -> true;
            default -> Character.isWhitespace(codePoint) || BLANK_GLYPHS.indexOf(codePoint) >= 0
                    || (codePoint >= 0xFE00 && codePoint <= 0xFE0F) || (codePoint >= 0xE0100 && codePoint <= 0xE01EF);
        };
    }

    /** Letters and marks that render as nothing: combining grapheme joiner, Hangul fillers, blank Braille cell. */
    private static final String BLANK_GLYPHS = "\u034F\u115F\u1160\u3164\uFFA0\u2800";

    /** True when the text holds a control character (NUL, escape, line breaks...) that has no place in a name. */
    public static boolean hasControlCharacters(String text) {
        return text.codePoints().anyMatch(Character::isISOControl);
    }

    /** True for text that cannot be valid UTF-8 on the wire: protobuf lets lone surrogates through in Java. */
    public static boolean hasLoneSurrogates(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    return true;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    /** A LIKE pattern matching text that starts with the prefix, its wildcards taken literally (escape '\\'). */
    public static String likePrefix(String prefix) {
        return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }
}
