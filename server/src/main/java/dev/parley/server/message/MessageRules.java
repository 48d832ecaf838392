package dev.parley.server.message;

import dev.parley.server.attachment.MessageAttachments;
import dev.parley.server.common.Text;
import dev.parley.server.common.Violations;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/** What a message and a reaction may hold. Text is stored exactly as sent: checked, never rewritten. */
final class MessageRules {

    static final int MAX_TEXT = 8000;
    static final int MAX_CLIENT_MESSAGE_ID = 64;
    static final int MAX_REACTIONS_PER_PERSON = 20;
    /** Distinct emoji on one message, from everyone: past it a new one is refused, existing ones still count. */
    static final int MAX_EMOJI_PER_MESSAGE = 200;
    /** Distinct people one message may mention: each mention is a notification and a webhook delivery. */
    static final int MAX_MENTIONS = 50;
    private static final int MAX_EMOJI = 32;
    private static final Pattern SHORTCODE = Pattern.compile(":[a-z0-9_+-]{1,30}:");

    private MessageRules() {
    }

    static void text(Violations violations, String text) {
        int length = Text.length(text);
        if (Text.isInvisible(text)) {
            violations.add("text", "must not be empty or only spaces or invisible characters");
        } else if (length > MAX_TEXT) {
            violations.add("text", "must be at most " + MAX_TEXT + " characters");
        } else if (text.indexOf('\0') >= 0 || Text.hasLoneSurrogates(text)) {
            violations.add("text", "must be valid UTF-8 without NUL characters");
        } else if (hasControlCharacters(text)) {
            // carriage returns, escapes and the like rewrite what a terminal shows (the CLI prints text as it is)
            violations.add("text", "must not hold control characters other than tab and newline");
        } else if (Mentions.names(text).size() > MAX_MENTIONS) {
            violations.add("text", "may mention at most " + MAX_MENTIONS + " different people");
        }
    }

    private static boolean hasControlCharacters(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 && c != '\t' && c != '\n') {
                return true;
            }
        }
        return false;
    }

    static void clientMessageId(Violations violations, String id) {
        violations.check(!id.isEmpty() && id.length() <= MAX_CLIENT_MESSAGE_ID && !Text.hasControlCharacters(id),
                "client_message_id", "must be 1 to " + MAX_CLIENT_MESSAGE_ID + " characters, e.g. a UUID");
    }

    /** At most {@link MessageAttachments#MAX_PER_MESSAGE} files, none twice. */
    static void attachments(Violations violations, List<UUID> ids) {
        violations.check(ids.size() <= MessageAttachments.MAX_PER_MESSAGE, "attachment_ids",
                "must hold at most " + MessageAttachments.MAX_PER_MESSAGE + " attachments");
        violations.check(new HashSet<>(ids).size() == ids.size(), "attachment_ids", "must not name a file twice");
    }

    /** A Unicode emoji sequence (with its joiners, modifiers and selectors) or a :shortcode:. */
    static void emoji(Violations violations, String emoji) {
        boolean valid = !emoji.isEmpty() && emoji.length() <= MAX_EMOJI
                && (SHORTCODE.matcher(emoji).matches() || isEmojiSequence(emoji));
        violations.check(valid, "emoji", "must be an emoji such as 👍 or a :shortcode:");
    }

    private static boolean isEmojiSequence(String text) {
        boolean pictographic = false;
        for (int cp : text.codePoints().toArray()) {
            if (!Character.isEmoji(cp) && !Character.isEmojiComponent(cp)) {
                return false;
            }
            pictographic |= Character.isExtendedPictographic(cp) || Character.isEmojiPresentation(cp)
                    || (cp >= 0x1F1E6 && cp <= 0x1F1FF);
        }
        return pictographic;
    }
}
