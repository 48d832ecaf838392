package dev.parley.server.grpc;

import static dev.parley.server.support.Errors.assertFails;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.api.v1.BrowsePublicConversationsRequest;
import dev.parley.api.v1.CreateGroupConversationRequest;
import dev.parley.api.v1.ListConversationsRequest;
import dev.parley.api.v1.LogInRequest;
import dev.parley.api.v1.RequestPasswordResetRequest;
import dev.parley.api.v1.SearchUsersRequest;
import dev.parley.api.v1.SendMessageRequest;
import dev.parley.api.v1.SignUpRequest;
import dev.parley.api.v1.UpdateConversationRequest;
import dev.parley.server.support.Api;
import dev.parley.server.support.Chats;
import dev.parley.server.support.Errors;
import dev.parley.server.support.NodeScripts;
import dev.parley.server.support.TestUsers;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.junit.QuarkusTest;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Rules every request obeys, checked once for all RPCs: no NUL in any string, no unknown enum number, and the size
 * limits answered as statuses that say the limit. Each answer is INVALID_ARGUMENT (or RESOURCE_EXHAUSTED) naming
 * what is wrong, never INTERNAL, and nothing is stored.
 */
@QuarkusTest
class RequestRulesTest {

    @Test
    void nulInAnyStringFieldIsInvalidArgumentNamingTheField() {
        var nia = TestUsers.signUp("nia");
        assertNamesField("login", () -> Api.auth().logIn(LogInRequest.newBuilder().setLogin("nia\0")
                .setPassword(TestUsers.PASSWORD).build()));
        assertNamesField("email", () -> Api.auth().signUp(SignUpRequest.newBuilder()
                .setUsername(TestUsers.uniqueName("nul")).setEmail("a\0@example.com")
                .setPassword(TestUsers.PASSWORD).build()));
        assertNamesField("email", () -> Api.auth().requestPasswordReset(RequestPasswordResetRequest.newBuilder()
                .setEmail("x\0@example.com").build()));
        assertNamesField("prefix", () -> nia.users().searchUsers(SearchUsersRequest.newBuilder()
                .setPrefix("ni\0").build()));
        assertNamesField("prefix", () -> nia.conversations().browsePublicConversations(
                BrowsePublicConversationsRequest.newBuilder().setPrefix("\0").build()));
    }

    @Test
    void unknownEnumNumbersAreRefusedNamingTheFieldAndNothingIsStored() {
        var eve = TestUsers.signUp("eve");
        for (int unknown : new int[] {99, -1}) {
            assertNamesField("visibility", () -> eve.conversations().createGroupConversation(
                    CreateGroupConversationRequest.newBuilder().setTitle("enum " + unknown).setVisibilityValue(unknown)
                            .build()));
        }
        assertThat(eve.conversations().listConversations(ListConversationsRequest.getDefaultInstance())
                .getConversationsList()).isEmpty();

        var group = Chats.group(eve);
        assertNamesField("visibility", () -> eve.conversations().updateConversation(UpdateConversationRequest
                .newBuilder().setConversationId(group.getId()).setVisibilityValue(7).build()));
    }

    @Test
    void aMessageOverTheSizeLimitIsRefusedSayingTheLimit() {
        var max = TestUsers.signUp("max");
        var group = Chats.group(max);
        StatusRuntimeException failure = assertFails(Status.Code.RESOURCE_EXHAUSTED, () -> max.messages()
                .sendMessage(SendMessageRequest.newBuilder().setConversationId(group.getId())
                        .setClientMessageId(UUID.randomUUID().toString()).setText("x".repeat(5 << 20)).build()));
        assertThat(failure.getStatus().getDescription()).contains("4194304 bytes");
        assertThat(Errors.reason(failure)).isEqualTo("MESSAGE_TOO_LARGE");
    }

    @Test
    void metadataOverTheLimitIsRefusedSayingTheLimit() {
        var stub = Api.withHeader(Api.users(), Metadata.Key.of("x-padding", Metadata.ASCII_STRING_MARSHALLER),
                "p".repeat(20 << 10));
        StatusRuntimeException failure = assertFails(Status.Code.RESOURCE_EXHAUSTED, "METADATA_TOO_LARGE",
                () -> stub.searchUsers(SearchUsersRequest.newBuilder().setPrefix("a").build()));
        assertThat(failure.getStatus().getDescription()).contains("the limit is 16384 bytes");
    }

    /** The same two limits from grpc-js, which reads a bare HTTP 431 as UNKNOWN (clients/web/test/limits.mjs). */
    @Test
    void grpcJsClientsReadTheLimitsToo() throws Exception {
        assertThat(NodeScripts.run("test/limits.mjs", "localhost:" + Api.GRPC_PORT)).hasSize(2)
                .allSatisfy(line -> assertThat(line).contains("\"ok\":true"));
    }

    private static void assertNamesField(String field, org.junit.jupiter.api.function.Executable call) {
        StatusRuntimeException failure = assertFails(Status.Code.INVALID_ARGUMENT, "INVALID_FIELDS", call);
        assertThat(Errors.badFields(failure)).containsExactly(field);
    }
}
