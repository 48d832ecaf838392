package dev.parley.server.grpc;

import dev.parley.server.common.ParleyException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Page tokens are opaque to clients: base64url of a cursor the feature chooses, with a prefix naming the list so a
 * token from one list is refused by another rather than silently misread.
 */
public final class PageTokens {

    private PageTokens() {
    }

    public static String encode(String list, String cursor) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((list + ":" + cursor).getBytes(StandardCharsets.UTF_8));
    }

    /** The cursor in a token, "" for no token, or INVALID_ARGUMENT naming page_token. */
    public static String decode(String list, String token) {
        if (token == null || token.isEmpty()) {
            return "";
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (text.startsWith(list + ":")) {
                return text.substring(list.length() + 1);
            }
        } catch (IllegalArgumentException e) {
            // falls through to the same answer as a token of another list
        }
        throw ParleyException.invalid("INVALID_PAGE_TOKEN", "page_token", "is not a token this list returned");
    }

    /** The page size asked for, the default for 0, or INVALID_ARGUMENT when negative or above the maximum. */
    public static int pageSize(int asked, int defaultSize, int maximum) {
        if (asked < 0 || asked > maximum) {
            throw ParleyException.invalid("INVALID_PAGE_SIZE", "page_size", "must be between 0 and " + maximum);
        }
        return asked == 0 ? defaultSize : asked;
    }
}
