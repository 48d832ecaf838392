package dev.parley.server.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Writers to one conversation never overlap on a node; writers to other conversations do not wait for them. */
class WriterTurnsTest {

    private final WriterTurns turns = new WriterTurns();

    @Test
    void writersToOneConversationTakeTurns() throws Exception {
        UUID conversation = UUID.randomUUID();
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        ExecutorService writers = Executors.newFixedThreadPool(16);
        List<Future<Integer>> done = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            int n = i;
            done.add(writers.submit(() -> turns.inTurn(conversation, () -> {
                most.accumulateAndGet(inside.incrementAndGet(), Math::max);
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                inside.decrementAndGet();
                return n;
            })));
        }
        for (Future<Integer> write : done) {
            write.get(30, TimeUnit.SECONDS);
        }
        writers.shutdown();
        assertThat(most.get()).as("writers inside at once").isEqualTo(1);
    }

    @Test
    void aWriterToAnotherConversationDoesNotWait() throws Exception {
        UUID busy = new UUID(0, 1);
        UUID other = new UUID(0, 2); // another stripe: UUID hash codes 1 and 2
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService writers = Executors.newFixedThreadPool(2);
        Future<?> held = writers.submit(() -> turns.inTurn(busy, () -> {
            holding.countDown();
            try {
                return release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }));
        holding.await(10, TimeUnit.SECONDS);
        assertThat(writers.submit(() -> turns.inTurn(other, () -> "written")).get(5, TimeUnit.SECONDS))
                .isEqualTo("written");
        release.countDown();
        held.get(10, TimeUnit.SECONDS);
        writers.shutdown();
    }
}
