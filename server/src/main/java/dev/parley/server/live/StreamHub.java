package dev.parley.server.live;

import dev.parley.api.v1.ConversationAdded;
import dev.parley.api.v1.ConversationEvent;
import dev.parley.api.v1.Heartbeat;
import dev.parley.api.v1.Presence;
import dev.parley.api.v1.ReadPositionChanged;
import dev.parley.api.v1.StreamEventsResponse;
import dev.parley.api.v1.Typing;
import dev.parley.server.common.ParleyException;
import dev.parley.server.log.EventLog;
import dev.parley.server.grpc.ProtoTime;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.Vertx;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;

/**
 * This node's open streams and, per conversation followed by at least one of them, a {@link Feed}. Everything the
 * node bus brings is routed here: log events to feeds, typing to a conversation's streams, presence to the streams
 * that share a conversation with the person, read positions to the person's own streams.
 */
@ApplicationScoped
public class StreamHub implements Notices, StreamExits {

    private static final Logger LOG = Logger.getLogger(StreamHub.class);
    private static final int PAGE = 500;
    private static final long SUBSCRIBED_RECHECK_MILLIS = 1000;

    private final Map<UUID, Feed> feeds = new ConcurrentHashMap<>();
    private final Map<UUID, Set<EventStream>> byUser = new ConcurrentHashMap<>();
    private final Set<EventStream> streams = ConcurrentHashMap.newKeySet();
    private final ExecutorService readers = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("stream-reader-", 0).factory());
    private final EventLog log;
    private final ConversationCatalog catalog;
    private final StreamConfig config;
    private final Vertx vertx;
    private final Clock clock;
    private final List<StreamListener> listeners;

    private final StreamMetrics metrics;
    private final DeliveryLanes lanes;
    private final PresenceSource presenceSource;
    private final EventFanout fanout;
    private PresenceBatches presenceBatches;

    StreamHub(EventLog log, ConversationCatalog catalog, StreamConfig config, Vertx vertx, Clock clock,
            jakarta.enterprise.inject.Instance<StreamListener> listeners, StreamMetrics metrics, DeliveryLanes lanes,
            PresenceSource presenceSource, EventFanout fanout) {
        this.fanout = fanout;
        this.metrics = metrics;
        this.lanes = lanes;
        this.presenceSource = presenceSource;
        this.log = log;
        this.catalog = catalog;
        this.config = config;
        this.vertx = vertx;
        this.clock = clock;
        this.listeners = listeners.stream().toList();
        this.typingCoalescer = new TypingCoalescer(config.typingInterval());
    }

    private void registerGauges() {
        io.micrometer.core.instrument.Gauge.builder("parley.streams.open", streams, Set::size)
                .description("Client streams open on this node").register(metrics.registry());
        io.micrometer.core.instrument.Gauge.builder("parley.feeds.open", feeds, Map::size)
                .description("Conversations this node's streams follow").register(metrics.registry());
    }

    @PostConstruct
    void start() {
        registerGauges();
        presenceBatches = new PresenceBatches(feeds::get, lanes, metrics, config.presenceInterval());
        fanout.onReconnect(this::catchUp);
        vertx.setPeriodic(config.heartbeatInterval().toMillis(), t -> {
            StreamEventsResponse beat = StreamEventsResponse.newBuilder()
                    .setHeartbeat(Heartbeat.newBuilder().setTime(ProtoTime.of(clock.instant()))).build();
            streams.forEach(stream -> stream.offerEphemeral(beat));
        });
    }

    private volatile boolean draining;
    private final TypingCoalescer typingCoalescer;

    /**
     * Counts a new stream in, or refuses it (RESOURCE_EXHAUSTED, TOO_MANY_STREAMS) when its account has
     * {@code limit} open on this node already: the new one is refused, the open ones are left alone.
     */
    void register(EventStream stream, int limit) {
        boolean first;
        synchronized (byUser) {
            Set<EventStream> own = byUser.computeIfAbsent(stream.userId, u -> ConcurrentHashMap.newKeySet());
            if (own.size() >= limit) {
                throw ParleyException.throttled("TOO_MANY_STREAMS", "This account has " + own.size()
                        + " event streams open on this server, the most it may; close one (each device needs only"
                        + " one) and retry", java.time.Duration.ofSeconds(5));
            }
            streams.add(stream);
            first = own.isEmpty();
            own.add(stream);
            if (first) {
                fanout.followPerson(stream.userId, this);
            }
            // inside the lock: a closing and an opening stream of one person must tell presence in their order
            listeners.forEach(l -> l.streamOpened(stream.userId, first));
        }
    }

    /** Frees everything the stream held: feeds with no stream left go too. Safe to call more than once. */
    @Override
    public void ended(EventStream stream) {
        if (!streams.remove(stream)) {
            return;
        }
        stream.following().forEach(conversationId -> unfollowed(stream, conversationId));
        boolean last = false;
        synchronized (byUser) {
            Set<EventStream> own = byUser.get(stream.userId);
            if (own != null) {
                own.remove(stream);
                if (own.isEmpty()) {
                    byUser.remove(stream.userId, own);
                    fanout.unfollowPerson(stream.userId);
                    last = true;
                }
            }
            boolean wasLast = last;
            listeners.forEach(l -> l.streamClosed(stream.userId, wasLast));
        }
    }

    /** Starts delivering a conversation's live events to the stream; a new feed starts at the log head. */
    void attach(EventStream stream, UUID conversationId, long head) {
        Feed feed;
        synchronized (this) {
            if (!streams.contains(stream)) {
                return; // released meanwhile (the client went away while it was opening): nothing to follow for
            }
            feed = feeds.get(conversationId);
            if (feed == null) {
                feed = newFeed(conversationId);
                feeds.put(conversationId, feed);
                subscribe(feed); // once the feed is in the map, so that no notice finds the node without it
            }
            feed.streams.add(stream);
        }
        feed.startAt(head);
        feed.presence.loadOnce(() -> QuarkusTransaction.requiringNew().call(() -> catalog.membersOf(conversationId)),
                presenceSource::presenceOf);
    }

    /**
     * Sends the stream the presence of the conversations' members who are not offline, from what this node knows
     * (the conversations must be attached). Changes after this come in {@link PresenceBatches}.
     */
    void sendPresenceSnapshot(EventStream stream, Collection<UUID> conversations) {
        Map<UUID, Presence> snapshot = new java.util.LinkedHashMap<>();
        for (UUID conversationId : conversations) {
            Feed feed = feeds.get(conversationId);
            if (feed != null) {
                feed.presence.addOnlineTo(snapshot);
            }
        }
        for (StreamEventsResponse item : PresenceBatches.items(snapshot.values())) {
            stream.offerState(item);
            metrics.presenceSent(item);
        }
    }

    private Feed newFeed(UUID conversationId) {
        if (!lanes.enabled()) {
            return new Feed(conversationId, this::readAfter, readers);
        }
        var streams = new java.util.concurrent.CopyOnWriteArraySet<EventStream>();
        return new Feed(conversationId, streams, this::readAfter, readers,
                event -> lanes.deliver(conversationId, event, streams));
    }

    /**
     * A new feed: the node subscribes to its channel. Notices published
     * before the subscription is in force are missed, so once it is sent and the feed has started (and again a
     * second later: Redis applies a subscription a moment after it is sent) the feed reads what it may have
     * missed, as after a lost bus connection.
     */
    private void subscribe(Feed feed) {
        fanout.follow(feed.conversationId, this).thenRun(() -> {
            feed.subscribed();
            vertx.setTimer(SUBSCRIBED_RECHECK_MILLIS, t -> feed.catchUp());
        });
    }

    /** The stream stopped following the conversation; a feed with no stream left goes, and its channel. */
    @Override
    public synchronized void unfollowed(EventStream stream, UUID conversationId) {
        Feed feed = feeds.get(conversationId);
        if (feed != null) {
            feed.streams.remove(stream);
            if (feed.streams.isEmpty()) {
                feeds.remove(conversationId);
                fanout.unfollow(conversationId);
            }
        }
    }

    @Override
    public void onLogEvent(ConversationEvent event) {
        metrics.received(event);
        UUID conversationId = UUID.fromString(event.getConversationId());
        Feed feed = feeds.get(conversationId);
        if (feed == null) {
            metrics.unfollowedNotice();
            return;
        }
        feed.offer(event);
        if (event.hasMemberJoined()) {
            UUID joined = UUID.fromString(event.getMemberJoined().getUserId());
            readers.execute(() -> {
                Map<UUID, Presence> learned = presenceOf(joined);
                feed.presence.joined(learned);
                // the members take anyone not listed as offline: an online newcomer is news to them
                learned.values().stream()
                        .filter(p -> p.getState() != dev.parley.api.v1.PresenceState.PRESENCE_STATE_OFFLINE)
                        .forEach(p -> presenceBatches.add(p, conversationId));
            });
        } else if (event.hasMemberLeft()) {
            feed.presence.left(UUID.fromString(event.getMemberLeft().getUserId()));
        } else if (event.hasMemberRemoved()) {
            feed.presence.left(UUID.fromString(event.getMemberRemoved().getUserId()));
        }
    }

    /** A person streaming here joined a conversation: each of their streams not yet following it starts to. */
    @Override
    public void onJoined(ConversationEvent event) {
        UUID conversationId = UUID.fromString(event.getConversationId());
        UUID joined = UUID.fromString(event.getMemberJoined().getUserId());
        for (EventStream stream : byUser.getOrDefault(joined, Set.of())) {
            if (!stream.follows(conversationId)) {
                readers.execute(() -> followNew(stream, conversationId, event.getSequence() - 1));
            }
        }
    }

    private Map<UUID, Presence> presenceOf(UUID userId) {
        try {
            return presenceSource.presenceOf(Set.of(userId));
        } catch (RuntimeException e) {
            return Map.of(); // learned with their next change instead
        }
    }

    @Override
    public void onTyping(Typing typing) {
        Feed feed = feeds.get(UUID.fromString(typing.getConversationId()));
        if (feed == null) {
            metrics.unfollowedNotice();
        } else if (typingCoalescer.passes(typing.getUserId(), typing.getConversationId())) {
            StreamEventsResponse item = StreamEventsResponse.newBuilder().setTyping(typing).build();
            feed.streams.stream().filter(s -> !s.userId.toString().equals(typing.getUserId()))
                    .forEach(s -> s.offerEphemeral(item));
        }
    }

    /** A member's presence changed: the room here remembers it, its streams get it with the next batch. */
    @Override
    public void onPresence(Presence presence, UUID conversationId) {
        Feed feed = feeds.get(conversationId);
        if (feed == null) {
            metrics.unfollowedNotice();
            return;
        }
        feed.presence.changed(presence);
        presenceBatches.add(presence, conversationId);
    }

    @Override
    public void onReadPosition(UUID userId, ReadPositionChanged position) {
        StreamEventsResponse item = StreamEventsResponse.newBuilder().setReadPositionChanged(position).build();
        byUser.getOrDefault(userId, Set.of()).forEach(s -> s.offerState(item));
    }

    /** Ends the streams of sessions that just ended (log-out, revocation, deactivation), on every node. */
    void endSessions(@Observes dev.parley.server.auth.SessionsEnded sessions) {
        Set<UUID> ended = Set.copyOf(sessions.sessionIds());
        streams.stream().filter(s -> ended.contains(s.sessionId)).forEach(s -> s.fail(ParleyException
                .unauthenticated("SESSION_REVOKED", "This session has ended, log in again")));
    }

    /** After a lost bus connection: every feed reads what it may have missed, and its members' presence. */
    void catchUp() {
        feeds.values().forEach(feed -> readers.execute(() -> {
            feed.catchUp();
            feed.presence.reload(() -> QuarkusTransaction.requiringNew().call(() -> catalog.membersOf(
                    feed.conversationId)), presenceSource::presenceOf);
        }));
    }

    public int openStreams() {
        return streams.size();
    }

    public int feedCount() {
        return feeds.size();
    }

    /**
     * Shutdown has begun (SIGTERM: Quarkus's pre-shutdown delay starts): new streams are refused and open ones end
     * with UNAVAILABLE at once, so clients resume on another replica while this one finishes its unary calls.
     * Waiting for the streams instead would hold the shutdown until its timeout, since they never end by themselves.
     */
    void drain(@Observes ShutdownDelayInitiatedEvent event) {
        draining = true;
        endAll();
    }

    void shutDown(@Observes ShutdownEvent event) {
        draining = true;
        endAll();
        presenceBatches.stop();
        readers.shutdownNow();
    }

    /** True once this node is shutting down: streams are refused with UNAVAILABLE. */
    public boolean draining() {
        return draining;
    }

    private void endAll() {
        List.copyOf(streams).forEach(s -> s.fail(ParleyException.unavailable("SERVER_STOPPING",
                "This server is stopping, reconnect (to another replica) and resume", java.time.Duration.ofMillis(200))));
    }

    /**
     * Replays a conversation from a sequence into the stream, page by page at the client's pace; EVENTS_EXPIRED
     * when the retention purged some of it meanwhile.
     */
    void replay(EventStream stream, UUID conversationId, long from) throws InterruptedException {
        long after = from;
        while (!stream.closed()) {
            stream.awaitRoom(30_000);
            long position = after;
            List<ConversationEvent> page = QuarkusTransaction.requiringNew().call(() ->
                    log.replayAfter(conversationId, position, PAGE));
            boolean done = page.size() < PAGE;
            stream.replayed(conversationId, page, done);
            if (done) {
                return;
            }
            after = page.get(page.size() - 1).getSequence();
        }
    }

    /** The user was added to a conversation while streaming: announce it, then replay from their join on. */
    private void followNew(EventStream stream, UUID conversationId, long from) {
        try {
            var view = QuarkusTransaction.requiringNew().call(() -> catalog.viewFor(stream.userId, conversationId));
            stream.offerState(StreamEventsResponse.newBuilder()
                    .setConversationAdded(ConversationAdded.newBuilder().setConversation(view)).build());
            stream.follow(conversationId, from);
            attach(stream, conversationId, QuarkusTransaction.requiringNew().call(() -> log.head(conversationId)));
            sendPresenceSnapshot(stream, Set.of(conversationId));
            replay(stream, conversationId, from);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ParleyException e) {
            stream.fail(e); // the retention purged from under the replay: the client reloads and resumes
        } catch (RuntimeException e) {
            LOG.warnf(e, "Could not add conversation %s to a stream of %s", conversationId, stream.userId);
        }
    }

    private List<ConversationEvent> readAfter(UUID conversationId, long sequence) {
        return QuarkusTransaction.requiringNew().call(() -> log.after(conversationId, sequence, PAGE));
    }
}
