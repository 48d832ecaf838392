package dev.parley.server.message;

import dev.parley.api.v1.Message;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import java.util.concurrent.CompletionException;

/** Sending on someone's behalf from inside the server (a bot's webhook reply), with the checks of any send. */
@ApplicationScoped
public class Posting {

    private final Messages messages;

    Posting(Messages messages) {
        this.messages = messages;
    }

    /** Sends as the author; the same client_message_id twice gives one message. */
    public Message post(UUID authorId, UUID conversationId, String clientMessageId, String text) {
        try {
            return messages.send(authorId, conversationId, clientMessageId, text, null, java.util.List.of()).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }
}
