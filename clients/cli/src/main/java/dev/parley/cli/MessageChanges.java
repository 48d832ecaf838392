package dev.parley.cli;

import dev.parley.api.v1.AddReactionRequest;
import dev.parley.api.v1.DeleteMessageRequest;
import dev.parley.api.v1.EditMessageRequest;
import dev.parley.api.v1.RemoveReactionRequest;
import dev.parley.client.ParleyClient;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * edit, delete, react: changes to a message already sent. Messages are named by id, which `parley history --ids`
 * shows; the server decides who may make each change (the author edits; the author or an admin deletes).
 */
final class MessageChanges {

    private MessageChanges() {
    }

    /** Runs a change to one message with a signed-in client. */
    abstract static class OfMessage implements Runnable {
        @ParentCommand
        Parley parley;
        @Parameters(index = "0", paramLabel = "MESSAGE_ID", description = "The message (see `parley history --ids`).")
        String messageId;

        @Override
        public final void run() {
            try (var client = parley.client()) {
                change(client, parley.output());
            }
        }

        abstract void change(ParleyClient client, Output output);
    }

    @Command(name = "edit", description = "Change the text of a message of yours: the new text as arguments, or "
            + "from standard input.")
    static final class Edit extends OfMessage {
        @Parameters(index = "1..*", arity = "0..*", paramLabel = "TEXT",
                description = "The new text (default: read standard input).")
        List<String> words = List.of();

        @Override
        void change(ParleyClient client, Output output) {
            String text = MessageCommands.text(words, parley);
            var edited = ParleyClient.call(() -> client.messages().editMessage(EditMessageRequest.newBuilder()
                    .setMessageId(messageId).setText(text).build()));
            output.print(edited, "Edited #" + edited.getMessage().getSequence() + ".");
        }
    }

    @Command(name = "delete", description = "Delete a message, leaving a tombstone: yours, or anyone's in a group "
            + "you administer.")
    static final class Delete extends OfMessage {
        @Override
        void change(ParleyClient client, Output output) {
            var deleted = ParleyClient.call(() -> client.messages().deleteMessage(DeleteMessageRequest.newBuilder()
                    .setMessageId(messageId).build()));
            output.print(deleted, "Deleted #" + deleted.getMessage().getSequence() + ".");
        }
    }

    @Command(name = "react", description = "React to a message with an emoji, or take the reaction back.")
    static final class React extends OfMessage {
        @Parameters(index = "1", description = "A Unicode emoji, or a :shortcode: such as :tada:.")
        String emoji;
        @Option(names = "--remove", description = "Take this reaction back instead.")
        boolean remove;

        @Override
        void change(ParleyClient client, Output output) {
            if (remove) {
                var taken = ParleyClient.call(() -> client.messages().removeReaction(RemoveReactionRequest
                        .newBuilder().setMessageId(messageId).setEmoji(emoji).build()));
                output.print(taken, "Took back " + emoji + " from #" + taken.getMessage().getSequence() + ".");
            } else {
                var added = ParleyClient.call(() -> client.messages().addReaction(AddReactionRequest.newBuilder()
                        .setMessageId(messageId).setEmoji(emoji).build()));
                output.print(added, "Reacted " + emoji + " to #" + added.getMessage().getSequence() + ".");
            }
        }
    }
}
