package dev.parley.server.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.api.v1.AuthServiceGrpc;
import dev.parley.api.v1.ConversationServiceGrpc;
import dev.parley.api.v1.CreateGroupConversationRequest;
import dev.parley.api.v1.MessageServiceGrpc;
import dev.parley.api.v1.SearchMessagesRequest;
import dev.parley.api.v1.SearchResult;
import dev.parley.api.v1.SendMessageRequest;
import dev.parley.api.v1.SignUpRequest;
import dev.parley.server.support.Api;
import dev.parley.server.support.ServerProcess;
import dev.parley.server.support.TestServices;
import io.grpc.ManagedChannel;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * PARLEY_SEARCH_LANGUAGE: a database searched with 'simple' is rewritten for 'english' at the next start, and then
 * finds what English stemming finds in messages sent before; a name PostgreSQL does not know stops the start.
 */
class SearchLanguageIT {

    private static final String DATABASE = "parley_it_search_language";

    @Test
    void anotherLanguageRewritesTheIndexOnceAndAnUnknownOneRefusesToStart() throws Exception {
        TestServices.dropDatabase(DATABASE);
        String database = "postgres://postgres@" + TestServices.HOST + ":5432/" + DATABASE;
        String token;
        try (ServerProcess server = ServerProcess.start("search-simple", Map.of("PARLEY_DATABASE_URL", database))) {
            server.awaitServing();
            token = AuthServiceGrpc.newBlockingStub(server.channel()).signUp(SignUpRequest.newBuilder()
                    .setUsername("linguist").setEmail("linguist@example.com").setPassword("linguist's passphrase")
                    .build()).getTokens().getAccessToken();
            var group = Api.withToken(ConversationServiceGrpc.newBlockingStub(server.channel()), token)
                    .createGroupConversation(CreateGroupConversationRequest.newBuilder().setTitle("Words").build())
                    .getConversation();
            Api.withToken(MessageServiceGrpc.newBlockingStub(server.channel()), token).sendMessage(
                    SendMessageRequest.newBuilder().setConversationId(group.getId())
                            .setClientMessageId(UUID.randomUUID().toString()).setText("The runners were running")
                            .build());
            assertThat(search(server.channel(), token, "run ")).as("simple does not stem").isEmpty();
        }
        try (ServerProcess server = ServerProcess.start("search-english", Map.of("PARLEY_DATABASE_URL", database,
                "PARLEY_SEARCH_LANGUAGE", "english"))) {
            server.awaitServing();
            assertThat(server.output()).contains("Search: rewriting every message's words with 'english'");
            assertThat(search(server.channel(), token, "run ")).containsExactly("The runners were running");
            assertThat(search(server.channel(), token, "\"were running\"")).as("stop words are skipped")
                    .containsExactly("The runners were running");
        }
        var refused = ServerProcess.runUntilExit(Map.of("PARLEY_DATABASE_URL", database,
                "PARLEY_SEARCH_LANGUAGE", "klingon"));
        assertThat(refused.code()).isNotZero();
        assertThat(refused.stderr() + refused.stdout()).contains("PARLEY_SEARCH_LANGUAGE is 'klingon', which is not "
                + "a text-search configuration");
    }

    private static List<String> search(ManagedChannel channel, String token, String query) {
        return Api.withToken(MessageServiceGrpc.newBlockingStub(channel), token).searchMessages(
                SearchMessagesRequest.newBuilder().setQuery(query).build()).getResultsList().stream()
                .map(SearchResult::getMessage).map(m -> m.getText()).toList();
    }
}
