package dev.parley.server.conversation;

import static dev.parley.server.support.Errors.assertFails;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.api.v1.*;
import dev.parley.api.v1.Conversation;
import dev.parley.api.v1.JoinRequest;
import dev.parley.api.v1.Role;
import dev.parley.server.support.Chats;
import dev.parley.server.support.Errors;
import dev.parley.server.support.TestUsers;
import io.grpc.Status;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ConversationsTest {

    @Test
    void aDirectConversationExistsOncePerPair() {
        var ann = TestUsers.signUp("ann");
        var bo = TestUsers.signUp("bo");

        var first = ann.conversations().createDirectConversation(direct(bo));
        var again = bo.conversations().createDirectConversation(direct(ann));

        assertThat(first.getCreated()).isTrue();
        assertThat(again.getCreated()).isFalse();
        assertThat(again.getConversation().getId()).isEqualTo(first.getConversation().getId());
        assertThat(first.getConversation().getKind()).isEqualTo(ConversationKind.CONVERSATION_KIND_DIRECT);
        assertThat(first.getConversation().getOtherUserId()).isEqualTo(bo.id());
        assertThat(again.getConversation().getOtherUserId()).isEqualTo(ann.id());
        assertFails(Status.Code.INVALID_ARGUMENT, () -> ann.conversations().createDirectConversation(direct(ann)));
        assertFails(Status.Code.NOT_FOUND, () -> ann.conversations().createDirectConversation(
                CreateDirectConversationRequest.newBuilder().setUserId(java.util.UUID.randomUUID().toString()).build()));
    }

    @Test
    void groupsValidateTheirFieldsAndMakeTheCreatorOwner() {
        var cy = TestUsers.signUp("cy");
        var failure = assertFails(Status.Code.INVALID_ARGUMENT, () -> cy.conversations().createGroupConversation(
                CreateGroupConversationRequest.newBuilder().setTitle(" ").setDescription("d".repeat(1001))
                        .addMemberIds("nope").build()));
        assertThat(Errors.badFields(failure)).containsExactly("title", "description", "member_ids[0]");
        assertFails(Status.Code.INVALID_ARGUMENT, () -> cy.conversations().createGroupConversation(
                CreateGroupConversationRequest.newBuilder().setTitle("t".repeat(101)).build()));

        var group = Chats.group(cy);
        assertThat(group.getMe().getRole()).isEqualTo(Role.ROLE_OWNER);
        assertThat(group.getMemberCount()).isEqualTo(1);
        assertThat(group.getLastSequence()).isEqualTo(1); // cy joined
    }

    @Test
    void rolesOwnershipAndLeaving() {
        var owner = TestUsers.signUp("own");
        var adm = TestUsers.signUp("adm");
        var mem = TestUsers.signUp("mem");
        var group = Chats.group(owner, adm, mem);
        String id = group.getId();

        owner.conversations().changeMemberRole(ChangeMemberRoleRequest.newBuilder().setConversationId(id)
                .setUserId(adm.id()).setRole(Role.ROLE_ADMIN).build());
        assertFails(Status.Code.PERMISSION_DENIED, () -> adm.conversations().removeMember(RemoveMemberRequest
                .newBuilder().setConversationId(id).setUserId(owner.id()).build()));
        assertFails(Status.Code.FAILED_PRECONDITION, "OWNER_MUST_TRANSFER", () -> owner.conversations()
                .leaveConversation(LeaveConversationRequest.newBuilder().setConversationId(id).build()));

        owner.conversations().transferOwnership(TransferOwnershipRequest.newBuilder().setConversationId(id)
                .setUserId(mem.id()).build());
        var members = mem.conversations().listMembers(ListMembersRequest.newBuilder().setConversationId(id).build())
                .getMembersList();
        assertThat(members).extracting(Member::getUserId, Member::getRole).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple(owner.id(), Role.ROLE_ADMIN),
                org.assertj.core.groups.Tuple.tuple(adm.id(), Role.ROLE_ADMIN),
                org.assertj.core.groups.Tuple.tuple(mem.id(), Role.ROLE_OWNER));

        owner.conversations().leaveConversation(LeaveConversationRequest.newBuilder().setConversationId(id).build());
        assertFails(Status.Code.NOT_FOUND, () -> owner.conversations().getConversation(get(id)));
        assertThat(mem.conversations().getConversation(get(id)).getConversation().getMemberCount()).isEqualTo(2);
    }

    @Test
    void publicGroupsAreBrowsedAndJoinedPrivateOnesByRequest() {
        var host = TestUsers.signUp("host");
        var guest = TestUsers.signUp("guest");
        String tag = TestUsers.uniqueName("club");
        var open = host.conversations().createGroupConversation(CreateGroupConversationRequest.newBuilder()
                .setTitle(tag + " open").setVisibility(Visibility.VISIBILITY_PUBLIC).build()).getConversation();
        var closed = host.conversations().createGroupConversation(CreateGroupConversationRequest.newBuilder()
                .setTitle(tag + " closed").setVisibility(Visibility.VISIBILITY_PRIVATE).build()).getConversation();

        var found = guest.conversations().browsePublicConversations(BrowsePublicConversationsRequest.newBuilder()
                .setPrefix(tag.toUpperCase()).build()).getConversationsList();
        assertThat(found).extracting(Conversation::getId).containsExactly(open.getId());
        assertThat(found.get(0).hasMe()).isFalse();

        var joined = guest.conversations().joinConversation(JoinConversationRequest.newBuilder()
                .setConversationId(open.getId()).build()).getConversation();
        assertThat(joined.getMe().getRole()).isEqualTo(Role.ROLE_MEMBER);
        assertFails(Status.Code.NOT_FOUND, () -> guest.conversations().joinConversation(JoinConversationRequest
                .newBuilder().setConversationId(closed.getId()).build()));

        guest.conversations().requestToJoin(RequestToJoinRequest.newBuilder().setConversationId(closed.getId()).build());
        guest.conversations().requestToJoin(RequestToJoinRequest.newBuilder()
                .setConversationId(java.util.UUID.randomUUID().toString()).build()); // same answer: nothing leaks
        var requests = host.conversations().listJoinRequests(ListJoinRequestsRequest.newBuilder()
                .setConversationId(closed.getId()).build()).getRequestsList();
        assertThat(requests).extracting(JoinRequest::getUserId).containsExactly(guest.id());
        host.conversations().approveJoinRequest(ApproveJoinRequestRequest.newBuilder()
                .setConversationId(closed.getId()).setUserId(guest.id()).build());
        assertThat(guest.conversations().getConversation(get(closed.getId())).getConversation().getMe().getRole())
                .isEqualTo(Role.ROLE_MEMBER);
        assertFails(Status.Code.NOT_FOUND, () -> host.conversations().rejectJoinRequest(RejectJoinRequestRequest
                .newBuilder().setConversationId(closed.getId()).setUserId(guest.id()).build()));
    }

    @Test
    void myConversationsComeNewestFirstWithUnreadCountsAndLastMessages() {
        var lea = TestUsers.signUp("lea");
        var max = TestUsers.signUp("max");
        List<Conversation> groups = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            groups.add(Chats.group(lea, max));
        }
        Chats.send(lea, groups.get(0), "newest activity");
        Chats.send(lea, groups.get(0), "twice");

        var firstPage = max.conversations().listConversations(ListConversationsRequest.newBuilder().setPageSize(2)
                .build());
        assertThat(firstPage.getConversationsList()).extracting(Conversation::getId)
                .containsExactly(groups.get(0).getId(), groups.get(2).getId());
        var top = firstPage.getConversations(0);
        assertThat(top.getMe().getUnreadCount()).isEqualTo(2);
        assertThat(top.getLastMessage().getText()).isEqualTo("twice");
        var secondPage = max.conversations().listConversations(ListConversationsRequest.newBuilder().setPageSize(2)
                .setPageToken(firstPage.getNextPageToken()).build());
        assertThat(secondPage.getConversationsList()).extracting(Conversation::getId)
                .containsExactly(groups.get(1).getId());
        assertThat(secondPage.getNextPageToken()).isEmpty();

        // The author's own messages are read by them.
        assertThat(lea.conversations().getConversation(get(groups.get(0).getId())).getConversation().getMe()
                .getUnreadCount()).isZero();
    }

    @Test
    void archivedConversationsAreReadOnlyAndLeaveDefaultLists() {
        var ola = TestUsers.signUp("ola");
        var group = Chats.group(ola);
        Chats.send(ola, group, "before the archive");
        ola.conversations().archiveConversation(ArchiveConversationRequest.newBuilder()
                .setConversationId(group.getId()).build());

        assertFails(Status.Code.FAILED_PRECONDITION, "CONVERSATION_ARCHIVED", () -> Chats.send(ola, group, "after"));
        assertThat(ola.conversations().listConversations(ListConversationsRequest.getDefaultInstance())
                .getConversationsList()).extracting(Conversation::getId).doesNotContain(group.getId());
        assertThat(ola.conversations().listConversations(ListConversationsRequest.newBuilder()
                .setIncludeArchived(true).build()).getConversationsList()).extracting(Conversation::getId)
                .contains(group.getId());
        assertThat(ola.messages().listMessages(ListMessagesRequest.newBuilder().setConversationId(group.getId())
                .build()).getMessagesList()).extracting(Message::getText).containsExactly("before the archive");
    }

    @Test
    void membersSetTheirOwnNotificationsAndMute() {
        var pia = TestUsers.signUp("pia");
        var group = Chats.group(pia);
        var me = pia.conversations().updateMySettings(UpdateMySettingsRequest.newBuilder()
                .setConversationId(group.getId()).setNotificationLevel(NotificationLevel.NOTIFICATION_LEVEL_MENTIONS)
                .setMuted(true).build()).getMe();
        assertThat(me.getNotificationLevel()).isEqualTo(NotificationLevel.NOTIFICATION_LEVEL_MENTIONS);
        assertThat(me.getMuted()).isTrue();
        assertThat(pia.conversations().getConversation(get(group.getId())).getConversation().getMe().getMuted())
                .isTrue();
    }

    @Test
    void updatesAreForAdminsAndLogged() {
        var rex = TestUsers.signUp("rex");
        var sue = TestUsers.signUp("sue");
        var group = Chats.group(rex, sue);
        assertFails(Status.Code.PERMISSION_DENIED, () -> sue.conversations().updateConversation(
                UpdateConversationRequest.newBuilder().setConversationId(group.getId()).setTitle("mine").build()));
        var updated = rex.conversations().updateConversation(UpdateConversationRequest.newBuilder()
                .setConversationId(group.getId()).setTitle("  Renamed ").setDescription("about").build())
                .getConversation();
        assertThat(updated.getTitle()).isEqualTo("Renamed");
        assertThat(updated.getLastSequence()).isEqualTo(group.getLastSequence() + 1);
    }

    static CreateDirectConversationRequest direct(TestUsers.TestUser other) {
        return CreateDirectConversationRequest.newBuilder().setUserId(other.id()).build();
    }

    static GetConversationRequest get(String id) {
        return GetConversationRequest.newBuilder().setConversationId(id).build();
    }
}
