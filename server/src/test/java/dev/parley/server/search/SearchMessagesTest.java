package dev.parley.server.search;

import static dev.parley.server.support.Errors.assertFails;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.api.v1.Conversation;
import dev.parley.api.v1.DeleteMessageRequest;
import dev.parley.api.v1.EditMessageRequest;
import dev.parley.api.v1.Message;
import dev.parley.api.v1.RemoveMemberRequest;
import dev.parley.api.v1.SearchMessagesRequest;
import dev.parley.api.v1.SearchMessagesResponse;
import dev.parley.api.v1.SearchOrder;
import dev.parley.api.v1.SearchResult;
import dev.parley.api.v1.SnippetPart;
import dev.parley.api.v1.UpdateConversationRequest;
import dev.parley.server.support.Chats;
import dev.parley.server.support.Errors;
import dev.parley.server.support.TestServices;
import dev.parley.server.support.TestUsers;
import dev.parley.server.support.TestUsers.TestUser;
import io.grpc.Status;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * MessageService.SearchMessages over a real channel, against the real index. Every test's people are new, so what
 * they find can only be their own conversations' messages: what the scoping tests prove, the others rely on.
 */
@QuarkusTest
class SearchMessagesTest {

    @Test
    void findsWordsAndPhrasesInAnyCaseOnlyWhereTheSearcherIsAMember() {
        var ada = TestUsers.signUp("ada");
        var bob = TestUsers.signUp("bob");
        var eve = TestUsers.signUp("eve");
        var ours = Chats.group(ada, bob);
        var theirs = Chats.group(eve);
        Chats.send(ada, ours, "The Quarterly report is ready!");
        Chats.send(bob, ours, "report quarterly later, the numbers are not in");
        Chats.send(eve, theirs, "quarterly report for eve only");

        assertThat(texts(search(bob, "quarterly REPORT"))).containsExactly(
                "report quarterly later, the numbers are not in", "The Quarterly report is ready!");
        assertThat(texts(search(bob, "\"quarterly report\""))).containsExactly("The Quarterly report is ready!");
        assertThat(texts(search(eve, "quarterly report"))).containsExactly("quarterly report for eve only");
        assertThat(search(ada, "numbers nowhere").getResultsList()).isEmpty();
        var outsider = assertFails(Status.Code.NOT_FOUND, () -> eve.messages().searchMessages(
                request("report").setConversationId(ours.getId()).build()));
        assertThat(outsider.getStatus().getDescription()).contains(ours.getId());
        assertFails(Status.Code.NOT_FOUND, () -> eve.messages().searchMessages(
                request("report in:" + ours.getId()).build()));

        var result = search(ada, "ready").getResults(0);
        assertThat(result.getConversation().getId()).isEqualTo(ours.getId());
        assertThat(result.getConversation().getMe().getRole().name()).isEqualTo("ROLE_OWNER");
        assertThat(result.getMessage().getAuthorId()).isEqualTo(ada.id());
    }

    @Test
    void aRemovedMemberFindsNothingMoreFromTheConversation() {
        var cat = TestUsers.signUp("cat");
        var dan = TestUsers.signUp("dan");
        var group = Chats.group(cat, dan);
        Chats.send(cat, group, "secret plans for the launch");
        assertThat(texts(search(dan, "launch"))).containsExactly("secret plans for the launch");

        cat.conversations().removeMember(RemoveMemberRequest.newBuilder().setConversationId(group.getId())
                .setUserId(dan.id()).build());

        assertThat(search(dan, "launch").getResultsList()).isEmpty();
        assertFails(Status.Code.NOT_FOUND, () -> dan.messages().searchMessages(request("launch")
                .setConversationId(group.getId()).build()));
    }

    @Test
    void deletedMessagesNeverMatchAndAnEditedOneMatchesItsCurrentTextOnly() {
        var fay = TestUsers.signUp("fay");
        var group = Chats.group(fay);
        var deleted = Chats.send(fay, group, "password is hunter2");
        var edited = Chats.send(fay, group, "meet at the old harbour");
        fay.messages().deleteMessage(DeleteMessageRequest.newBuilder().setMessageId(deleted.getId()).build());
        fay.messages().editMessage(EditMessageRequest.newBuilder().setMessageId(edited.getId())
                .setText("meet at the new station").build());

        assertThat(search(fay, "hunter2").getResultsList()).isEmpty();
        assertThat(search(fay, "harbour").getResultsList()).isEmpty();
        var found = search(fay, "station").getResults(0).getMessage();
        assertThat(found.getId()).isEqualTo(edited.getId());
        assertThat(found.getText()).isEqualTo("meet at the new station");
        assertThat(found.hasEditTime()).isTrue();
    }

