package dev.parley.server.message;

import static dev.parley.server.support.Errors.assertFails;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.api.v1.*;
import dev.parley.server.support.Api;
import dev.parley.server.support.Chats;
import dev.parley.server.support.Errors;
import dev.parley.server.support.TestServices;
import dev.parley.server.support.TestUsers;
import io.grpc.Status;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class MessagesTest {

    @Test
    void aRetriedSendReturnsTheSameMessageAndOtherContentIsRefused() {
        var amy = TestUsers.signUp("amy");
        var group = Chats.group(amy);
        var send = SendMessageRequest.newBuilder().setConversationId(group.getId())
                .setClientMessageId(UUID.randomUUID().toString()).setText("once").build();

        var first = amy.messages().sendMessage(send).getMessage();
        var retry = amy.messages().sendMessage(send).getMessage();

        assertThat(retry.getId()).isEqualTo(first.getId());
        assertThat(retry.getSequence()).isEqualTo(first.getSequence());
        assertFails(Status.Code.ALREADY_EXISTS, "CLIENT_MESSAGE_ID_REUSED",
                () -> amy.messages().sendMessage(send.toBuilder().setText("twice").build()));
        assertThat(list(amy, group.getId(), ListMessagesRequest.newBuilder())).extracting(Message::getText)
                .containsExactly("once");
    }

    @Test
    void badMessagesNameTheirField() {
        var bea = TestUsers.signUp("bea");
        var group = Chats.group(bea);
        for (String text : List.of("", "   ", "x".repeat(8001), "nul\0inside")) {
            var failure = assertFails(Status.Code.INVALID_ARGUMENT, () -> Chats.send(bea, group, text));
            assertThat(Errors.badFields(failure)).containsExactly("text");
        }
        assertThat(Chats.send(bea, group, "😀".repeat(8000)).getText()).hasSize(16000); // 8,000 characters
        var noId = assertFails(Status.Code.INVALID_ARGUMENT, () -> bea.messages().sendMessage(SendMessageRequest
                .newBuilder().setConversationId(group.getId()).setText("hi").build()));
        assertThat(Errors.badFields(noId)).containsExactly("client_message_id");
        var elsewhere = Chats.group(bea);
        var parent = Chats.send(bea, elsewhere, "in another conversation");
        var wrongParent = assertFails(Status.Code.INVALID_ARGUMENT, () -> bea.messages().sendMessage(
                SendMessageRequest.newBuilder().setConversationId(group.getId()).setClientMessageId("x1")
                        .setText("reply").setReplyToMessageId(parent.getId()).build()));
        assertThat(Errors.badFields(wrongParent)).containsExactly("reply_to_message_id");
    }

    @Test
    void textThatShowsNothingIsRefusedLikeSpaces() {
        var ivy = TestUsers.signUp("ivy");
        var group = Chats.group(ivy);
        List<String> invisible = List.of("\u00A0", "\u2003\u2003", "\u3000", "\u200B", "\u200B\u200C\u200D\u2060",
                "\uFEFF", "\u2028\u2029", "\u202E\u200E", "\u3164", "\u2800", " \u00A0\t\n\u180E", "\uFE0F");
        for (String text : invisible) {
            var failure = assertFails(Status.Code.INVALID_ARGUMENT, () -> Chats.send(ivy, group, text));
            assertThat(Errors.badFields(failure)).as(text.codePoints().mapToObj(Integer::toHexString).toList().toString())
                    .containsExactly("text");
        }
        assertThat(list(ivy, group.getId(), ListMessagesRequest.newBuilder())).isEmpty();
        assertThat(Chats.send(ivy, group, "\u200Bvisible\u00A0").getText()).isEqualTo("\u200Bvisible\u00A0");
        var title = assertFails(Status.Code.INVALID_ARGUMENT, () -> ivy.conversations().createGroupConversation(
                CreateGroupConversationRequest.newBuilder().setTitle("\u00A0\u200B").build()));
        assertThat(Errors.badFields(title)).containsExactly("title");
    }

    @Test
    void hostileTextIsStoredByteForByte() throws Exception {
        var cal = TestUsers.signUp("cal");
        var group = Chats.group(cal);
        String hostile = "<script>alert('x')</script> \u202Egnp.exe 🧑🏽‍🚀 𝄞 '; DROP TABLE messages; -- %_\\ \"quoted\"\n\ttabbed ";

        var sent = Chats.send(cal, group, hostile);

        assertThat(sent.getText()).isEqualTo(hostile);
        assertThat(cal.messages().getMessage(GetMessageRequest.newBuilder().setMessageId(sent.getId()).build())
                .getMessage().getText()).isEqualTo(hostile);
        try (Connection connection = TestServices.connect();
                PreparedStatement query = connection.prepareStatement("select text from messages where id = ?")) {
            query.setObject(1, UUID.fromString(sent.getId()));
            try (ResultSet row = query.executeQuery()) {
                row.next();
                assertThat(row.getBytes(1)).isEqualTo(hostile.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
        }
    }

    @Test
    void mentionsOfMembersAreResolved() {
        var dee = TestUsers.signUp("dee");
        var eli = TestUsers.signUp("eli");
        var outsider = TestUsers.signUp("out");
        var group = Chats.group(dee, eli);

        var sent = Chats.send(dee, group, "hi @" + eli.username().toUpperCase() + " and @" + outsider.username()
                + ", mail me at x@" + eli.username() + ".com");

        assertThat(sent.getMentionsList()).extracting(Mention::getUserId, Mention::getUsername)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(eli.id(), eli.username()));
    }

    @Test
    void editingIsForTheAuthorAndKeepsTheEditTime() {
        var fin = TestUsers.signUp("fin");
        var gus = TestUsers.signUp("gus");
        var group = Chats.group(fin, gus);
        var sent = Chats.send(fin, group, "draft");
        assertThat(sent.hasEditTime()).as("never edited: edit_time unset").isFalse();
        assertThat(sent.hasDeleteTime()).isFalse();

        assertFails(Status.Code.PERMISSION_DENIED, () -> gus.messages().editMessage(EditMessageRequest.newBuilder()
                .setMessageId(sent.getId()).setText("hijacked").build()));
        var edited = fin.messages().editMessage(EditMessageRequest.newBuilder().setMessageId(sent.getId())
                .setText("final").build()).getMessage();

        assertThat(edited.getText()).isEqualTo("final");
        assertThat(edited.hasEditTime()).isTrue();
        assertThat(edited.getSequence()).isEqualTo(sent.getSequence());
    }

    @Test
    void deletedMessagesStayAsTombstonesInHistory() {
        var hal = TestUsers.signUp("hal");
        var ivy = TestUsers.signUp("ivy");
        var group = Chats.group(hal, ivy);
        var first = Chats.send(ivy, group, "keep");
        var second = Chats.send(ivy, group, "regret");
        hal.messages().addReaction(AddReactionRequest.newBuilder().setMessageId(second.getId()).setEmoji("👍").build());

        var tombstone = hal.messages().deleteMessage(DeleteMessageRequest.newBuilder().setMessageId(second.getId())
                .build()).getMessage(); // an owner may delete others' messages

        assertThat(tombstone.getDeleted()).isTrue();
        assertThat(tombstone.getText()).isEmpty();
        assertThat(tombstone.getReactionsList()).isEmpty();
        var history = list(ivy, group.getId(), ListMessagesRequest.newBuilder());
        assertThat(history).extracting(Message::getId).containsExactly(first.getId(), second.getId());
        assertThat(history.get(1).getDeleted()).isTrue();
        assertFails(Status.Code.FAILED_PRECONDITION, "MESSAGE_DELETED", () -> ivy.messages().editMessage(
                EditMessageRequest.newBuilder().setMessageId(second.getId()).setText("undo").build()));
    }

    @Test
    void reactionsAreOnePerPersonPerEmojiAndSummed() {
        var jo = TestUsers.signUp("jo");
        var kai = TestUsers.signUp("kai");
        var group = Chats.group(jo, kai);
        var sent = Chats.send(jo, group, "react to me");
        for (var who : List.of(jo, kai)) {
            who.messages().addReaction(AddReactionRequest.newBuilder().setMessageId(sent.getId()).setEmoji("🎉").build());
        }
        jo.messages().addReaction(AddReactionRequest.newBuilder().setMessageId(sent.getId()).setEmoji("🎉").build());
        var withFamily = jo.messages().addReaction(AddReactionRequest.newBuilder().setMessageId(sent.getId())
                .setEmoji("👨‍👩‍👧").build()).getMessage();

        assertThat(withFamily.getReactionsList()).extracting(ReactionSummary::getEmoji, ReactionSummary::getCount,
                ReactionSummary::getReactedByMe).containsExactly(
                org.assertj.core.groups.Tuple.tuple("🎉", 2, true), org.assertj.core.groups.Tuple.tuple("👨‍👩‍👧", 1, true));
        var asKai = kai.messages().removeReaction(RemoveReactionRequest.newBuilder().setMessageId(sent.getId())
                .setEmoji("🎉").build()).getMessage();
        assertThat(asKai.getReactionsList()).extracting(ReactionSummary::getCount, ReactionSummary::getReactedByMe)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, false),
                        org.assertj.core.groups.Tuple.tuple(1, false));
        for (String bad : List.of("a", "thumbsup", "123", "<b>", "👍".repeat(17))) {
            var failure = assertFails(Status.Code.INVALID_ARGUMENT, () -> jo.messages().addReaction(
                    AddReactionRequest.newBuilder().setMessageId(sent.getId()).setEmoji(bad).build()));
            assertThat(Errors.badFields(failure)).containsExactly("emoji");
        }
        assertThat(jo.messages().addReaction(AddReactionRequest.newBuilder().setMessageId(sent.getId())
                .setEmoji(":party_parrot:").build()).getMessage().getReactionsCount()).isEqualTo(3);
    }

    @Test
    void aPersonLeavesAtMostTwentyReactionsOnAMessage() {
        var lou = TestUsers.signUp("lou");
        var group = Chats.group(lou);
        var sent = Chats.send(lou, group, "so many feelings");
        for (int i = 0; i < 20; i++) {
            lou.messages().addReaction(AddReactionRequest.newBuilder().setMessageId(sent.getId())
                    .setEmoji(":r" + i + ":").build());
        }
        var failure = assertFails(Status.Code.INVALID_ARGUMENT, "REACTION_LIMIT", () -> lou.messages().addReaction(
                AddReactionRequest.newBuilder().setMessageId(sent.getId()).setEmoji(":one-more:").build()));
        assertThat(Errors.badFields(failure)).containsExactly("emoji");
    }

    @Test
    void historyPagesHaveCleanEdges() {
        var mo = TestUsers.signUp("mo");
        var group = Chats.group(mo);
        String id = group.getId();
        var empty = mo.messages().listMessages(ListMessagesRequest.newBuilder().setConversationId(id).build());
        assertThat(empty.getMessagesList()).isEmpty();
        assertThat(empty.getHasMore()).isFalse();

        List<Message> sent = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            sent.add(Chats.send(mo, group, "m" + i));
        }
        var exactlyOnePage = mo.messages().listMessages(ListMessagesRequest.newBuilder().setConversationId(id).build());
        assertThat(exactlyOnePage.getMessagesList()).extracting(Message::getId)
                .containsExactlyElementsOf(sent.stream().map(Message::getId).toList());
        assertThat(exactlyOnePage.getHasMore()).isFalse();

        var beforeFirst = mo.messages().listMessages(ListMessagesRequest.newBuilder().setConversationId(id)
                .setBeforeSequence(sent.get(0).getSequence()).build());
        assertThat(beforeFirst.getMessagesList()).isEmpty();
        assertThat(beforeFirst.getHasMore()).isFalse();

        var older = mo.messages().listMessages(ListMessagesRequest.newBuilder().setConversationId(id).setPageSize(20)
                .setBeforeSequence(sent.get(30).getSequence()).build());
        assertThat(older.getMessagesList()).extracting(Message::getText)
                .containsExactlyElementsOf(sent.subList(10, 30).stream().map(Message::getText).toList());
        assertThat(older.getHasMore()).isTrue();
        var newer = mo.messages().listMessages(ListMessagesRequest.newBuilder().setConversationId(id).setPageSize(20)
                .setAfterSequence(sent.get(39).getSequence()).build());
        assertThat(newer.getMessagesList()).extracting(Message::getText)
                .containsExactlyElementsOf(sent.subList(40, 50).stream().map(Message::getText).toList());
        assertThat(newer.getHasMore()).isFalse();
        assertFails(Status.Code.INVALID_ARGUMENT, () -> mo.messages().listMessages(ListMessagesRequest.newBuilder()
                .setConversationId(id).setPageSize(201).build()));
    }

    @Test
    void repliesFormThreads() {
        var ned = TestUsers.signUp("ned");
        var group = Chats.group(ned);
        var root = Chats.send(ned, group, "root");
        var first = Chats.reply(ned, root, "first reply");
        var nested = Chats.reply(ned, first, "reply to the reply");
        Chats.send(ned, group, "not in the thread");

        assertThat(nested.getThreadRootId()).isEqualTo(root.getId());
        assertThat(nested.getReplyToMessageId()).isEqualTo(first.getId());
        var thread = ned.messages().listThread(ListThreadRequest.newBuilder().setMessageId(first.getId()).build());
        assertThat(thread.getRoot().getId()).isEqualTo(root.getId());
        assertThat(thread.getRoot().getReplyCount()).isEqualTo(2);
        assertThat(thread.getRepliesList()).extracting(Message::getText)
                .containsExactly("first reply", "reply to the reply");
    }

    @Test
    void readPositionsMoveForwardOnlyAndAreSharedByDevices() {
        var ora = TestUsers.signUp("ora");
        var pat = TestUsers.signUp("pat");
        var group = Chats.group(ora, pat);
        var m1 = Chats.send(ora, group, "one");
        Chats.send(ora, group, "two");
        var m3 = Chats.send(ora, group, "three");
        var laptop = pat;
        var phone = Api.withToken(MessageServiceGrpc.newBlockingStub(Api.channel()),
                Api.auth().logIn(LogInRequest.newBuilder().setLogin(pat.username()).setPassword(pat.password())
                        .build()).getTokens().getAccessToken());
        assertThat(unread(pat, group.getId())).isEqualTo(3);

        var afterPhone = phone.markRead(MarkReadRequest.newBuilder().setConversationId(group.getId())
                .setUpToSequence(m1.getSequence()).build());
        assertThat(afterPhone.getUnreadCount()).isEqualTo(2);
        assertThat(unread(laptop, group.getId())).isEqualTo(2);

        var back = laptop.messages().markRead(MarkReadRequest.newBuilder().setConversationId(group.getId())
                .setUpToSequence(1).build());
        assertThat(back.getReadSequence()).isEqualTo(m1.getSequence());
        var past = laptop.messages().markRead(MarkReadRequest.newBuilder().setConversationId(group.getId())
                .setUpToSequence(1_000_000).build());
        assertThat(past.getReadSequence()).isEqualTo(m3.getSequence());
        assertThat(past.getUnreadCount()).isZero();
        assertThat(unread(pat, group.getId())).isZero();
    }

    static long unread(TestUsers.TestUser who, String conversationId) {
        return who.conversations().getConversation(GetConversationRequest.newBuilder()
                .setConversationId(conversationId).build()).getConversation().getMe().getUnreadCount();
    }

    static List<Message> list(TestUsers.TestUser who, String conversationId, ListMessagesRequest.Builder request) {
        return who.messages().listMessages(request.setConversationId(conversationId).build()).getMessagesList();
    }
}
