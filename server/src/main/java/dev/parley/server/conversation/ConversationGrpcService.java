package dev.parley.server.conversation;

import static dev.parley.server.grpc.Replies.reply;

import dev.parley.api.v1.*;
import dev.parley.api.v1.JoinRequest;
import dev.parley.server.auth.Caller;
import dev.parley.server.common.Ids;
import dev.parley.server.grpc.PageTokens;
import dev.parley.server.grpc.ServiceDefinitions;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import java.util.Optional;
import java.util.UUID;

/** ConversationService over gRPC: parses, calls the domain, maps. */
@GrpcService
@Blocking
class ConversationGrpcService extends ConversationServiceGrpc.ConversationServiceImplBase {

    /** The generated definition, with the house's request parsing (malformed requests: INVALID_ARGUMENT). */
    @Override
    public ServerServiceDefinition bindService() {
        return ServiceDefinitions.standard(super.bindService());
    }

    private static final String MINE = "conversations";
    private static final String PUBLIC = "public";
    private static final String MEMBERS = "members";
    private final Conversations conversations;
    private final Roster roster;
    private final Listings listings;

    ConversationGrpcService(Conversations conversations, Roster roster, Listings listings) {
        this.conversations = conversations;
        this.roster = roster;
        this.listings = listings;
    }

    @Override
    public void createDirectConversation(CreateDirectConversationRequest request,
            StreamObserver<CreateDirectConversationResponse> response) {
        UUID me = me();
        var created = conversations.createDirect(me, Ids.require(request.getUserId(), "user_id"));
        reply(response, CreateDirectConversationResponse.newBuilder()
                .setConversation(listings.get(me, created.conversation().id)).setCreated(created.created()).build());
    }

    @Override
    public void createGroupConversation(CreateGroupConversationRequest request,
            StreamObserver<CreateGroupConversationResponse> response) {
        UUID me = me();
        var created = conversations.createGroup(me, request.getTitle(), request.getDescription(),
                request.getVisibility(), request.getMemberIdsList());
        reply(response, CreateGroupConversationResponse.newBuilder()
                .setConversation(listings.get(me, created.conversation().id)).build());
    }

    @Override
    public void getConversation(GetConversationRequest request, StreamObserver<GetConversationResponse> response) {
        reply(response, GetConversationResponse.newBuilder()
                .setConversation(listings.get(me(), conversationId(request.getConversationId()))).build());
    }

    @Override
    public void listConversations(ListConversationsRequest request,
            StreamObserver<ListConversationsResponse> response) {
        var page = listings.mine(me(), PageTokens.decode(MINE, request.getPageToken()),
                PageTokens.pageSize(request.getPageSize(), 50, 200), request.getIncludeArchived());
        reply(response, ListConversationsResponse.newBuilder().addAllConversations(page.items())
                .setNextPageToken(token(MINE, page.next())).build());
    }

    @Override
    public void updateConversation(UpdateConversationRequest request,
            StreamObserver<UpdateConversationResponse> response) {
        UUID me = me();
        var access = conversations.update(me, conversationId(request.getConversationId()),
                request.hasTitle() ? Optional.of(request.getTitle()) : Optional.empty(),
                request.hasDescription() ? Optional.of(request.getDescription()) : Optional.empty(),
                request.getVisibility(),
                request.hasMessageRetention() ? Optional.of(request.getMessageRetention()) : Optional.empty());
        reply(response, UpdateConversationResponse.newBuilder().setConversation(listings.get(me, access.id())).build());
    }

    @Override
    public void archiveConversation(ArchiveConversationRequest request,
            StreamObserver<ArchiveConversationResponse> response) {
        UUID me = me();
        var access = conversations.archive(me, conversationId(request.getConversationId()));
        reply(response, ArchiveConversationResponse.newBuilder().setConversation(listings.get(me, access.id())).build());
    }

    @Override
    public void listMembers(ListMembersRequest request, StreamObserver<ListMembersResponse> response) {
        var page = listings.members(me(), conversationId(request.getConversationId()),
                PageTokens.decode(MEMBERS, request.getPageToken()), PageTokens.pageSize(request.getPageSize(), 100,
                        1000));
        reply(response, ListMembersResponse.newBuilder()
                .addAllMembers(page.items().stream().map(ConversationViews::member).toList())
                .setNextPageToken(token(MEMBERS, page.next())).build());
    }

    @Override
    public void addMembers(AddMembersRequest request, StreamObserver<AddMembersResponse> response) {
        var added = roster.add(me(), conversationId(request.getConversationId()), request.getUserIdsList());
        reply(response, AddMembersResponse.newBuilder()
                .addAllAdded(added.stream().map(ConversationViews::member).toList()).build());
    }

