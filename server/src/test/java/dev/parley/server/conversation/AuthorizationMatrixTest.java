package dev.parley.server.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.api.v1.*;
import dev.parley.api.v1.Conversation;
import dev.parley.api.v1.Role;
import dev.parley.server.support.Chats;
import dev.parley.server.support.TestUsers;
import dev.parley.server.support.TestUsers.TestUser;
import io.grpc.Status;
import io.grpc.Status.Code;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every ConversationService and MessageService RPC, called by each kind of caller on a private group made afresh
 * for each cell. ARCHIVED is the owner calling on the same group after archiving it.
 */
@QuarkusTest
class AuthorizationMatrixTest {

    enum Caller { OUTSIDER, MEMBER, ADMIN, OWNER, REMOVED, ARCHIVED }

    private static final Code OK = Code.OK;
    private static final Code NF = Code.NOT_FOUND;
    private static final Code PD = Code.PERMISSION_DENIED;
    private static final Code FP = Code.FAILED_PRECONDITION;

    /** One RPC: how to call it on a fixture, and the expected code per caller, in {@link Caller} order. */
    record Row(String rpc, BiConsumer<Fixture, TestUser> call, Code... expected) {
    }

    static List<Row> rows() {
        return List.of(
                new Row("CreateDirectConversation", (f, u) -> u.conversations().createDirectConversation(
                        CreateDirectConversationRequest.newBuilder().setUserId(people().newcomer.id()).build()),
                        OK, OK, OK, OK, OK, OK),
                new Row("CreateGroupConversation", (f, u) -> u.conversations().createGroupConversation(
                        CreateGroupConversationRequest.newBuilder().setTitle("another").build()), OK, OK, OK, OK, OK, OK),
                new Row("GetConversation", (f, u) -> u.conversations().getConversation(
                        GetConversationRequest.newBuilder().setConversationId(f.id()).build()), NF, OK, OK, OK, NF, OK),
                new Row("ListConversations", (f, u) -> u.conversations().listConversations(
                        ListConversationsRequest.getDefaultInstance()), OK, OK, OK, OK, OK, OK),
                new Row("UpdateConversation", (f, u) -> u.conversations().updateConversation(
                        UpdateConversationRequest.newBuilder().setConversationId(f.id()).setTitle("new").build()),
                        NF, PD, OK, OK, NF, FP),
                new Row("ArchiveConversation", (f, u) -> u.conversations().archiveConversation(
                        ArchiveConversationRequest.newBuilder().setConversationId(f.id()).build()), NF, PD, PD, OK, NF, FP),
                new Row("ListMembers", (f, u) -> u.conversations().listMembers(
                        ListMembersRequest.newBuilder().setConversationId(f.id()).build()), NF, OK, OK, OK, NF, OK),
                new Row("AddMembers", (f, u) -> u.conversations().addMembers(AddMembersRequest.newBuilder()
                        .setConversationId(f.id()).addUserIds(people().newcomer.id()).build()), NF, PD, OK, OK, NF, FP),
                new Row("RemoveMember", (f, u) -> u.conversations().removeMember(RemoveMemberRequest.newBuilder()
                        .setConversationId(f.id()).setUserId(people().extra.id()).build()), NF, PD, OK, OK, NF, FP),
                new Row("LeaveConversation", (f, u) -> u.conversations().leaveConversation(
                        LeaveConversationRequest.newBuilder().setConversationId(f.id()).build()), NF, OK, OK, FP, NF, FP),
                new Row("ChangeMemberRole", (f, u) -> u.conversations().changeMemberRole(ChangeMemberRoleRequest
                        .newBuilder().setConversationId(f.id()).setUserId(people().extra.id()).setRole(Role.ROLE_ADMIN)
                        .build()), NF, PD, PD, OK, NF, FP),
                new Row("TransferOwnership", (f, u) -> u.conversations().transferOwnership(TransferOwnershipRequest
                        .newBuilder().setConversationId(f.id()).setUserId(people().member.id()).build()),
                        NF, PD, PD, OK, NF, FP),
                new Row("BrowsePublicConversations", (f, u) -> u.conversations().browsePublicConversations(
                        BrowsePublicConversationsRequest.getDefaultInstance()), OK, OK, OK, OK, OK, OK),
                new Row("JoinConversation", (f, u) -> u.conversations().joinConversation(
                        JoinConversationRequest.newBuilder().setConversationId(f.id()).build()), NF, OK, OK, OK, NF, OK),
                new Row("RequestToJoin", (f, u) -> u.conversations().requestToJoin(
                        RequestToJoinRequest.newBuilder().setConversationId(f.id()).build()), OK, OK, OK, OK, OK, OK),
                new Row("ListJoinRequests", (f, u) -> u.conversations().listJoinRequests(
                        ListJoinRequestsRequest.newBuilder().setConversationId(f.id()).build()), NF, PD, OK, OK, NF, OK),
                new Row("ApproveJoinRequest", (f, u) -> u.conversations().approveJoinRequest(ApproveJoinRequestRequest
                        .newBuilder().setConversationId(f.id()).setUserId(people().requester.id()).build()),
                        NF, PD, OK, OK, NF, FP),
                new Row("RejectJoinRequest", (f, u) -> u.conversations().rejectJoinRequest(RejectJoinRequestRequest
                        .newBuilder().setConversationId(f.id()).setUserId(people().requester.id()).build()),
                        NF, PD, OK, OK, NF, FP),
                new Row("UpdateMySettings", (f, u) -> u.conversations().updateMySettings(UpdateMySettingsRequest
                        .newBuilder().setConversationId(f.id()).setMuted(true).build()), NF, OK, OK, OK, NF, OK),
                new Row("SendMessage", (f, u) -> Chats.send(u, f.conversation(), "hello"), NF, OK, OK, OK, NF, FP),
                new Row("EditMessage", (f, u) -> u.messages().editMessage(EditMessageRequest.newBuilder()
                        .setMessageId(f.ownersMessage().getId()).setText("edited").build()), NF, PD, PD, OK, NF, FP),
                new Row("DeleteMessage", (f, u) -> u.messages().deleteMessage(DeleteMessageRequest.newBuilder()
                        .setMessageId(f.ownersMessage().getId()).build()), NF, PD, OK, OK, NF, FP),
                new Row("AddReaction", (f, u) -> u.messages().addReaction(AddReactionRequest.newBuilder()
                        .setMessageId(f.ownersMessage().getId()).setEmoji("👍").build()), NF, OK, OK, OK, NF, FP),
                new Row("RemoveReaction", (f, u) -> u.messages().removeReaction(RemoveReactionRequest.newBuilder()
                        .setMessageId(f.ownersMessage().getId()).setEmoji("👍").build()), NF, OK, OK, OK, NF, FP),
                new Row("ListMessages", (f, u) -> u.messages().listMessages(ListMessagesRequest.newBuilder()
                        .setConversationId(f.id()).build()), NF, OK, OK, OK, NF, OK),
                new Row("ListThread", (f, u) -> u.messages().listThread(ListThreadRequest.newBuilder()
                        .setMessageId(f.ownersMessage().getId()).build()), NF, OK, OK, OK, NF, OK),
                new Row("GetMessage", (f, u) -> u.messages().getMessage(GetMessageRequest.newBuilder()
                        .setMessageId(f.ownersMessage().getId()).build()), NF, OK, OK, OK, NF, OK),
                new Row("MarkRead", (f, u) -> u.messages().markRead(MarkReadRequest.newBuilder()
                        .setConversationId(f.id()).setUpToSequence(3).build()), NF, OK, OK, OK, NF, OK));
    }

