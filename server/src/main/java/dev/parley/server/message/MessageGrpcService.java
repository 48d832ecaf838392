package dev.parley.server.message;

import static dev.parley.server.grpc.Replies.reply;

import dev.parley.api.v1.AddReactionRequest;
import dev.parley.api.v1.AddReactionResponse;
import dev.parley.api.v1.DeleteMessageRequest;
import dev.parley.api.v1.DeleteMessageResponse;
import dev.parley.api.v1.EditMessageRequest;
import dev.parley.api.v1.EditMessageResponse;
import dev.parley.api.v1.GetMessageRequest;
import dev.parley.api.v1.GetMessageResponse;
import dev.parley.api.v1.ListMessagesRequest;
import dev.parley.api.v1.ListMessagesResponse;
import dev.parley.api.v1.ListThreadRequest;
import dev.parley.api.v1.ListThreadResponse;
import dev.parley.api.v1.MarkReadRequest;
import dev.parley.api.v1.MarkReadResponse;
import dev.parley.api.v1.MessageServiceGrpc;
import dev.parley.api.v1.RemoveReactionRequest;
import dev.parley.api.v1.RemoveReactionResponse;
import dev.parley.api.v1.SearchMessagesRequest;
import dev.parley.api.v1.SearchMessagesResponse;
import dev.parley.api.v1.SendMessageRequest;
import dev.parley.api.v1.SendMessageResponse;
import dev.parley.server.auth.Caller;
import dev.parley.server.common.Ids;
import dev.parley.server.common.ParleyException;
import dev.parley.server.grpc.ErrorMapping;
import dev.parley.server.grpc.PageTokens;
import dev.parley.server.grpc.ServiceDefinitions;
import dev.parley.server.search.SearchQueryParser;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.common.annotation.NonBlocking;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionException;

/** MessageService over gRPC: parses, calls the domain, maps. */
@GrpcService
@Blocking
class MessageGrpcService extends MessageServiceGrpc.MessageServiceImplBase {

    /** The generated definition, with the house's request parsing (malformed requests: INVALID_ARGUMENT). */
    @Override
    public ServerServiceDefinition bindService() {
        return ServiceDefinitions.standard(super.bindService());
    }

    private final Messages messages;
    private final Reactions reactions;
    private final History history;
    private final ReadMarkers readMarkers;
    private final Searches searches;

    MessageGrpcService(Messages messages, Reactions reactions, History history, ReadMarkers readMarkers,
            Searches searches) {
        this.messages = messages;
        this.reactions = reactions;
        this.history = history;
        this.readMarkers = readMarkers;
        this.searches = searches;
    }

    /**
     * Not blocking: it queues the send and returns; the send waits for its group commit without holding a thread
     * and is answered from the lane. Starting on a worker thread, as the other calls here do, cost 50 to 90 µs of
     * server CPU per send (docs/benchmarks.md, "Issue 13").
     */
    @Override
    @NonBlocking
    public void sendMessage(SendMessageRequest request, StreamObserver<SendMessageResponse> response) {
        UUID replyTo = request.getReplyToMessageId().isEmpty() ? null
                : Ids.require(request.getReplyToMessageId(), "reply_to_message_id");
        List<UUID> attachments = new ArrayList<>(request.getAttachmentIdsCount());
        for (int i = 0; i < request.getAttachmentIdsCount(); i++) {
            attachments.add(Ids.require(request.getAttachmentIds(i), "attachment_ids[" + i + "]"));
        }
        messages.send(me(), conversationId(request.getConversationId()), request.getClientMessageId(),
                request.getText(), replyTo, attachments).whenComplete((sent, failure) -> {
                    if (failure == null) {
                        reply(response, SendMessageResponse.newBuilder().setMessage(sent).build());
                    } else {
                        response.onError(ErrorMapping.toStatusException(
                                failure instanceof CompletionException wrapped ? wrapped.getCause() : failure));
                    }
                });
    }

    @Override
    public void editMessage(EditMessageRequest request, StreamObserver<EditMessageResponse> response) {
        reply(response, EditMessageResponse.newBuilder()
                .setMessage(messages.edit(me(), messageId(request.getMessageId()), request.getText())).build());
    }

