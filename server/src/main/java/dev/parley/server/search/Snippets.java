package dev.parley.server.search;

import dev.parley.api.v1.SnippetPart;
import java.util.ArrayList;
import java.util.List;

/**
 * Snippets of matching messages, as PostgreSQL's ts_headline cuts them. It marks matches by wrapping them in two
 * characters of Unicode's private use area; the text it works on has those characters replaced first
 * ({@link #source}), so a message cannot forge a highlight. The marks then become parts, and no client ever parses
 * markup out of a message.
 */
public final class Snippets {

    static final char START = '\uE000';
    static final char STOP = '\uE001';
    /** The SQL expression of the text ts_headline reads: the message's (in this column), without the two marks. */
    public static String source(String column) {
        return "translate(" + column + ", E'\\uE000\\uE001', E'\\uFFFD\\uFFFD')";
    }
    /** Messages up to this many characters are shown whole, every match marked. */
    public static final int WHOLE = 400;
    /** ts_headline's options for a message shown whole. */
    public static final String WHOLE_TEXT = "StartSel=" + START + ", StopSel=" + STOP + ", HighlightAll=true";
    /** ts_headline's options for a longer message: its two best fragments of about 30 words. */
    public static final String FRAGMENTS = "StartSel=" + START + ", StopSel=" + STOP
            + ", MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=\" … \"";

    private Snippets() {
    }

    /** The parts of a headline, in order; the whole of it one plain part when nothing is marked. */
    public static List<SnippetPart> parts(String headline) {
        List<SnippetPart> parts = new ArrayList<>();
        int position = 0;
        while (position < headline.length()) {
            int start = headline.indexOf(START, position);
            if (start < 0) {
                add(parts, headline.substring(position), false);
                break;
            }
            add(parts, headline.substring(position, start), false);
            int stop = headline.indexOf(STOP, start + 1);
            int end = stop < 0 ? headline.length() : stop;
            add(parts, headline.substring(start + 1, end), true);
            position = stop < 0 ? end : stop + 1;
        }
        return parts;
    }

    /** Adds a part, joined to the one before when both are alike (two marked words with a space between stay two). */
    private static void add(List<SnippetPart> parts, String text, boolean highlighted) {
        if (text.isEmpty()) {
            return;
        }
        int last = parts.size() - 1;
        if (last >= 0 && parts.get(last).getHighlighted() == highlighted) {
            parts.set(last, parts.get(last).toBuilder().setText(parts.get(last).getText() + text).build());
        } else {
            parts.add(SnippetPart.newBuilder().setText(text).setHighlighted(highlighted).build());
        }
    }
}
