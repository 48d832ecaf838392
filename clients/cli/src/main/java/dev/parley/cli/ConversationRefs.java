package dev.parley.cli;

import dev.parley.api.v1.Conversation;
import dev.parley.api.v1.CreateDirectConversationRequest;
import dev.parley.api.v1.ListConversationsRequest;
import dev.parley.api.v1.SearchUsersRequest;
import dev.parley.api.v1.User;
import dev.parley.client.ParleyClient;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * How commands name conversations: by id, by title (of a group you are in), or as @username for your direct
 * conversation with that person (started if there is none yet).
 */
final class ConversationRefs {

    private static final Pattern ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private ConversationRefs() {
    }

    static String resolve(ParleyClient client, String reference) {
        if (ID.matcher(reference).matches()) {
            return reference;
        }
        if (reference.startsWith("@")) {
            User user = user(client, reference.substring(1));
            return ParleyClient.call(() -> client.conversations().createDirectConversation(
                    CreateDirectConversationRequest.newBuilder().setUserId(user.getId()).build()))
                    .getConversation().getId();
        }
        return mine(client).stream().filter(c -> c.getTitle().equalsIgnoreCase(reference)).findFirst()
                .map(Conversation::getId).orElseThrow(() -> new CliFailure(ExitCodes.NOT_FOUND,
                        "you are in no conversation called '" + reference + "' (see `parley conversations list`)"));
    }

    /** The account with exactly this username. */
    static User user(ParleyClient client, String username) {
        return ParleyClient.call(() -> client.users().searchUsers(SearchUsersRequest.newBuilder().setPrefix(username)
                .setPageSize(100).build())).getUsersList().stream()
                .filter(u -> u.getUsername().equalsIgnoreCase(username)).findFirst()
                .orElseThrow(() -> new CliFailure(ExitCodes.NOT_FOUND, "no user called '" + username + "'"));
    }

    /** How a conversation is shown: #title for a group, @username for a direct one (which has no title). */
    static String label(Conversation conversation, Names names) {
        return conversation.getOtherUserId().isEmpty() ? "#" + conversation.getTitle()
                : "@" + names.of(conversation.getOtherUserId());
    }

    /** All my conversations, newest activity first. */
    static List<Conversation> mine(ParleyClient client) {
        List<Conversation> all = new ArrayList<>();
        var request = ListConversationsRequest.newBuilder().setPageSize(200);
        do {
            var page = ParleyClient.call(() -> client.conversations().listConversations(request.build()));
            all.addAll(page.getConversationsList());
            request.setPageToken(page.getNextPageToken());
        } while (!request.getPageToken().isEmpty());
        return all;
    }
}
