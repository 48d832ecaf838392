package dev.parley.cli;

import dev.parley.api.v1.ListMessagesRequest;
import dev.parley.api.v1.MarkReadRequest;
import dev.parley.api.v1.Message;
import dev.parley.api.v1.SendMessageRequest;
import dev.parley.client.ParleyClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** send, history, read (edit, delete and react are in {@link MessageChanges}). */
final class MessageCommands {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("MM-dd HH:mm")
            .withZone(ZoneId.systemDefault());

    private MessageCommands() {
    }

    @Command(name = "send", description = "Send a message: the text as arguments, or from standard input.")
    static final class Send implements Runnable {
        @ParentCommand
        Parley parley;
        @Parameters(index = "0", description = "Where: id, title, or @username (a direct conversation).")
        String conversation;
        @Parameters(index = "1..*", arity = "0..*", description = "The text (default: read standard input).")
        List<String> words = List.of();
        @Option(names = "--reply-to", paramLabel = "MESSAGE_ID",
                description = "Answer in this message's thread (ids: `parley history --ids`).")
        String replyTo = "";

        @Override
        public void run() {
            String text = text(words, parley);
            try (var client = parley.client()) {
                String id = ConversationRefs.resolve(client, conversation);
                var sent = client.send(SendMessageRequest.newBuilder().setConversationId(id).setText(text)
                        .setReplyToMessageId(replyTo).build());
                parley.output().print(sent, "Sent (#" + sent.getMessage().getSequence() + ").");
            }
        }
    }

    /** A message's text: the words given, else standard input (so that `echo text | parley send ...` works). */
    static String text(List<String> words, Parley parley) {
        if (!words.isEmpty()) {
            return String.join(" ", words);
        }
        try {
            String text = new String(parley.in.readAllBytes(), StandardCharsets.UTF_8).strip();
            if (text.isEmpty()) {
                throw new CliFailure(ExitCodes.INVALID, "no text: give it as arguments or on stdin");
            }
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Command(name = "history", description = "Messages of a conversation, oldest first; page back with --before.")
    static final class History implements Runnable {
        @ParentCommand
        Parley parley;
        @Parameters(index = "0", description = "Id, title or @username.")
        String conversation;
        @Option(names = "--limit", defaultValue = "20", description = "How many (default 20, at most 200).")
        int limit;
        @Option(names = "--before", paramLabel = "SEQUENCE", description = "Only messages older than this one.")
        Long before;
        @Option(names = "--ids", description = "Start each line with the message's id, for `send --reply-to`, "
                + "`edit`, `delete` and `react`.")
        boolean ids;

        @Override
        public void run() {
            try (var client = parley.client()) {
                var request = ListMessagesRequest.newBuilder().setConversationId(ConversationRefs.resolve(client,
                        conversation)).setPageSize(limit);
                if (before != null) {
                    request.setBeforeSequence(before);
                }
                var page = ParleyClient.call(() -> client.messages().listMessages(request.build()));
                Names names = new Names(client);
                names.learn(page.getMessagesList().stream().map(Message::getAuthorId).toList());
                String text = page.getMessagesList().stream().map(m -> (ids ? m.getId() + "  " : "") + line(m, names))
                        .collect(Collectors.joining("\n"));
                if (page.getHasMore() && !page.getMessagesList().isEmpty()) {
                    text += "\n(older: --before " + page.getMessages(0).getSequence() + ")";
                }
                parley.output().print(page, text.isEmpty() ? "No messages." : text);
            }
        }
    }

    @Command(name = "read", description = "Mark a conversation read up to its newest message.")
    static final class Read implements Runnable {
        @ParentCommand
        Parley parley;
        @Parameters(index = "0", description = "Id, title or @username.")
        String conversation;

        @Override
        public void run() {
            try (var client = parley.client()) {
                var read = ParleyClient.call(() -> client.messages().markRead(MarkReadRequest.newBuilder()
                        .setConversationId(ConversationRefs.resolve(client, conversation))
                        .setUpToSequence(Long.MAX_VALUE).build()));
                parley.output().print(read, "Read up to #" + read.getReadSequence() + ".");
            }
        }
    }

    /** "#12 05-14 09:30 ada: hello", with edits, tombstones, thread replies and reactions shown. */
    static String line(Message m, Names names) {
        String time = TIME.format(Instant.ofEpochSecond(m.getCreateTime().getSeconds()));
        String text = m.getDeleted() ? "(deleted)" : m.getText() + (m.hasEditTime() ? " (edited)" : "");
        String thread = m.getThreadRootId().isEmpty() ? "" : "  ↳ ";
        String replies = m.getReplyCount() > 0 ? "  [" + m.getReplyCount() + " replies]" : "";
        String reactions = m.getReactionsList().stream().map(r -> r.getEmoji() + r.getCount())
                .collect(Collectors.joining(" "));
        return "#" + m.getSequence() + " " + time + thread + " " + names.of(m.getAuthorId()) + ": " + text + replies
                + (reactions.isEmpty() ? "" : "  " + reactions);
    }
}