    @Override
    public void deleteMessage(DeleteMessageRequest request, StreamObserver<DeleteMessageResponse> response) {
        reply(response, DeleteMessageResponse.newBuilder()
                .setMessage(messages.delete(me(), messageId(request.getMessageId()))).build());
    }

    @Override
    public void addReaction(AddReactionRequest request, StreamObserver<AddReactionResponse> response) {
        reply(response, AddReactionResponse.newBuilder()
                .setMessage(reactions.add(me(), messageId(request.getMessageId()), request.getEmoji())).build());
    }

    @Override
    public void removeReaction(RemoveReactionRequest request, StreamObserver<RemoveReactionResponse> response) {
        reply(response, RemoveReactionResponse.newBuilder()
                .setMessage(reactions.remove(me(), messageId(request.getMessageId()), request.getEmoji())).build());
    }

    @Override
    public void listMessages(ListMessagesRequest request, StreamObserver<ListMessagesResponse> response) {
        int pageSize = PageTokens.pageSize(request.getPageSize(), 50, 200);
        Long before = request.hasBeforeSequence() ? nonNegative(request.getBeforeSequence(), "before_sequence") : null;
        Long after = request.hasAfterSequence() ? nonNegative(request.getAfterSequence(), "after_sequence") : null;
        var page = history.list(me(), conversationId(request.getConversationId()), before, after, pageSize);
        reply(response, ListMessagesResponse.newBuilder().addAllMessages(page.messages())
                .setHasMore(page.hasMore()).build());
    }

    @Override
    public void listThread(ListThreadRequest request, StreamObserver<ListThreadResponse> response) {
        var thread = history.thread(me(), messageId(request.getMessageId()),
                nonNegative(request.getAfterSequence(), "after_sequence"),
                PageTokens.pageSize(request.getPageSize(), 50, 200));
        reply(response, ListThreadResponse.newBuilder().setRoot(thread.root()).addAllReplies(thread.replies())
                .setHasMore(thread.hasMore()).build());
    }

    @Override
    public void getMessage(GetMessageRequest request, StreamObserver<GetMessageResponse> response) {
        reply(response, GetMessageResponse.newBuilder()
                .setMessage(history.get(me(), messageId(request.getMessageId()))).build());
    }

    @Override
    public void markRead(MarkReadRequest request, StreamObserver<MarkReadResponse> response) {
        var position = readMarkers.markRead(me(), conversationId(request.getConversationId()),
                request.getUpToSequence());
        reply(response, MarkReadResponse.newBuilder().setReadSequence(position.readSequence())
                .setUnreadCount(position.unread()).build());
    }

    @Override
    public void searchMessages(SearchMessagesRequest request, StreamObserver<SearchMessagesResponse> response) {
        int pageSize = PageTokens.pageSize(request.getPageSize(), 20, 100);
        UUID conversationId = request.getConversationId().isEmpty() ? null
                : conversationId(request.getConversationId());
        var query = SearchQueryParser.parse(request.getQuery(), zone(request.getTimeZone()));
        var page = searches.search(me(), query, conversationId, request.getOrder(), new Searches.Asked(
                request.getQuery(), request.getConversationId(), request.getTimeZone()), request.getPageToken(),
                pageSize);
        reply(response, SearchMessagesResponse.newBuilder().addAllResults(page.results())
                .setNextPageToken(page.nextPageToken()).setOrder(page.order()).build());
    }

    private static ZoneId zone(String name) {
        if (name.isEmpty()) {
            return ZoneOffset.UTC;
        }
        try {
            return ZoneId.of(name);
        } catch (DateTimeException e) {
            throw ParleyException.invalid("INVALID_FIELDS", "time_zone", "must be an IANA time zone such as "
                    + "Europe/Paris, or empty for UTC");
        }
    }

    private static long nonNegative(long value, String field) {
        if (value < 0) {
            throw ParleyException.invalid("INVALID_FIELDS", field, "must not be negative");
        }
        return value;
    }

    private static UUID me() {
        return Caller.current().accountId();
    }

    private static UUID conversationId(String text) {
        return Ids.require(text, "conversation_id");
    }

    private static UUID messageId(String text) {
        return Ids.require(text, "message_id");
    }
}