    @Test
    void theLastWordMatchesAsAPrefixUnlessASpaceFollowsIt() {
        var gus = TestUsers.signUp("gus");
        var group = Chats.group(gus);
        Chats.send(gus, group, "deployment finished");
        Chats.send(gus, group, "deploy now");

        assertThat(texts(search(gus, "deplo"))).containsExactly("deploy now", "deployment finished");
        assertThat(texts(search(gus, "deploy "))).containsExactly("deploy now");
        assertThat(texts(search(gus, "deploy"))).containsExactly("deploy now", "deployment finished");
        assertThat(texts(search(gus, "finished deplo"))).containsExactly("deployment finished");
        assertThat(search(gus, "d").getResultsList()).as("one letter is a whole word").isEmpty();
    }

    @Test
    void snippetsMarkTheMatchedWordsAndAMessageCannotForgeAMark() {
        var hal = TestUsers.signUp("hal");
        var group = Chats.group(hal);
        Chats.send(hal, group, "Please review the \uE000budget\uE001 draft, review it today");
        StringBuilder longText = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            longText.append("filler").append(i).append(' ');
        }
        Chats.send(hal, group, longText + "needle in the middle " + longText);

        List<SnippetPart> parts = search(hal, "review").getResults(0).getSnippetList();
        assertThat(parts).filteredOn(SnippetPart::getHighlighted).extracting(SnippetPart::getText)
                .containsExactly("review", "review");
        assertThat(parts.stream().map(SnippetPart::getText).collect(Collectors.joining()))
                .isEqualTo("Please review the \uFFFDbudget\uFFFD draft, review it today");
        List<SnippetPart> fragment = search(hal, "needle").getResults(0).getSnippetList();
        String shown = fragment.stream().map(SnippetPart::getText).collect(Collectors.joining());
        assertThat(shown).contains("needle").hasSizeLessThan(longText.length());
        assertThat(fragment).filteredOn(SnippetPart::getHighlighted).extracting(SnippetPart::getText)
                .containsExactly("needle");
    }

    @Test
    void everyOperatorNarrowsTheResults() throws Exception {
        var ian = TestUsers.signUp("ian");
        var joy = TestUsers.signUp("joy");
        var team = ian.conversations().createGroupConversation(dev.parley.api.v1.CreateGroupConversationRequest
                .newBuilder().setTitle("Release Crew").addMemberIds(joy.id()).build()).getConversation();
        var other = Chats.group(ian);
        String directId = Chats.direct(ian, joy.id());
        var direct = Conversation.newBuilder().setId(directId).build();
        var root = Chats.send(ian, team, "topic alpha: the plan");
        Chats.reply(joy, root, "alpha reply in the thread");
        Chats.send(joy, team, "alpha see https://example.com/notes");
        Chats.send(ian, other, "alpha elsewhere");
        Chats.send(joy, direct, "alpha between us");
        var old = Chats.send(ian, other, "alpha from long ago");
        try (Connection connection = TestServices.connect()) {
            connection.createStatement().execute("update messages set created_at = '2020-03-15 12:00:00+00' "
                    + "where id = '" + old.getId() + "'");
        }

        assertThat(texts(search(ian, "alpha from:@" + joy.username()))).containsExactly(
                "alpha between us", "alpha see https://example.com/notes", "alpha reply in the thread");
        assertThat(texts(search(ian, "alpha from:" + joy.username().toUpperCase()))).hasSize(3);
        assertThat(texts(search(ian, "alpha in:" + other.getId()))).containsExactly("alpha elsewhere",
                "alpha from long ago");
        assertThat(texts(search(ian, "alpha in:@" + joy.username()))).containsExactly("alpha between us");
        assertThat(texts(search(ian, "alpha in:\"release crew\""))).hasSize(3);
        assertThat(texts(search(ian, "alpha in:nosuchgroup"))).isEmpty();
        assertThat(texts(search(ian, "alpha has:link"))).containsExactly("alpha see https://example.com/notes");
        assertThat(texts(search(ian, "alpha is:thread"))).containsExactly("alpha reply in the thread",
                "topic alpha: the plan");
        assertThat(texts(search(ian, "alpha before:2021-01-01"))).containsExactly("alpha from long ago");
        assertThat(texts(search(ian, "alpha after:2020-03-15"))).hasSize(5).doesNotContain("alpha from long ago");
        assertThat(texts(search(ian, "alpha after:2020-03-14"))).hasSize(6);
        assertThat(texts(search(ian, "alpha on:2020-03-15"))).containsExactly("alpha from long ago");
        assertThat(texts(ian.messages().searchMessages(request("alpha on:2020-03-15")
                .setTimeZone("Pacific/Kiritimati").build()))).as("12:00 UTC is the 16th at UTC+14").isEmpty();
        assertThat(texts(search(ian, "from:@" + joy.username() + " in:@" + joy.username())))
                .as("operators alone list what they allow").containsExactly("alpha between us");
        assertThat(texts(search(ian, "https://example.com/notes"))).containsExactly(
                "alpha see https://example.com/notes");
    }

    @Test
    void pagesFollowOneAnotherNewestFirstOrByRelevanceAndATokenBelongsToItsSearch() {
        var kim = TestUsers.signUp("kim");
        var group = Chats.group(kim);
        List<Message> sent = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            sent.add(Chats.send(kim, group, "echo " + "padding ".repeat(i) + i));
        }
        Chats.send(kim, group, "echo echo echo");

        List<String> newest = new ArrayList<>();
        String token = "";
        int pages = 0;
        do {
            var page = kim.messages().searchMessages(request("echo").setPageSize(3).setPageToken(token).build());
            assertThat(page.getOrder()).isEqualTo(SearchOrder.SEARCH_ORDER_NEWEST);
            newest.addAll(texts(page));
            token = page.getNextPageToken();
            pages++;
        } while (!token.isEmpty());
        assertThat(pages).isEqualTo(3);
        assertThat(newest).hasSize(8).doesNotHaveDuplicates().first().isEqualTo("echo echo echo");

        var byRelevance = kim.messages().searchMessages(request("echo").setOrder(SearchOrder.SEARCH_ORDER_RELEVANCE)
                .setPageSize(5).build());
        assertThat(byRelevance.getOrder()).isEqualTo(SearchOrder.SEARCH_ORDER_RELEVANCE);
        assertThat(texts(byRelevance).get(0)).isEqualTo("echo echo echo");
        var rest = kim.messages().searchMessages(request("echo").setOrder(SearchOrder.SEARCH_ORDER_RELEVANCE)
                .setPageSize(5).setPageToken(byRelevance.getNextPageToken()).build());
        assertThat(rest.getNextPageToken()).isEmpty();
        List<String> all = new ArrayList<>(texts(byRelevance));
        all.addAll(texts(rest));
        assertThat(all).hasSize(8).doesNotHaveDuplicates();

        String first = kim.messages().searchMessages(request("echo").setPageSize(3).build()).getNextPageToken();
        var other = assertFails(Status.Code.INVALID_ARGUMENT, "INVALID_PAGE_TOKEN", () -> kim.messages()
                .searchMessages(request("echo padding").setPageSize(3).setPageToken(first).build()));
        assertThat(Errors.badFields(other)).containsExactly("page_token");
        assertFails(Status.Code.INVALID_ARGUMENT, "INVALID_PAGE_TOKEN", () -> kim.messages().searchMessages(
                request("echo").setOrder(SearchOrder.SEARCH_ORDER_RELEVANCE).setPageToken(first).build()));
        assertFails(Status.Code.INVALID_ARGUMENT, "INVALID_PAGE_TOKEN", () -> kim.messages().searchMessages(
                request("echo").setPageToken("bm90IGEgdG9rZW4").build()));
    }

    @Test
    void badQueriesAreRefusedNamingTheirPart() {
        var lea = TestUsers.signUp("lea");
        Chats.group(lea);
        assertRefused(lea, "", "query", "must not be empty");
        assertRefused(lea, "   ", "query", "must not be empty");
        assertRefused(lea, "x".repeat(501), "query", "at most 500 characters");
        assertRefused(lea, "w ".repeat(21), "query", "at most 20 parts");
        assertRefused(lea, "hello note:x", "query", "unknown operator in \"note:x\"");
        assertRefused(lea, "has:photo", "query", "has: takes link or file");
        assertRefused(lea, "is:pinned", "query", "is: takes thread");
        assertRefused(lea, "from:", "query", "from: without a value");
        assertRefused(lea, "before:yesterday", "query", "YYYY-MM-DD");
        assertRefused(lea, "in:" + "0".repeat(36), "query", "neither a conversation id");
        var zone = assertFails(Status.Code.INVALID_ARGUMENT, () -> lea.messages().searchMessages(
                request("x").setTimeZone("Mars/Olympus").build()));
        assertThat(Errors.badFields(zone)).containsExactly("time_zone");
        assertFails(Status.Code.INVALID_ARGUMENT, () -> lea.messages().searchMessages(
                request("x").setPageSize(101).build()));
        assertThat(search(lea, "note: \"note:x\" ?").getResultsList()).as("a word, a phrase, no lexeme").isEmpty();
    }

    @Test
    void aGroupRenamedIsFoundByItsNewTitle() {
        var max = TestUsers.signUp("max");
        var group = Chats.group(max);
        Chats.send(max, group, "standup notes");
        max.conversations().updateConversation(UpdateConversationRequest.newBuilder().setConversationId(group.getId())
                .setTitle("Morning Standup").build());
        assertThat(texts(search(max, "notes in:\"morning standup\""))).containsExactly("standup notes");
    }

    private static void assertRefused(TestUser who, String query, String field, String saying) {
        var failure = assertFails(Status.Code.INVALID_ARGUMENT, "INVALID_FIELDS",
                () -> who.messages().searchMessages(request(query).build()));
        assertThat(Errors.badFields(failure)).containsExactly(field);
        assertThat(failure.getStatus().getDescription()).contains(saying);
    }

    private static SearchMessagesResponse search(TestUser who, String query) {
        return who.messages().searchMessages(request(query).build());
    }

    private static SearchMessagesRequest.Builder request(String query) {
        return SearchMessagesRequest.newBuilder().setQuery(query);
    }

    private static List<String> texts(SearchMessagesResponse response) {
        return response.getResultsList().stream().map(SearchResult::getMessage).map(Message::getText).toList();
    }
}
