package dev.parley.server.message;

import dev.parley.api.v1.Message;
import dev.parley.server.common.ParleyException;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Where sends wait for their group commit. Each conversation belongs to a lane (one per node by default,
 * {@code PARLEY_SEND_LANES}); a lane's thread takes everything that queued while its previous batch committed and
 * commits it as the next batch. An idle lane commits a lone send at once, a busy one commits many per WAL flush, so
 * sends per second grow with load instead of queueing behind one commit each. One lane measured faster than two or
 * four on 2 cores (docs/benchmarks.md, "Issue 13"): parallel batches are smaller and cost the database more. A lane
 * holds one pooled connection at a time: however hard one conversation is hammered, sends use at most as many
 * connections as there are lanes, and everyone else's calls keep theirs.
 */
@ApplicationScoped
class SendLanes {

    private static final Logger LOG = Logger.getLogger(SendLanes.class);
    private static final int MAX_BATCH = 512;
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private final GroupCommit commit;
    private final SendFollowUps followUps;
    private final List<BlockingQueue<PendingSend>> queues = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stopping;

    SendLanes(GroupCommit commit, SendFollowUps followUps,
            @ConfigProperty(name = "parley.send.lanes", defaultValue = "1") int lanes) {
        this.commit = commit;
        this.followUps = followUps;
        if (lanes < 1) {
            throw new IllegalArgumentException("parley.send.lanes must be at least 1, not " + lanes);
        }
        for (int i = 0; i < lanes; i++) {
            BlockingQueue<PendingSend> queue = new LinkedBlockingQueue<>();
            queues.add(queue);
            threads.add(Thread.ofPlatform().name("parley-send-lane-" + i).daemon().start(() -> run(queue)));
        }
    }

    /** Queues the send for its conversation's lane; the answer completes once its batch has committed. */
    CompletableFuture<Message> submit(SendRequest request) {
        PendingSend pending = PendingSend.of(request);
        enqueue(pending);
        return pending.answer();
    }

    private void enqueue(PendingSend pending) {
        BlockingQueue<PendingSend> queue = queues.get(Math.floorMod(pending.request().conversationId().hashCode(),
                queues.size()));
        queue.add(pending);
        // Stopping meanwhile, the lane may have drained its queue for the last time: take it back and say so.
        if (stopping && queue.remove(pending)) {
            pending.answer().completeExceptionally(stoppingError());
        }
    }

    @PreDestroy
    void stop() {
        stopping = true;
        threads.forEach(Thread::interrupt);
        for (Thread thread : threads) {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void run(BlockingQueue<PendingSend> queue) {
        List<PendingSend> batch = new ArrayList<>();
        while (!stopping) {
            try {
                batch.add(queue.take());
                queue.drainTo(batch, MAX_BATCH - 1);
                commitAndAnswer(withoutOverdue(batch));
            } catch (InterruptedException e) {
                continue; // stopping is set before the lanes are interrupted
            } catch (Throwable e) {
                // Nothing may end the lane: the node's later sends would wait for it forever.
                LOG.errorf(e, "a lane failed a batch of %d sends", batch.size());
                batch.forEach(pending -> pending.answer().completeExceptionally(e));
            }
            batch.clear();
        }
        queue.drainTo(batch);
        batch.forEach(pending -> pending.answer().completeExceptionally(stoppingError()));
    }

    /**
     * Commits the batch and answers every send in it. A batch that failed fails its sends; once it has committed,
     * each send is answered on its own, so that nothing after the commit can report a written send as failed.
     */
    private void commitAndAnswer(List<PendingSend> batch) {
        if (batch.isEmpty()) {
            return;
        }
        SendBatch.Written written;
        try {
            written = commit.commit(batch.stream().map(PendingSend::request).toList());
        } catch (Exception e) {
            LOG.warnf("a batch of %d sends failed: %s", batch.size(), e);
            batch.forEach(pending -> pending.answer().completeExceptionally(e));
            return;
        }
        if (written == null) {
            retryAlone(batch);
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            answer(batch.get(i), written.outcomes().get(i), written.messages().get(i));
        }
    }

    /** A batch that kept changing under its checks: each send is committed on its own, so none holds up another. */
    private void retryAlone(List<PendingSend> batch) {
        if (batch.size() == 1) {
            batch.get(0).answer().completeExceptionally(busy());
            return;
        }
        withoutOverdue(batch).forEach(pending -> commitAndAnswer(List.of(pending)));
    }

    private void answer(PendingSend pending, SendBatch.Outcome outcome, Message message) {
        try {
            switch (outcome) {
                case SENT -> pending.answer().complete(message);
                case REPEATED -> followUps.repeated(pending);
                case REFUSED -> {
                    if (pending.sentAgain()) {
                        pending.answer().completeExceptionally(busy());
                    } else {
                        followUps.refused(pending, () -> enqueue(pending.again()));
                    }
                }
            }
        } catch (RuntimeException e) { // the follow-ups refused work: the server is stopping
            pending.answer().completeExceptionally(stoppingError());
        }
    }

    /** Sends that waited longer than anyone should are answered CONVERSATION_BUSY instead of being written late. */
    private static List<PendingSend> withoutOverdue(List<PendingSend> batch) {
        long oldest = System.nanoTime() - PATIENCE.toNanos();
        List<PendingSend> due = new ArrayList<>(batch.size());
        for (PendingSend pending : batch) {
            if (pending.queuedAt() - oldest < 0) {
                pending.answer().completeExceptionally(busy());
            } else {
                due.add(pending);
            }
        }
        return due;
    }

    private static ParleyException busy() {
        return ParleyException.unavailable("CONVERSATION_BUSY", "This conversation is taking more writes than "
                + "it can right now, retry shortly", Duration.ofMillis(500));
    }

    private static ParleyException stoppingError() {
        return ParleyException.unavailable("SERVER_STOPPING", "This server is stopping, retry", Duration.ofMillis(200));
    }
}
