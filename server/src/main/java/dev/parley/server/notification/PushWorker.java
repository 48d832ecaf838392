package dev.parley.server.notification;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.SQLException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Runs the push outbox on every node: each round moves queued messages to devices' notifications until none is
 * left ({@link PushExpansion}), then pushes what is due ({@link PushDelivery}). Rounds follow each other without
 * a pause while there is work, and every poll interval otherwise. Any node takes any row, so a node going down
 * delays nothing for long.
 */
@ApplicationScoped
class PushWorker {

    private static final Logger LOG = Logger.getLogger(PushWorker.class);

    private final PushExpansion expansion;
    private final PushDelivery delivery;
    private final NotificationConfig config;
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("parley-push-worker").daemon().factory());

    PushWorker(PushExpansion expansion, PushDelivery delivery, NotificationConfig config) {
        this.expansion = expansion;
        this.delivery = delivery;
        this.config = config;
    }

    void start(@Observes StartupEvent started) {
        long every = config.pollInterval().toMillis();
        poller.scheduleWithFixedDelay(this::round, every, every, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        poller.shutdownNow();
    }

    private void round() {
        try {
            boolean busy = true;
            while (busy && !Thread.currentThread().isInterrupted()) {
                int expanded = expansion.expandBatch();
                int pushed = delivery.deliverBatch();
                busy = expanded == PushExpansion.BATCH || pushed == config.batchSize();
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("push round failed: %s", e.toString()); // the next round tries again
        }
    }
}
