package dev.parley.server.notification;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The JSON a service worker reads from a push (NotificationService's comment lists its keys). Only what the
 * notification shows: the receiver's browser decrypts it, the push service sees none of it.
 */
final class PushPayloads {

    /** The most characters of a message's text a push shows. */
    static final int MOST_TEXT = 200;

    private PushPayloads() {
    }

    /** One notification's facts, as read when it is pushed. */
    record Facts(UUID conversationId, String title, int count, UUID messageId, long sequence, String author,
            String text, int attachments, boolean mention) {
    }

    static byte[] json(ObjectMapper json, Facts facts) {
        ObjectNode body = json.createObjectNode();
        body.put("type", "message");
        body.put("conversation_id", facts.conversationId().toString());
        body.put("title", cut(facts.title(), MOST_TEXT));
        body.put("count", facts.count());
        body.put("message_id", facts.messageId().toString());
        body.put("sequence", facts.sequence());
        body.put("author", cut(facts.author(), MOST_TEXT));
        body.put("text", facts.text() == null || facts.text().isBlank()
                ? facts.attachments() > 0 ? "(a file)" : "" : cut(facts.text(), MOST_TEXT));
        body.put("mention", facts.mention());
        return body.toString().getBytes(StandardCharsets.UTF_8);
    }

    static String cut(String text, int most) {
        if (text.codePointCount(0, text.length()) <= most) {
            return text;
        }
        return text.substring(0, text.offsetByCodePoints(0, most - 1)) + "…";
    }
}
