package dev.parley.server.web;

import com.google.common.base.CaseFormat;
import dev.parley.api.v1.AuthServiceGrpc;
import dev.parley.api.v1.ConversationPosition;
import dev.parley.api.v1.ConversationServiceGrpc;
import dev.parley.api.v1.CreateGroupConversationRequest;
import dev.parley.api.v1.EventServiceGrpc;
import dev.parley.api.v1.GetMeRequest;
import dev.parley.api.v1.ListMessagesRequest;
import dev.parley.api.v1.LogInRequest;
import dev.parley.api.v1.MessageServiceGrpc;
import dev.parley.api.v1.SendMessageRequest;
import dev.parley.api.v1.SendMessageResponse;
import dev.parley.api.v1.SignUpRequest;
import dev.parley.api.v1.SignUpResponse;
import dev.parley.api.v1.StreamEventsRequest;
import dev.parley.api.v1.StreamEventsResponse;
import dev.parley.api.v1.UserServiceGrpc;
import dev.parley.api.v1.Visibility;
import dev.parley.server.support.Api;
import dev.parley.server.support.Errors;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;

/**
 * The conformance scenarios over native gRPC from Java, line for line as clients/web/test/conformance.mjs runs them
 * over gRPC-Web: an outcome is "OK ..." or the failure's code, ErrorInfo reason and sorted bad fields.
 */
final class NativeScenarios {

    private static final String PASSWORD = "conformance passphrase";
    private final ManagedChannel channel;
    private final String suffix = UUID.randomUUID().toString().substring(0, 6);
    private final List<String> lines = new ArrayList<>();

    NativeScenarios(ManagedChannel channel) {
        this.channel = channel;
    }

    List<String> run() throws Exception {
        var auth = AuthServiceGrpc.newBlockingStub(channel);
        var amy = new String[2];
        outcome("sign up", () -> {
            SignUpResponse answer = signUp("amy");
            amy[0] = answer.getUser().getId();
            amy[1] = answer.getTokens().getAccessToken();
            return "OK display_name=" + answer.getUser().getDisplayName();
        });
        outcome("sign up taken username", () -> signUp("amy"));
        outcome("sign up bad fields", () -> auth.signUp(SignUpRequest.newBuilder().setUsername("x")
                .setEmail("not an email").setPassword("short").build()));
        outcome("log in wrong password", () -> auth.logIn(LogInRequest.newBuilder().setLogin("amy_" + suffix)
                .setPassword("wrong password").build()));
        outcome("log in", () -> {
            var answer = auth.logIn(LogInRequest.newBuilder().setLogin("amy_" + suffix).setPassword(PASSWORD).build());
            return "OK user_is_amy=" + answer.getUser().getId().equals(amy[0]) + " has_refresh_token="
                    + !answer.getTokens().getRefreshToken().isEmpty();
        });
        outcome("get me without token", () -> UserServiceGrpc.newBlockingStub(channel)
                .getMe(GetMeRequest.getDefaultInstance()));
        outcome("get me", () -> "OK display_name=" + Api.withToken(UserServiceGrpc.newBlockingStub(channel), amy[1])
                .getMe(GetMeRequest.getDefaultInstance()).getUser().getDisplayName());

        SignUpResponse ben = signUp("ben");
        String benToken = ben.getTokens().getAccessToken();
        var group = new String[1];
        outcome("create group with a member", () -> {
            var created = Api.withToken(ConversationServiceGrpc.newBlockingStub(channel), amy[1])
                    .createGroupConversation(CreateGroupConversationRequest.newBuilder().setTitle("conf " + suffix)
                            .setVisibility(Visibility.VISIBILITY_PRIVATE).addMemberIds(ben.getUser().getId()).build())
                    .getConversation();
            group[0] = created.getId();
            return "OK member_count=" + created.getMemberCount() + " last_sequence=" + created.getLastSequence();
        });
        outcome("send three messages", () -> {
            List<String> sequences = new ArrayList<>();
            for (String text : List.of("one", "two", "three")) {
                sequences.add(Long.toString(send(amy[1], group[0], text, UUID.randomUUID().toString())
                        .getMessage().getSequence()));
            }
            return "OK sequences=" + String.join(",", sequences);
        });
        outcome("send retried with the same client id", () -> {
            var first = send(amy[1], group[0], "once", "retry-" + suffix);
            var again = send(amy[1], group[0], "once", "retry-" + suffix);
            return "OK same_message=" + first.getMessage().getId().equals(again.getMessage().getId()) + " sequence="
                    + again.getMessage().getSequence();
        });
        var position = new long[1];
        outcome("stream live", () -> readUntil(benToken, StreamEventsRequest.getDefaultInstance(), (item, seen) -> {
            if (item.hasReady()) {
                seen.add("ready");
                send(amy[1], group[0], "live", UUID.randomUUID().toString());
            } else if (item.hasConversationEvent()) {
                var event = item.getConversationEvent();
                position[0] = event.getSequence();
                seen.add(changeName(event.getChangeCase()) + ":" + event.getSequence() + ":"
                        + event.getMessageSent().getText());
                return true;
            }
            return false;
        }));
        outcome("resume from a position", () -> {
            send(amy[1], group[0], "missed one", UUID.randomUUID().toString());
            send(amy[1], group[0], "missed two", UUID.randomUUID().toString());
            var request = StreamEventsRequest.newBuilder().addPositions(ConversationPosition.newBuilder()
                    .setConversationId(group[0]).setSequence(position[0])).build();
            return readUntil(benToken, request, (item, seen) -> {
                if (item.hasConversationEvent()) {
                    seen.add(item.getConversationEvent().getSequence() + ":"
                            + item.getConversationEvent().getMessageSent().getText());
                }
                if (item.hasReady()) {
                    seen.add("ready");
                }
                return item.hasReady();
            });
        });
        outcome("resume past the end", () -> readUntil(benToken, StreamEventsRequest.newBuilder()
                .addPositions(ConversationPosition.newBuilder().setConversationId(group[0]).setSequence(1000)).build(),
                (item, seen) -> true));
        outcome("send to an unknown conversation", () -> send(benToken, "00000000-0000-4000-8000-000000000000",
                "hello?", UUID.randomUUID().toString()));
        outcome("send empty text", () -> send(benToken, group[0], "", UUID.randomUUID().toString()));
        outcome("outsider reads history", () -> Api.withToken(MessageServiceGrpc.newBlockingStub(channel),
                signUp("carl").getTokens().getAccessToken()).listMessages(ListMessagesRequest.newBuilder()
                .setConversationId(group[0]).build()));
        return lines;
    }

