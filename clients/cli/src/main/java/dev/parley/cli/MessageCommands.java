package dev.parley.cli;

import dev.parley.api.v1.Attachment;
import dev.parley.api.v1.Conversation;
import dev.parley.api.v1.ConversationKind;
import dev.parley.api.v1.ListMessagesRequest;
import dev.parley.api.v1.MarkReadRequest;
import dev.parley.api.v1.Message;
import dev.parley.api.v1.SearchMessagesRequest;
import dev.parley.api.v1.SearchOrder;
import dev.parley.api.v1.SendMessageRequest;
import dev.parley.client.ParleyClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** send (with files), download, history, read, search (edit, delete and react are in {@link MessageChanges}). */
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
        @Option(names = "--file", paramLabel = "PATH", description = "Send this file with it (repeatable, at most "
                + "10; 25 MiB each). With files the text may be left out.")
        List<Path> files = List.of();

        @Override
        public void run() {
            String text = files.isEmpty() || !words.isEmpty() ? text(words, parley) : "";
            try (var client = parley.client()) {
                String id = ConversationRefs.resolve(client, conversation);
                List<Attachment> attachments = new ArrayList<>();
                for (Path file : files) {
                    attachments.add(upload(client, id, file));
                }
                var sent = client.send(SendMessageRequest.newBuilder().setConversationId(id).setText(text)
                        .setReplyToMessageId(replyTo)
                        .addAllAttachmentIds(attachments.stream().map(Attachment::getId).toList()).build());
                parley.output().print(sent, "Sent (#" + sent.getMessage().getSequence() + ")"
                        + (attachments.isEmpty() ? "." : " with " + attachments.size() + " file"
                                + (attachments.size() == 1 ? "." : "s.")));
            }
        }

        private static Attachment upload(ParleyClient client, String conversationId, Path file) {
            if (!Files.isRegularFile(file)) {
                throw new CliFailure(ExitCodes.INVALID, "no such file: " + file);
            }
            try {
                return client.upload(conversationId, file);
            } catch (IOException e) {
                throw new CliFailure(ExitCodes.FAILED, "could not read " + file + ": " + e.getMessage());
            }
        }
    }

    @Command(name = "download", description = "Download a file sent with a message (ids: `parley history --ids`).")
    static final class Download implements Runnable {
        @ParentCommand
        Parley parley;
        @Parameters(index = "0", paramLabel = "ATTACHMENT_ID", description = "The file's id, as history shows it.")
        String attachment;
        @Option(names = {"-o", "--output"}, paramLabel = "PATH", description = "Where to write it (default: the "
                + "current directory, under the file's own name).")
        Path output = Path.of(".");
        @Option(names = "--thumbnail", description = "The picture's thumbnail (a JPEG) instead of the file.")
        boolean thumbnail;

        @Override
        public void run() {
            try (var client = parley.client()) {
                Path written = client.download(attachment, thumbnail, output);
                parley.output().print(dev.parley.api.v1.GetAttachmentLinkResponse.getDefaultInstance(),
                        "Saved " + written + " (" + Files.size(written) + " bytes).");
            } catch (IOException e) {
                throw new CliFailure(ExitCodes.FAILED, "download failed: " + e.getMessage());
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

    @Command(name = "search", description = "Find messages in your conversations, newest first: words, "
            + "\"phrases\", from:@user, in:<conversation>, in:@user, has:link, has:file, is:thread, before:/after:/on:YYYY-MM-DD.")
    static final class Search implements Runnable {
        @ParentCommand
        Parley parley;
        @Parameters(arity = "1..*", description = "The query (quote it for the shell when it holds \"phrases\").")
        List<String> words;
        @Option(names = "--in", paramLabel = "CONVERSATION", description = "Only this conversation: id, title or "
                + "@username.")
        String conversation;
        @Option(names = "--relevance", description = "Most relevant first instead of newest first.")
        boolean relevance;
        @Option(names = "--limit", defaultValue = "20", description = "How many (default 20, at most 100).")
        int limit;
        @Option(names = "--page", paramLabel = "TOKEN", description = "The page after a previous search's (its "
                + "next_page_token), with the same query and options.")
        String page = "";

        @Override
        public void run() {
            try (var client = parley.client()) {
                var request = SearchMessagesRequest.newBuilder().setQuery(String.join(" ", words)).setPageSize(limit)
                        .setPageToken(page).setTimeZone(ZoneId.systemDefault().getId())
                        .setOrder(relevance ? SearchOrder.SEARCH_ORDER_RELEVANCE : SearchOrder.SEARCH_ORDER_NEWEST);
                if (conversation != null) {
                    request.setConversationId(ConversationRefs.resolve(client, conversation));
                }
                var found = client.search(request.build());
                Names names = new Names(client);
                names.learn(found.getResultsList().stream().map(r -> r.getMessage().getAuthorId()).toList());
                String text = found.getResultsList().stream().map(r -> where(r.getConversation(), names) + "  "
                        + line(r.getMessage(), names)).collect(Collectors.joining("\n"));
                if (!found.getNextPageToken().isEmpty()) {
                    text += "\n(more: --page " + found.getNextPageToken() + ")";
                }
                parley.output().print(found, text.isEmpty() ? "Nothing found." : text);
            }
        }

        /** "#design" for a group, "@ada" for a direct conversation. */
        private static String where(Conversation conversation, Names names) {
            return conversation.getKind() == ConversationKind.CONVERSATION_KIND_DIRECT
                    ? "@" + names.of(conversation.getOtherUserId()) : "#" + conversation.getTitle();
        }
    }

    /** "#12 05-14 09:30 ada: hello", with edits, tombstones, thread replies and reactions shown. */
    static String line(Message m, Names names) {
        String time = TIME.format(Instant.ofEpochSecond(m.getCreateTime().getSeconds()));
        String text = m.getDeleted() ? "(deleted)" : m.getText() + (m.hasEditTime() ? " (edited)" : "");
        String thread = m.getThreadRootId().isEmpty() ? "" : "  ↳ ";
        String replies = m.getReplyCount() > 0 ? "  [" + m.getReplyCount() + " replies]" : "";
        String files = m.getAttachmentsList().stream().map(a -> "  [file " + a.getName() + ", " + a.getSizeBytes()
                + " bytes, id " + a.getId() + "]").collect(Collectors.joining());
        String reactions = m.getReactionsList().stream().map(r -> r.getEmoji() + r.getCount())
                .collect(Collectors.joining(" "));
        return "#" + m.getSequence() + " " + time + thread + " " + names.of(m.getAuthorId()) + ": " + text + files
                + replies + (reactions.isEmpty() ? "" : "  " + reactions);
    }
}
