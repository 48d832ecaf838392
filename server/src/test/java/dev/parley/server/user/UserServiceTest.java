package dev.parley.server.user;

import static dev.parley.server.support.Errors.assertFails;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.api.v1.DeactivateUserRequest;
import dev.parley.api.v1.GetMeRequest;
import dev.parley.api.v1.GetUsersRequest;
import dev.parley.api.v1.ReactivateUserRequest;
import dev.parley.api.v1.SearchUsersRequest;
import dev.parley.api.v1.UpdateProfileRequest;
import dev.parley.api.v1.User;
import dev.parley.api.v1.UserState;
import dev.parley.server.support.Errors;
import dev.parley.server.support.TestUsers;
import io.grpc.Status;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class UserServiceTest {

    @Test
    void peopleUpdateOnlyTheProfileFieldsTheySet() {
        var yuri = TestUsers.signUp("yuri");
        var updated = yuri.users().updateProfile(UpdateProfileRequest.newBuilder()
                .setStatusText("In a meeting 📅").setAvatarUrl("https://example.com/yuri.png").build()).getUser();

        assertThat(updated.getStatusText()).isEqualTo("In a meeting 📅");
        assertThat(updated.getAvatarUrl()).isEqualTo("https://example.com/yuri.png");
        assertThat(updated.getDisplayName()).isEqualTo(yuri.user().getDisplayName());

        var cleared = yuri.users().updateProfile(UpdateProfileRequest.newBuilder().setStatusText("")
                .setDisplayName("  Yuri G.  ").build()).getUser();
        assertThat(cleared.getStatusText()).isEmpty();
        assertThat(cleared.getDisplayName()).isEqualTo("Yuri G.");
        assertThat(yuri.users().getMe(GetMeRequest.getDefaultInstance()).getUser()).isEqualTo(cleared);
    }

    @Test
    void badProfileFieldsAreNamedAndNothingChanges() {
        var zoe = TestUsers.signUp("zoe");
        var failure = assertFails(Status.Code.INVALID_ARGUMENT, () -> zoe.users().updateProfile(
                UpdateProfileRequest.newBuilder().setDisplayName(" ").setAvatarUrl("javascript:alert(1)")
                        .setStatusText("s".repeat(141)).build()));

        assertThat(Errors.badFields(failure)).containsExactly("display_name", "avatar_url", "status_text");
        assertThat(zoe.users().getMe(GetMeRequest.getDefaultInstance()).getUser()).isEqualTo(zoe.user());
    }

    @Test
    void lookingUpUsersShowsOnlyMyOwnEmailAndSkipsUnknownIds() {
        var amy = TestUsers.signUp("amy");
        var ben = TestUsers.signUp("ben");

        List<User> found = amy.users().getUsers(GetUsersRequest.newBuilder().addUserIds(ben.id())
                .addUserIds(UUID.randomUUID().toString()).addUserIds(amy.id()).addUserIds(ben.id()).build())
                .getUsersList();

        assertThat(found).extracting(User::getId).containsExactly(ben.id(), amy.id());
        assertThat(found.get(0).getEmail()).isEmpty();
        assertThat(found.get(1).getEmail()).isEqualTo(amy.user().getEmail());
        var asAdmin = TestUsers.administrator().users().getUsers(GetUsersRequest.newBuilder().addUserIds(ben.id())
                .build()).getUsers(0);
        assertThat(asAdmin.getEmail()).isEqualTo(ben.user().getEmail());
    }

    @Test
    void badIdListsAreRefusedNamingTheEntry() {
        var cleo = TestUsers.signUp("cleo");
        var failure = assertFails(Status.Code.INVALID_ARGUMENT, () -> cleo.users().getUsers(
                GetUsersRequest.newBuilder().addUserIds(cleo.id()).addUserIds("nope").build()));
        assertThat(Errors.badFields(failure)).containsExactly("user_ids[1]");
        assertFails(Status.Code.INVALID_ARGUMENT, () -> cleo.users().getUsers(GetUsersRequest.getDefaultInstance()));
    }

    @Test
    void searchFindsUsernameAndDisplayNamePrefixesPageByPage() {
        String tag = TestUsers.uniqueName("srch").replace("-", "");
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            expected.add(TestUsers.signUp(tag + "_" + i).username());
        }
        var dan = TestUsers.signUp("dan");

        List<String> seen = new ArrayList<>();
        String token = "";
        int pages = 0;
        do {
            var page = dan.users().searchUsers(SearchUsersRequest.newBuilder().setPrefix(tag.toUpperCase())
                    .setPageSize(2).setPageToken(token).build());
            page.getUsersList().forEach(user -> seen.add(user.getUsername()));
            token = page.getNextPageToken();
            pages++;
        } while (!token.isEmpty());

        assertThat(seen).containsExactlyElementsOf(expected.stream().sorted().toList());
        assertThat(pages).isEqualTo(3);
        assertThat(dan.users().searchUsers(SearchUsersRequest.newBuilder().setPrefix("test " + tag).build())
                .getUsersList()).hasSize(5); // display names are "Test <username>"
    }

    @Test
    void searchTreatsWildcardsLiterallyAndRefusesForeignPageTokens() {
        var eve = TestUsers.signUp("eve");
        assertThat(eve.users().searchUsers(SearchUsersRequest.newBuilder().setPrefix("%").build()).getUsersList())
                .isEmpty();
        var failure = assertFails(Status.Code.INVALID_ARGUMENT, () -> eve.users().searchUsers(
                SearchUsersRequest.newBuilder().setPageToken("Zm9vOmJhcg").build()));
        assertThat(Errors.badFields(failure)).containsExactly("page_token");
        assertFails(Status.Code.INVALID_ARGUMENT, () -> eve.users().searchUsers(
                SearchUsersRequest.newBuilder().setPageSize(101).build()));
    }

    @Test
    void deactivationEndsEverySessionAtOnceAndKeepsTheAccount() {
        var admin = TestUsers.administrator();
        var fay = TestUsers.signUp("fay");

        var deactivated = admin.users().deactivateUser(DeactivateUserRequest.newBuilder().setUserId(fay.id()).build())
                .getUser();

        assertThat(deactivated.getState()).isEqualTo(UserState.USER_STATE_DEACTIVATED);
        assertFails(Status.Code.UNAUTHENTICATED, "SESSION_REVOKED",
                () -> fay.users().getMe(GetMeRequest.getDefaultInstance()));
        assertThat(admin.users().getUsers(GetUsersRequest.newBuilder().addUserIds(fay.id()).build()).getUsers(0)
                .getState()).isEqualTo(UserState.USER_STATE_DEACTIVATED);
        admin.users().reactivateUser(ReactivateUserRequest.newBuilder().setUserId(fay.id()).build());
    }

    @Test
    void onlyAdministratorsDeactivateAndNeverThemselves() {
        var gil = TestUsers.signUp("gil");
        var hal = TestUsers.signUp("hal");
        var admin = TestUsers.administrator();

        assertFails(Status.Code.PERMISSION_DENIED, "ADMINISTRATOR_REQUIRED", () -> gil.users().deactivateUser(
                DeactivateUserRequest.newBuilder().setUserId(hal.id()).build()));
        assertFails(Status.Code.PERMISSION_DENIED, "ADMINISTRATOR_REQUIRED", () -> gil.users().reactivateUser(
                ReactivateUserRequest.newBuilder().setUserId(hal.id()).build()));
        assertFails(Status.Code.FAILED_PRECONDITION, "CANNOT_DEACTIVATE_SELF", () -> admin.users().deactivateUser(
                DeactivateUserRequest.newBuilder().setUserId(admin.id()).build()));
        assertFails(Status.Code.NOT_FOUND, () -> admin.users().deactivateUser(
                DeactivateUserRequest.newBuilder().setUserId(UUID.randomUUID().toString()).build()));
        assertThat(hal.users().getMe(GetMeRequest.getDefaultInstance()).getUser().getState())
                .isEqualTo(UserState.USER_STATE_ACTIVE);
    }
}