    @Override
    public void removeMember(RemoveMemberRequest request, StreamObserver<RemoveMemberResponse> response) {
        roster.remove(me(), conversationId(request.getConversationId()), Roster.userId(request.getUserId()));
        reply(response, RemoveMemberResponse.getDefaultInstance());
    }

    @Override
    public void leaveConversation(LeaveConversationRequest request, StreamObserver<LeaveConversationResponse> response) {
        roster.leave(me(), conversationId(request.getConversationId()));
        reply(response, LeaveConversationResponse.getDefaultInstance());
    }

    @Override
    public void changeMemberRole(ChangeMemberRoleRequest request, StreamObserver<ChangeMemberRoleResponse> response) {
        var member = roster.changeRole(me(), conversationId(request.getConversationId()),
                Roster.userId(request.getUserId()), request.getRole());
        reply(response, ChangeMemberRoleResponse.newBuilder().setMember(ConversationViews.member(member)).build());
    }

    @Override
    public void transferOwnership(TransferOwnershipRequest request,
            StreamObserver<TransferOwnershipResponse> response) {
        roster.transfer(me(), conversationId(request.getConversationId()), Roster.userId(request.getUserId()));
        reply(response, TransferOwnershipResponse.getDefaultInstance());
    }

    @Override
    public void browsePublicConversations(BrowsePublicConversationsRequest request,
            StreamObserver<BrowsePublicConversationsResponse> response) {
        var page = listings.browse(me(), request.getPrefix(), PageTokens.decode(PUBLIC, request.getPageToken()),
                PageTokens.pageSize(request.getPageSize(), 50, 200));
        reply(response, BrowsePublicConversationsResponse.newBuilder().addAllConversations(page.items())
                .setNextPageToken(token(PUBLIC, page.next())).build());
    }

    @Override
    public void joinConversation(JoinConversationRequest request, StreamObserver<JoinConversationResponse> response) {
        UUID me = me();
        var access = roster.join(me, conversationId(request.getConversationId()));
        reply(response, JoinConversationResponse.newBuilder().setConversation(listings.get(me, access.id())).build());
    }

    @Override
    public void requestToJoin(RequestToJoinRequest request, StreamObserver<RequestToJoinResponse> response) {
        roster.requestToJoin(me(), conversationId(request.getConversationId()));
        reply(response, RequestToJoinResponse.getDefaultInstance());
    }

    @Override
    public void listJoinRequests(ListJoinRequestsRequest request, StreamObserver<ListJoinRequestsResponse> response) {
        var requests = roster.requests(me(), conversationId(request.getConversationId()));
        reply(response, ListJoinRequestsResponse.newBuilder().addAllRequests(requests.stream()
                .map(r -> JoinRequest.newBuilder().setUserId(r.accountId.toString())
                        .setRequestTime(dev.parley.server.grpc.ProtoTime.of(r.requestedAt)).build())
                .toList()).build());
    }

    @Override
    public void approveJoinRequest(ApproveJoinRequestRequest request,
            StreamObserver<ApproveJoinRequestResponse> response) {
        var member = roster.approve(me(), conversationId(request.getConversationId()),
                Roster.userId(request.getUserId()));
        reply(response, ApproveJoinRequestResponse.newBuilder().setMember(ConversationViews.member(member)).build());
    }

    @Override
    public void rejectJoinRequest(RejectJoinRequestRequest request, StreamObserver<RejectJoinRequestResponse> response) {
        roster.reject(me(), conversationId(request.getConversationId()), Roster.userId(request.getUserId()));
        reply(response, RejectJoinRequestResponse.getDefaultInstance());
    }

    @Override
    public void updateMySettings(UpdateMySettingsRequest request, StreamObserver<UpdateMySettingsResponse> response) {
        var access = roster.updateSettings(me(), conversationId(request.getConversationId()),
                request.getNotificationLevel(), request.hasMuted() ? Optional.of(request.getMuted()) : Optional.empty());
        reply(response, UpdateMySettingsResponse.newBuilder()
                .setMe(ConversationViews.mine(access.conversation(), access.membership())).build());
    }

    private static UUID me() {
        return Caller.current().accountId();
    }

    private static UUID conversationId(String text) {
        return Ids.require(text, "conversation_id");
    }

    private static String token(String list, String cursor) {
        return cursor.isEmpty() ? "" : PageTokens.encode(list, cursor);
    }
}
