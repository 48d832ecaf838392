package dev.parley.server.log;

import dev.parley.server.common.ParleyException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Writers to one conversation take turns on this node before they start their transaction, not only at the
 * conversation row's lock inside it. Without this, a burst of sends to one busy conversation each took a pooled
 * database connection and waited on the row lock holding it, until the pool was empty and sends everywhere failed
 * with DATABASE_UNAVAILABLE (fan-out benchmark, 200 members at 200 msgs/s). Now one of them holds a connection and
 * the others wait in memory, in arrival order; nodes still take turns with each other at the row lock.
 *
 * <p>Turns are striped: conversations that share a stripe share turns, which is rare and costs only waiting.
 */
@ApplicationScoped
public class WriterTurns {

    private static final int STRIPES = 1024;
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];

    WriterTurns() {
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new ReentrantLock(true);
        }
    }

    /**
     * Runs the write (which starts its own transaction) in the conversation's turn. Waiting longer than 10 s is
     * answered UNAVAILABLE, reason CONVERSATION_BUSY, with a retry delay: nothing was written.
     */
    public <T> T inTurn(UUID conversationId, Supplier<T> write) {
        ReentrantLock turn = stripes[Math.floorMod(conversationId.hashCode(), STRIPES)];
        try {
            if (!turn.tryLock(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)) {
                throw ParleyException.unavailable("CONVERSATION_BUSY", "This conversation is taking more writes than "
                        + "it can right now, retry shortly", Duration.ofMillis(500));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ParleyException.unavailable("SERVER_STOPPING", "This server is stopping, retry",
                    Duration.ofMillis(200));
        }
        try {
            return write.get();
        } finally {
            turn.unlock();
        }
    }
}
