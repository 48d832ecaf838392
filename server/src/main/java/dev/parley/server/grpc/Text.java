package dev.parley.server.grpc;

/** Checks on free text that every feature applies to what people type. */
public final class Text {

    private Text() {
    }

    /** Length as people count it: in code points, so that an emoji is one character, not two. */
    public static int length(String text) {
        return text.codePointCount(0, text.length());
    }

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
