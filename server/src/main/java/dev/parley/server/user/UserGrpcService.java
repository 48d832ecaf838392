package dev.parley.server.user;

import static dev.parley.server.grpc.Replies.reply;

import dev.parley.api.v1.DeactivateUserRequest;
import dev.parley.api.v1.DeactivateUserResponse;
import dev.parley.api.v1.GetMeRequest;
import dev.parley.api.v1.GetMeResponse;
import dev.parley.api.v1.GetUsersRequest;
import dev.parley.api.v1.GetUsersResponse;
import dev.parley.api.v1.ReactivateUserRequest;
import dev.parley.api.v1.ReactivateUserResponse;
import dev.parley.api.v1.SearchUsersRequest;
import dev.parley.api.v1.SearchUsersResponse;
import dev.parley.api.v1.UpdateProfileRequest;
import dev.parley.api.v1.UpdateProfileResponse;
import dev.parley.api.v1.UserServiceGrpc;
import dev.parley.server.account.Account;
import dev.parley.server.account.UserViews;
import dev.parley.server.auth.Caller;
import dev.parley.server.common.Ids;
import dev.parley.server.grpc.PageTokens;
import dev.parley.server.grpc.ServiceDefinitions;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.common.annotation.Blocking;

/** UserService over gRPC: parses, calls the domain, maps. */
@GrpcService
@Blocking
class UserGrpcService extends UserServiceGrpc.UserServiceImplBase {

    /** The generated definition, with the house's request parsing (malformed requests: INVALID_ARGUMENT). */
    @Override
    public ServerServiceDefinition bindService() {
        return ServiceDefinitions.standard(super.bindService());
    }

    private static final String SEARCH_LIST = "users";
    private final Profiles profiles;
    private final Directory directory;
    private final Administration administration;

    UserGrpcService(Profiles profiles, Directory directory, Administration administration) {
        this.profiles = profiles;
        this.directory = directory;
        this.administration = administration;
    }

    @Override
    public void getMe(GetMeRequest request, StreamObserver<GetMeResponse> response) {
        Account me = QuarkusTransaction.requiringNew().call(() -> Account.existing(Caller.current().accountId()));
        reply(response, GetMeResponse.newBuilder().setUser(UserViews.ofSelf(me)).build());
    }

    @Override
    public void updateProfile(UpdateProfileRequest request, StreamObserver<UpdateProfileResponse> response) {
        Account me = profiles.update(Caller.current().accountId(), request);
        reply(response, UpdateProfileResponse.newBuilder().setUser(UserViews.ofSelf(me)).build());
    }

    @Override
    public void getUsers(GetUsersRequest request, StreamObserver<GetUsersResponse> response) {
        Caller caller = Caller.current();
        var found = directory.byIds(request.getUserIdsList());
        boolean administrator = QuarkusTransaction.requiringNew().call(() ->
                Administration.isAdministrator(caller.accountId()));
        var users = GetUsersResponse.newBuilder();
        found.forEach(account -> users.addUsers(UserViews.of(account,
                administrator || account.id.equals(caller.accountId()))));
        reply(response, users.build());
    }

    @Override
    public void searchUsers(SearchUsersRequest request, StreamObserver<SearchUsersResponse> response) {
        Caller caller = Caller.current();
        int pageSize = PageTokens.pageSize(request.getPageSize(), 20, 100);
        String after = PageTokens.decode(SEARCH_LIST, request.getPageToken());
        Directory.Page page = directory.search(request.getPrefix(), after, pageSize);
        var users = SearchUsersResponse.newBuilder();
        page.accounts().forEach(account -> users.addUsers(UserViews.of(account,
                account.id.equals(caller.accountId()))));
        if (!page.nextAfter().isEmpty()) {
            users.setNextPageToken(PageTokens.encode(SEARCH_LIST, page.nextAfter()));
        }
        reply(response, users.build());
    }

    @Override
    public void deactivateUser(DeactivateUserRequest request, StreamObserver<DeactivateUserResponse> response) {
        Account account = administration.deactivate(Caller.current().accountId(),
                Ids.require(request.getUserId(), "user_id"));
        reply(response, DeactivateUserResponse.newBuilder().setUser(UserViews.of(account, true)).build());
    }

    @Override
    public void reactivateUser(ReactivateUserRequest request, StreamObserver<ReactivateUserResponse> response) {
        Account account = administration.reactivate(Caller.current().accountId(),
                Ids.require(request.getUserId(), "user_id"));
        reply(response, ReactivateUserResponse.newBuilder().setUser(UserViews.of(account, true)).build());
    }
}
