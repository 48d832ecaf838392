package dev.parley.server.live;

import dev.parley.api.v1.ConversationRemoved;
import dev.parley.api.v1.StreamEventsResponse;
import dev.parley.server.auth.Caller;
import dev.parley.server.common.ErrorKind;
import dev.parley.server.common.ParleyException;
import dev.parley.server.log.EventLog;
import io.grpc.stub.ServerCallStreamObserver;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * How a stream opens. It listens first and reads second: the stream follows every conversation (live events
 * wait), then the replay is read from PostgreSQL, then the waiting live events go out after it with duplicates
 * dropped. An event committed while this happens is therefore in the replay, in the live feed, or in both, and
 * never in neither.
 */
@ApplicationScoped
class StreamOpening {

    private final StreamHub hub;
    private final ConversationCatalog catalog;
    private final EventLog log;
    private final StreamConfig config;
    private final Acknowledgements acknowledgements;
    private final DeliveryLanes lanes;
    private final StreamMetrics metrics;

    StreamOpening(StreamHub hub, ConversationCatalog catalog, EventLog log, StreamConfig config,
            Acknowledgements acknowledgements, DeliveryLanes lanes, StreamMetrics metrics) {
        this.hub = hub;
        this.metrics = metrics;
        this.lanes = lanes;
        this.catalog = catalog;
        this.log = log;
        this.config = config;
        this.acknowledgements = acknowledgements;
    }

    /**
     * Opens the caller's stream from the positions given (and, when asked, those the account acknowledged), and
     * returns once it is live: replays sent, StreamReady queued. Refusals are thrown before anything is sent.
     */
    void open(Caller caller, Map<UUID, Long> positions, boolean resumeFromAcknowledged,
            ServerCallStreamObserver<StreamEventsResponse> out) {
        if (hub.draining()) {
            throw ParleyException.unavailable("SERVER_STOPPING", "This server is stopping, connect to another replica",
                    java.time.Duration.ofMillis(200));
        }
        if (resumeFromAcknowledged) {
            acknowledgements.of(caller.accountId()).forEach(positions::putIfAbsent);
        }
        Set<UUID> mine = QuarkusTransaction.requiringNew().call(() -> catalog.conversationsOf(caller.accountId()));
        if (!positions.isEmpty()) {
            checkReplayable(positions, mine);
            metrics.resumed();
        }

        EventStream stream = new EventStream(caller.accountId(), caller.sessionId(), out, metrics, hub,
                config.bufferSize(), lanes.assign());
        out.setOnCancelHandler(stream::cancelled);
        out.setOnReadyHandler(stream::drain);
        hub.register(stream, config.maxStreamsPerAccount());
        try {
            follow(stream, mine, positions);
        } catch (RuntimeException e) {
            // registered already: end it (which releases it) rather than leave a stream nobody writes to
            org.jboss.logging.Logger.getLogger(StreamOpening.class).warnf("A stream could not open: %s", e.toString());
            stream.fail(e instanceof ParleyException known ? known : ParleyException.unavailable("STREAM_FAILED",
                    "The stream could not open, retry", java.time.Duration.ofSeconds(1)));
        }
    }

    /** Follows the conversations, replays or starts each live, then marks the stream ready. */
    private void follow(EventStream stream, Set<UUID> mine, Map<UUID, Long> positions) {
        mine.forEach(id -> stream.follow(id, positions.getOrDefault(id, 0L)));
        Map<UUID, Long> listeningFrom = heads(mine);
        mine.forEach(id -> hub.attach(stream, id, listeningFrom.get(id)));
        pauseForTests();
        try {
            for (UUID id : mine) {
                if (positions.containsKey(id)) {
                    hub.replay(stream, id, positions.get(id));
                } else {
                    stream.liveFrom(id, listeningFrom.get(id));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stream.fail(ParleyException.of(ErrorKind.UNAVAILABLE, "SERVER_STOPPING", "Retry"));
            return;
        }
        positions.keySet().stream().filter(id -> !mine.contains(id)).forEach(id -> stream.offerState(
                StreamEventsResponse.newBuilder().setConversationRemoved(ConversationRemoved.newBuilder()
                        .setConversationId(id.toString())).build()));
        hub.sendPresenceSnapshot(stream, mine);
        stream.ready();
    }

    /**
     * A position the log no longer replays (further back than the replay limit, or before what the retention has
     * purged), or one past its end, is refused before anything is sent.
     */
    private void checkReplayable(Map<UUID, Long> positions, Set<UUID> mine) {
        Set<UUID> resumed = positions.keySet().stream().filter(mine::contains).collect(Collectors.toSet());
        if (resumed.isEmpty()) {
            return;
        }
        record Bounds(Map<UUID, Long> heads, Map<UUID, Long> purged) {
        }
        Bounds bounds = QuarkusTransaction.requiringNew().call(() ->
                new Bounds(log.heads(resumed), log.purgedThrough(resumed)));
        List<UUID> expired = resumed.stream().filter(id -> bounds.heads().containsKey(id)
                && (bounds.heads().get(id) - positions.get(id) > config.replayLimit()
                        || positions.get(id) < bounds.purged().getOrDefault(id, 0L))).toList();
        if (!expired.isEmpty()) {
            metrics.expired();
            throw EventLog.expired(expired);
        }
        resumed.forEach(id -> {
            if (bounds.heads().containsKey(id) && positions.get(id) > bounds.heads().get(id)) {
                throw ParleyException.invalid("INVALID_FIELDS", "positions", "conversation " + id
                        + " has no event " + positions.get(id) + " yet");
            }
        });
    }

    private Map<UUID, Long> heads(Set<UUID> conversations) {
        return conversations.isEmpty() ? Map.of()
                : QuarkusTransaction.requiringNew().call(() -> log.heads(conversations));
    }

    private void pauseForTests() {
        if (!config.backfillDelay().isZero()) {
            try {
                Thread.sleep(config.backfillDelay());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