    static Stream<Arguments> cells() {
        List<Arguments> cells = new ArrayList<>();
        for (Row row : rows()) {
            for (Caller caller : Caller.values()) {
                cells.add(Arguments.of(row.rpc(), caller, row, row.expected()[caller.ordinal()]));
            }
        }
        return cells.stream();
    }

    @ParameterizedTest(name = "{0} as {1}")
    @MethodSource("cells")
    void everyRpcAnswersEveryKindOfCallerAsTheTableSays(String rpc, Caller caller, Row row, Code expected) {
        Fixture fixture = Fixture.create(caller == Caller.ARCHIVED);
        TestUser who = switch (caller) {
            case OUTSIDER -> people().outsider;
            case MEMBER -> people().member;
            case ADMIN -> people().admin;
            case OWNER, ARCHIVED -> people().owner;
            case REMOVED -> people().removed;
        };
        Code actual;
        try {
            row.call().accept(fixture, who);
            actual = OK;
        } catch (StatusRuntimeException e) {
            actual = e.getStatus().getCode();
            assertThat(actual).as("%s as %s: %s", rpc, caller, e.getStatus()).isNotEqualTo(Status.Code.INTERNAL);
        }
        assertThat(actual).as("%s as %s", rpc, caller).isEqualTo(expected);
    }

    /** A private group with every kind of member, a message by its owner, and a pending join request. */
    record Fixture(Conversation conversation, Message ownersMessage) {

        String id() {
            return conversation.getId();
        }

        static Fixture create(boolean archived) {
            People p = people();
            Conversation group = Chats.group(p.owner, p.admin, p.member, p.extra, p.removed);
            p.owner.conversations().changeMemberRole(ChangeMemberRoleRequest.newBuilder().setConversationId(group.getId())
                    .setUserId(p.admin.id()).setRole(Role.ROLE_ADMIN).build());
            p.owner.conversations().removeMember(RemoveMemberRequest.newBuilder().setConversationId(group.getId())
                    .setUserId(p.removed.id()).build());
            p.requester.conversations().requestToJoin(RequestToJoinRequest.newBuilder()
                    .setConversationId(group.getId()).build());
            Message message = Chats.send(p.owner, group, "the owner's message");
            p.member.messages().addReaction(AddReactionRequest.newBuilder().setMessageId(message.getId())
                    .setEmoji("👍").build());
            if (archived) {
                p.owner.conversations().archiveConversation(ArchiveConversationRequest.newBuilder()
                        .setConversationId(group.getId()).build());
            }
            return new Fixture(group, message);
        }
    }

    /** The same people for every cell; only the group is new each time. */
    record People(TestUser owner, TestUser admin, TestUser member, TestUser extra, TestUser removed,
            TestUser outsider, TestUser newcomer, TestUser requester) {
    }

    private static People people;

    static synchronized People people() {
        if (people == null) {
            people = new People(TestUsers.signUp("owner"), TestUsers.signUp("admin"), TestUsers.signUp("member"),
                    TestUsers.signUp("extra"), TestUsers.signUp("removed"), TestUsers.signUp("outsider"),
                    TestUsers.signUp("newcomer"), TestUsers.signUp("requester"));
        }
        return people;
    }
}
