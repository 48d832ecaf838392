package dev.parley.server.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.api.v1.BrowsePublicConversationsRequest;
import dev.parley.api.v1.Conversation;
import dev.parley.api.v1.CreateGroupConversationRequest;
import dev.parley.api.v1.SearchUsersRequest;
import dev.parley.api.v1.SignUpRequest;
import dev.parley.api.v1.UpdateProfileRequest;
import dev.parley.api.v1.User;
import dev.parley.api.v1.Visibility;
import dev.parley.server.support.Api;
import dev.parley.server.support.TestUsers;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** People are found by any word of their name or username, public groups by any word of their title. */
@QuarkusTest
class PeopleAndGroupSearchTest {

    @Test
    void aSurnameFindsThePersonAsDoesAnyWordOfTheirUsername() {
        var grace = TestUsers.signUp("grace");
        String surname = "Hopper" + grace.username().replaceAll("[^a-z0-9]", "");
        grace.users().updateProfile(UpdateProfileRequest.newBuilder().setDisplayName("Grace " + surname).build());
        var searcher = TestUsers.signUp("searcher");

        assertThat(found(searcher, surname.substring(0, 10).toLowerCase())).contains(grace.username());
        assertThat(found(searcher, "grace " + surname.substring(0, 8))).contains(grace.username());
        assertThat(found(searcher, "race")).as("the start of a word, not its middle").doesNotContain(grace.username());
        String word = "w" + Long.toString(System.nanoTime(), 36);
        String username = "moon_" + word;
        Api.from(Api.auth(), Api.freshAddress()).signUp(SignUpRequest.newBuilder().setUsername(username)
                .setEmail(username + "@example.com").setDisplayName("Someone").setPassword(TestUsers.PASSWORD)
                .build());
        assertThat(found(searcher, word)).as("a word of the username after an underscore").containsExactly(username);
    }

    @Test
    void anyWordOfAPublicGroupsTitleFindsIt() {
        var owner = TestUsers.signUp("owner");
        String word = "Crew" + owner.username().replaceAll("[^a-z0-9]", "");
        Conversation group = owner.conversations().createGroupConversation(CreateGroupConversationRequest.newBuilder()
                .setTitle("Design " + word).setVisibility(Visibility.VISIBILITY_PUBLIC).build()).getConversation();

        assertThat(owner.conversations().browsePublicConversations(BrowsePublicConversationsRequest.newBuilder()
                .setPrefix(word.toLowerCase()).build()).getConversationsList()).extracting(Conversation::getId)
                .containsExactly(group.getId());
        assertThat(owner.conversations().browsePublicConversations(BrowsePublicConversationsRequest.newBuilder()
                .setPrefix(word.substring(1)).build()).getConversationsList()).extracting(Conversation::getId)
                .doesNotContain(group.getId());
    }

    private static java.util.List<String> found(TestUsers.TestUser searcher, String prefix) {
        return searcher.users().searchUsers(SearchUsersRequest.newBuilder().setPrefix(prefix).setPageSize(100)
                .build()).getUsersList().stream().map(User::getUsername).toList();
    }
}
