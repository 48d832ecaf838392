package dev.parley.server.message;

import static dev.parley.server.support.Errors.assertFails;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.api.v1.AddReactionRequest;
import dev.parley.server.support.Chats;
import dev.parley.server.support.Errors;
import dev.parley.server.support.TestUsers;
import io.grpc.Status;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** What one message may carry: no terminal control characters, 50 people mentioned, 200 different emoji. */
@QuarkusTest
class TextAndReactionLimitsTest {

    @Test
    void controlCharactersOtherThanTabAndNewlineAreRefusedNamingText() {
        var ava = TestUsers.signUp("ctrlava");
        var group = Chats.group(ava);
        for (String text : List.of("fine\rforged line", "clear \u001b[2J screen", "bell \u0007", "back\bspace")) {
            var failure = assertFails(Status.Code.INVALID_ARGUMENT, "INVALID_FIELDS", () -> Chats.send(ava, group,
                    text));
            assertThat(Errors.badFields(failure)).containsExactly("text");
        }
        assertThat(Chats.send(ava, group, "two\nlines\tand a tab").getText()).isEqualTo("two\nlines\tand a tab");
    }

    @Test
    void fiftyPeopleMayBeMentionedAndFiftyOneAreRefusedNamingText() {
        var ava = TestUsers.signUp("mentionava");
        var group = Chats.group(ava);
        String fifty = IntStream.range(0, 50).mapToObj(i -> "@person" + i).collect(Collectors.joining(" "));
        Chats.send(ava, group, fifty);
        var failure = assertFails(Status.Code.INVALID_ARGUMENT, "INVALID_FIELDS", () -> Chats.send(ava, group,
                fifty + " @person50"));
        assertThat(Errors.badFields(failure)).containsExactly("text");
    }

    @Test
    void theTwoHundredAndFirstDifferentEmojiOnAMessageIsRefusedAndExistingOnesStillAdd() {
        var owner = TestUsers.signUp("emojiowner");
        List<TestUsers.TestUser> people = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            people.add(TestUsers.signUp("emoji" + i));
        }
        var group = Chats.group(owner, people.toArray(TestUsers.TestUser[]::new));
        var message = Chats.send(owner, group, "react to me");
        for (int i = 0; i < 200; i++) {
            people.get(i / 20).messages().addReaction(AddReactionRequest.newBuilder().setMessageId(message.getId())
                    .setEmoji(":e" + i + ":").build());
        }
        var failure = assertFails(Status.Code.INVALID_ARGUMENT, "REACTION_LIMIT", () -> owner.messages()
                .addReaction(AddReactionRequest.newBuilder().setMessageId(message.getId()).setEmoji(":e200:")
                        .build()));
        assertThat(Errors.badFields(failure)).containsExactly("emoji");
        var reacted = owner.messages().addReaction(AddReactionRequest.newBuilder().setMessageId(message.getId())
                .setEmoji(":e7:").build());
        assertThat(reacted.getMessage().getReactionsList()).hasSize(200);
    }
}
