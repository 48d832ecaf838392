package dev.parley.server.message;

import static dev.parley.server.support.Errors.assertFails;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.api.v1.AddMembersRequest;
import dev.parley.api.v1.AddReactionRequest;
import dev.parley.api.v1.CreateDirectConversationRequest;
import dev.parley.api.v1.DeleteMessageRequest;
import dev.parley.api.v1.EditMessageRequest;
import dev.parley.api.v1.GetMessageRequest;
import dev.parley.api.v1.ListThreadRequest;
import dev.parley.api.v1.RemoveReactionRequest;
import dev.parley.api.v1.SendMessageRequest;
import dev.parley.server.support.Chats;
import dev.parley.server.support.TestUsers;
import dev.parley.server.support.TestUsers.TestUser;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * What someone outside a conversation learns by naming one of its messages: nothing. Every RPC that takes a
 * message id answers a real message of a hidden conversation exactly as it answers an id that does not exist
 * (same code, same message with the id given, same details), so neither the message nor its conversation leaks.
 */
@QuarkusTest
class OutsidersTest {

    /** Each RPC that names a message, called by a person on a message id. */
    private static final Map<String, BiFunction<TestUser, String, Object>> BY_MESSAGE_ID = Map.of(
            "AddReaction", (who, id) -> who.messages().addReaction(AddReactionRequest.newBuilder().setMessageId(id)
                    .setEmoji("👍").build()),
            "RemoveReaction", (who, id) -> who.messages().removeReaction(RemoveReactionRequest.newBuilder()
                    .setMessageId(id).setEmoji("👍").build()),
            "EditMessage", (who, id) -> who.messages().editMessage(EditMessageRequest.newBuilder().setMessageId(id)
                    .setText("mine now").build()),
            "DeleteMessage", (who, id) -> who.messages().deleteMessage(DeleteMessageRequest.newBuilder()
                    .setMessageId(id).build()),
            "GetMessage", (who, id) -> who.messages().getMessage(GetMessageRequest.newBuilder().setMessageId(id)
                    .build()),
            "ListThread", (who, id) -> who.messages().listThread(ListThreadRequest.newBuilder().setMessageId(id)
                    .build()));

    @Test
    void aHiddenMessageIsAnsweredExactlyLikeAMadeUpOne() {
        var owner = TestUsers.signUp("owner");
        var outsider = TestUsers.signUp("outsider");
        var group = Chats.group(owner);
        var secret = Chats.send(owner, group, "not for outsiders");
        String madeUp = UUID.randomUUID().toString();

        BY_MESSAGE_ID.forEach((rpc, call) -> {
            var hidden = assertFails(Status.Code.NOT_FOUND, "NOT_FOUND", () -> call.apply(outsider, secret.getId()));
            var missing = assertFails(Status.Code.NOT_FOUND, "NOT_FOUND", () -> call.apply(outsider, madeUp));
            assertThat(hidden.getStatus().getDescription()).as(rpc)
                    .isEqualTo("Message " + secret.getId() + " not found")
                    .doesNotContain(secret.getConversationId());
            assertThat(shape(hidden, secret.getId())).as(rpc).isEqualTo(shape(missing, madeUp));
        });
        assertThat(Chats.send(owner, group, "still here").getText()).isEqualTo("still here");
    }

    @Test
    void aReplyToAHiddenMessageIsAnsweredLikeAReplyToAMadeUpOne() {
        var owner = TestUsers.signUp("owner");
        var outsider = TestUsers.signUp("outsider");
        var group = Chats.group(owner);
        var secret = Chats.send(owner, group, "not for outsiders");

        BiFunction<String, String, StatusRuntimeException> replyTo = (conversation, parent) -> assertFails(
                Status.Code.NOT_FOUND, () -> outsider.messages().sendMessage(SendMessageRequest.newBuilder()
                        .setConversationId(conversation).setClientMessageId(UUID.randomUUID().toString())
                        .setText("probe").setReplyToMessageId(parent).build()));
        var hidden = replyTo.apply(group.getId(), secret.getId());
        var missing = replyTo.apply(group.getId(), UUID.randomUUID().toString());
        assertThat(StatusProto.fromThrowable(hidden)).isEqualTo(StatusProto.fromThrowable(missing));
    }

    @Test
    void addingMembersToADirectConversationIsTheDocumentedFailedPrecondition() {
        var ana = TestUsers.signUp("ana");
        var ben = TestUsers.signUp("ben");
        var cat = TestUsers.signUp("cat");
        var direct = ana.conversations().createDirectConversation(CreateDirectConversationRequest.newBuilder()
                .setUserId(ben.id()).build()).getConversation();
        assertFails(Status.Code.FAILED_PRECONDITION, "DIRECT_CONVERSATION", () -> ana.conversations().addMembers(
                AddMembersRequest.newBuilder().setConversationId(direct.getId()).addUserIds(cat.id()).build()));
    }

    /** The whole google.rpc.Status, with the message id given written as a placeholder. */
    private static String shape(StatusRuntimeException failure, String messageId) {
        return StatusProto.fromThrowable(failure).toString().replace(messageId, "<id>");
    }
}
