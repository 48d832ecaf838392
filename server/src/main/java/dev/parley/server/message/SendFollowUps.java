package dev.parley.server.message;

import dev.parley.api.v1.Message;
import dev.parley.server.attachment.MessageAttachments;
import dev.parley.server.common.ErrorKind;
import dev.parley.server.common.ParleyException;
import dev.parley.server.conversation.Access;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The answers to sends a batch did not write, found after its commit and off the committing lane (they are rare,
 * and read with the ORM): a repeated send gets the earlier message, a refused one the reason it was refused.
 */
@ApplicationScoped
class SendFollowUps {

    private final MessageViews views;
    private final ExecutorService threads = Executors.newFixedThreadPool(2,
            Thread.ofPlatform().name("parley-send-follow-up-", 0).daemon().factory());

    SendFollowUps(MessageViews views) {
        this.views = views;
    }

    /** Lets the follow-ups already queued answer their sends; later ones are refused (SERVER_STOPPING). */
    @PreDestroy
    void stop() throws InterruptedException {
        threads.shutdown();
        threads.awaitTermination(5, TimeUnit.SECONDS);
    }

    /**
     * The message an earlier send with this client_message_id created, when this send is the same one; otherwise
     * ALREADY_EXISTS (reason CLIENT_MESSAGE_ID_REUSED).
     */
    void repeated(PendingSend pending) {
        threads.execute(() -> answer(pending, () -> QuarkusTransaction.requiringNew().call(() -> earlier(pending))));
    }

    /**
     * Why the send was refused: NOT_FOUND for an outsider, FAILED_PRECONDITION for an archived conversation,
     * INVALID_ARGUMENT for a reply to a message of another conversation. When nothing is wrong any more (the author
     * was added back meanwhile), {@code again} sends it once more.
     */
    void refused(PendingSend pending, Runnable again) {
        threads.execute(() -> {
            try {
                QuarkusTransaction.requiringNew().run(() -> explainRefusal(pending.request()));
                again.run();
            } catch (RuntimeException e) {
                pending.answer().completeExceptionally(e);
            }
        });
    }

    private Message earlier(PendingSend pending) {
        SendRequest send = pending.request();
        ChatMessage earlier = ChatMessage.<ChatMessage>find("authorId = ?1 and clientMessageId = ?2", send.authorId(),
                send.clientMessageId()).firstResult();
        if (earlier == null) {
            // Repeated within a batch that was then refused: the first of the two was not written either.
            explainRefusal(send);
            throw ParleyException.unavailable("CONVERSATION_BUSY", "Retry this send", Duration.ofMillis(200));
        }
        boolean same = earlier.conversationId.equals(send.conversationId())
                && Objects.equals(earlier.replyToId, send.replyToId())
                && (earlier.deleted() || Objects.equals(earlier.text, send.text()) || earlier.editedAt != null);
        if (!same) {
            throw ParleyException.of(ErrorKind.ALREADY_EXISTS, "CLIENT_MESSAGE_ID_REUSED",
                    "client_message_id was already used for a different message");
        }
        Access.asMember(send.authorId(), send.conversationId());
        return views.of(earlier, send.authorId());
    }

    /**
     * Throws what a refused send is answered. A reply to a message that is not this conversation's tells an outsider
     * of the conversation only that (NOT_FOUND), so that a reply cannot be used to probe whether a message exists.
     */
    private static void explainRefusal(SendRequest send) {
        Access access = Access.asMember(send.authorId(), send.conversationId());
        if (send.replyToId() != null) {
            ChatMessage parent = ChatMessage.findById(send.replyToId());
            if (parent == null || !parent.conversationId.equals(send.conversationId())) {
                throw ParleyException.invalid("INVALID_FIELDS", "reply_to_message_id",
                        "is not a message of this conversation");
            }
        }
        access.writable();
        MessageAttachments.requireSendable(ChatMessage.getEntityManager(), send.authorId(), send.conversationId(),
                send.attachmentIds());
    }

    private static void answer(PendingSend pending, Supplier<Message> lookup) {
        try {
            pending.answer().complete(lookup.get());
        } catch (RuntimeException e) {
            pending.answer().completeExceptionally(e);
        }
    }
}