    private interface Step {
        boolean take(StreamEventsResponse item, List<String> seen) throws Exception;
    }

    /** Reads a stream until the step says it has what it needs, then cancels it. */
    private String readUntil(String token, StreamEventsRequest request, Step step) throws Exception {
        List<String> seen = new ArrayList<>();
        try (var cancellable = Context.current().withCancellation()) {
            Iterator<StreamEventsResponse> items = cancellable.call(() -> Api.withToken(
                    EventServiceGrpc.newBlockingStub(channel), token).streamEvents(request));
            while (items.hasNext()) {
                if (step.take(items.next(), seen)) {
                    break;
                }
            }
        }
        return "OK " + String.join(" ", seen);
    }

    private SignUpResponse signUp(String name) {
        return AuthServiceGrpc.newBlockingStub(channel).signUp(SignUpRequest.newBuilder().setUsername(name + "_" + suffix)
                .setEmail(name + "_" + suffix + "@example.com").setDisplayName(name).setPassword(PASSWORD).build());
    }

    private SendMessageResponse send(String token, String conversationId, String text, String clientMessageId) {
        return Api.withToken(MessageServiceGrpc.newBlockingStub(channel), token).sendMessage(SendMessageRequest
                .newBuilder().setConversationId(conversationId).setClientMessageId(clientMessageId).setText(text)
                .build());
    }

    private void outcome(String name, Callable<Object> action) {
        String line;
        try {
            Object result = action.call();
            line = result instanceof String text && text.startsWith("OK") ? text : "unexpected " + result;
        } catch (StatusRuntimeException failure) {
            List<String> fields = new ArrayList<>(Errors.badFields(failure));
            fields.sort(null);
            line = failure.getStatus().getCode() + " " + Errors.reason(failure)
                    + (fields.isEmpty() ? "" : " fields=" + String.join(",", fields));
        } catch (Exception unexpected) {
            line = "unexpected " + unexpected;
        }
        lines.add(name + ": " + line);
    }

    private static String changeName(Enum<?> change) {
        return CaseFormat.UPPER_UNDERSCORE.to(CaseFormat.LOWER_CAMEL, change.name());
    }
}
