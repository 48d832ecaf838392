package dev.parley.cli;

import dev.parley.api.v1.Conversation;
import dev.parley.api.v1.ConversationEvent;
import dev.parley.api.v1.StreamEventsResponse;
import dev.parley.client.EventListener;
import dev.parley.client.ParleyException;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** tail: the live stream as a terminal chat, reconnecting by itself. */
@Command(name = "tail", description = "Follow conversations live (all of yours, or one): messages, edits, reactions, "
        + "typing and presence. Reconnects by itself; Ctrl-C to stop.")
final class TailCommand implements Runnable {

    @ParentCommand
    Parley parley;
    @Parameters(index = "0", arity = "0..1", description = "Only this conversation: id, title or @username.")
    String conversation;
    @Option(names = "--count", paramLabel = "N", description = "Stop after N messages (for scripts).")
    Integer count;

    @Override
    public void run() {
        try (var client = parley.client()) {
            String only = conversation == null ? null : ConversationRefs.resolve(client, conversation);
            Names names = new Names(client);
            Map<String, String> titles = new java.util.concurrent.ConcurrentHashMap<>();
            ConversationRefs.mine(client).forEach(c -> titles.put(c.getId(), ConversationRefs.label(c, names)));
            CountDownLatch done = new CountDownLatch(1);
            AtomicInteger messages = new AtomicInteger();
            Output output = parley.output();
            try (var stream = client.subscribe(Map.of(), new EventListener() {
                @Override
                public void onEvent(StreamEventsResponse item) {
                    String conversationId = conversationOf(item);
                    if (only != null && conversationId != null && !only.equals(conversationId)) {
                        return;
                    }
                    if (item.hasConversationAdded()) {
                        var added = item.getConversationAdded().getConversation();
                        titles.put(added.getId(), ConversationRefs.label(added, names));
                    }
                    String text = describe(item, names, titles);
                    if (output.json && !item.hasHeartbeat()) {
                        parley.out.println(Output.toJson(item));
                    } else if (text != null) {
                        parley.out.println(text);
                    }
                    if (item.hasConversationEvent() && item.getConversationEvent().hasMessageSent()
                            && count != null && messages.incrementAndGet() >= count) {
                        done.countDown();
                    }
                }

                @Override
                public void onLive() {
                    output.text("-- live --");
                }

                @Override
                public void onDisconnected(ParleyException cause) {
                    output.text("-- connection lost (" + cause.code() + "), reconnecting --");
                }

                @Override
                public void onClosed(ParleyException cause) {
                    output.text("-- session ended: " + cause.reason() + " --");
                    done.countDown();
                }
            })) {
                done.await();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String conversationOf(StreamEventsResponse item) {
        return switch (item.getEventCase()) {
            case CONVERSATION_EVENT -> item.getConversationEvent().getConversationId();
            case TYPING -> item.getTyping().getConversationId();
            case READ_POSITION_CHANGED -> item.getReadPositionChanged().getConversationId();
            default -> null;
        };
    }

    private static String describe(StreamEventsResponse item, Names names, Map<String, String> titles) {
        return switch (item.getEventCase()) {
            case CONVERSATION_EVENT -> event(item.getConversationEvent(), names,
                    titles.getOrDefault(item.getConversationEvent().getConversationId(), "?"));
            case TYPING -> titles.getOrDefault(item.getTyping().getConversationId(), "?") + " "
                    + names.of(item.getTyping().getUserId()) + " is typing…";
            case PRESENCE_CHANGES -> item.getPresenceChanges().getPresencesList().stream()
                    .map(p -> names.of(p.getUserId()) + " is " + p.getState().name().replace("PRESENCE_STATE_", "")
                            .toLowerCase().replace('_', ' '))
                    .collect(java.util.stream.Collectors.joining(", "));
            case CONVERSATION_ADDED -> added(item.getConversationAdded().getConversation(), titles);
            case CONVERSATION_REMOVED -> "left " + titles.getOrDefault(
                    item.getConversationRemoved().getConversationId(),
                    "a conversation");
            default -> null;
        };
    }

    /** Someone started a direct conversation with you, or you joined (or were added to) a group. */
    private static String added(Conversation conversation, Map<String, String> titles) {
        String label = titles.get(conversation.getId());
        return conversation.getOtherUserId().isEmpty() ? "joined " + label : "new direct conversation " + label;
    }

    private static String event(ConversationEvent event, Names names, String title) {
        String actor = names.of(event.getActorId());
        return switch (event.getChangeCase()) {
            case MESSAGE_SENT -> title + " " + MessageCommands.line(event.getMessageSent(), names);
            case MESSAGE_EDITED -> title + " " + actor + " edited #" + event.getMessageEdited().getSequence() + ": "
                    + event.getMessageEdited().getText();
            case MESSAGE_DELETED -> title + " " + actor + " deleted a message";
            case REACTION_ADDED -> title + " " + actor + " reacted " + event.getReactionAdded().getEmoji();
            case MEMBER_JOINED -> title + " " + names.of(event.getMemberJoined().getUserId()) + " joined";
            case MEMBER_LEFT -> title + " " + names.of(event.getMemberLeft().getUserId()) + " left";
            case MEMBER_REMOVED -> title + " " + actor + " removed " + names.of(event.getMemberRemoved().getUserId());
            default -> null;
        };
    }
}
