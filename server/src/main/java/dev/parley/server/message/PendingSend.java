package dev.parley.server.message;

import dev.parley.api.v1.Message;
import java.util.concurrent.CompletableFuture;

/**
 * A send waiting for its batch: since when (System.nanoTime), the answer its sender waits for, and whether it is
 * being sent again after a refusal that no longer held (once at most).
 */
record PendingSend(SendRequest request, long queuedAt, CompletableFuture<Message> answer, boolean sentAgain) {

    static PendingSend of(SendRequest request) {
        return new PendingSend(request, System.nanoTime(), new CompletableFuture<>(), false);
    }

    PendingSend again() {
        return new PendingSend(request, queuedAt, answer, true);
    }
}
