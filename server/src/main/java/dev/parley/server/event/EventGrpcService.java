package dev.parley.server.event;

import dev.parley.api.v1.AcknowledgeEventsRequest;
import dev.parley.api.v1.AcknowledgeEventsResponse;
import dev.parley.api.v1.ConversationPosition;
import dev.parley.api.v1.ConversationRemoved;
import dev.parley.api.v1.EventServiceGrpc;
import dev.parley.api.v1.StreamEventsRequest;
import dev.parley.api.v1.StreamEventsResponse;
import dev.parley.server.auth.Caller;
import dev.parley.server.common.ErrorKind;
import dev.parley.server.common.Ids;
import dev.parley.server.common.ParleyException;
import dev.parley.server.common.Violations;
import dev.parley.server.grpc.ServiceDefinitions;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.common.annotation.Blocking;
import jakarta.persistence.EntityManager;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * EventService over gRPC. Opening a stream listens first and reads second: the stream follows every conversation
 * (live events wait), then the replay is read from PostgreSQL, then the waiting live events go out after it with
 * duplicates dropped. An event committed while this happens is therefore in the replay, in the live feed, or in
 * both, and never in neither.
 */
@GrpcService
@Blocking
class EventGrpcService extends EventServiceGrpc.EventServiceImplBase {

    private static final int MAX_ACKNOWLEDGED = 100;
    private final StreamHub hub;
    private final ConversationCatalog catalog;
    private final StreamConfig config;
    private final EntityManager entities;
    private final Acknowledgements acknowledgements;

    EventGrpcService(StreamHub hub, ConversationCatalog catalog, StreamConfig config, EntityManager entities,
            Acknowledgements acknowledgements) {
        this.hub = hub;
        this.acknowledgements = acknowledgements;
        this.catalog = catalog;
        this.config = config;
        this.entities = entities;
    }

    /**
     * The standard definition, but StreamEvents writes its log events with {@link SharedEventBytes}: the same
     * event goes to every follower of a conversation, and is serialised once for all of them.
     */
    @Override
    public ServerServiceDefinition bindService() {
        return ServiceDefinitions.map(ServiceDefinitions.standard(super.bindService()),
                method -> isStreamEvents(method) ? withSharedBytes(method) : method);
    }

    private static boolean isStreamEvents(ServerMethodDefinition<?, ?> method) {
        return method.getMethodDescriptor().getFullMethodName()
                .equals(EventServiceGrpc.getStreamEventsMethod().getFullMethodName());
    }

    @SuppressWarnings("unchecked")
    private static ServerMethodDefinition<?, ?> withSharedBytes(ServerMethodDefinition<?, ?> method) {
        var streamEvents = (ServerMethodDefinition<StreamEventsRequest, StreamEventsResponse>) method;
        return ServerMethodDefinition.create(streamEvents.getMethodDescriptor().toBuilder()
                .setResponseMarshaller(new SharedEventBytes()).build(), streamEvents.getServerCallHandler());
    }

    @Override
    public void streamEvents(StreamEventsRequest request, StreamObserver<StreamEventsResponse> observer) {
        Caller caller = Caller.current();
        if (hub.draining()) {
            throw ParleyException.unavailable("SERVER_STOPPING", "This server is stopping, connect to another replica",
                    java.time.Duration.ofMillis(200));
        }
        Map<UUID, Long> positions = positions(request.getPositionsList());
        if (request.getResumeFromAcknowledged()) {
            acknowledgements.of(caller.accountId()).forEach(positions::putIfAbsent);
        }
        Set<UUID> mine = QuarkusTransaction.requiringNew().call(() -> catalog.conversationsOf(caller.accountId()));
        Map<UUID, Long> heads = heads(mine);
        checkReplayable(positions, heads);
        if (!positions.isEmpty()) {
            hub.metrics().resumed();
        }

        var out = (ServerCallStreamObserver<StreamEventsResponse>) observer;
        EventStream stream = new EventStream(caller.accountId(), caller.sessionId(), out, hub, config.bufferSize());
        out.setOnCancelHandler(stream::cancelled);
        out.setOnReadyHandler(stream::drain);
        hub.register(stream);
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
        stream.ready();
    }

    @Override
    public void acknowledgeEvents(AcknowledgeEventsRequest request, StreamObserver<AcknowledgeEventsResponse> observer) {
        Caller caller = Caller.current();
        if (request.getPositionsCount() > MAX_ACKNOWLEDGED) {
            throw ParleyException.invalid("INVALID_FIELDS", "positions", "at most " + MAX_ACKNOWLEDGED + " per call");
        }
        Map<UUID, Long> positions = positions(request.getPositionsList());
        Set<UUID> mine = QuarkusTransaction.requiringNew().call(() -> catalog.conversationsOf(caller.accountId()));
        positions.keySet().stream().filter(id -> !mine.contains(id)).findFirst().ifPresent(id -> {
            throw ParleyException.notFound("Conversation " + id);
        });
        Map<UUID, Long> heads = heads(positions.keySet());
        positions.forEach((id, sequence) -> {
            if (sequence > heads.get(id)) {
                throw ParleyException.invalid("INVALID_FIELDS", "positions", "conversation " + id
                        + " has no event " + sequence + " yet");
            }
        });
        var answer = AcknowledgeEventsResponse.newBuilder();
        acknowledgements.record(caller.accountId(), positions).forEach((id, sequence) -> answer.addPositions(
                ConversationPosition.newBuilder().setConversationId(id.toString()).setSequence(sequence)));
        observer.onNext(answer.build());
        observer.onCompleted();
    }

    private static Map<UUID, Long> positions(List<ConversationPosition> given) {
        Violations violations = new Violations();
        Map<UUID, Long> positions = new HashMap<>();
        for (int i = 0; i < given.size(); i++) {
            ConversationPosition position = given.get(i);
            var id = Ids.parse(position.getConversationId());
            if (id.isEmpty()) {
                violations.add("positions[" + i + "].conversation_id", "must be a conversation id (UUID)");
            } else if (position.getSequence() < 0) {
                violations.add("positions[" + i + "].sequence", "must not be negative");
            } else {
                positions.put(id.get(), position.getSequence());
            }
        }
        violations.throwIfAny();
        return positions;
    }

    /** A position the log no longer replays, or one past its end, is refused before anything is sent. */
    private void checkReplayable(Map<UUID, Long> positions, Map<UUID, Long> heads) {
        List<UUID> expired = positions.entrySet().stream()
                .filter(p -> heads.containsKey(p.getKey()) && heads.get(p.getKey()) - p.getValue() > config.replayLimit())
                .map(Map.Entry::getKey).toList();
        if (!expired.isEmpty()) {
            hub.metrics().expired();
            throw ParleyException.of(ErrorKind.FAILED_PRECONDITION, "EVENTS_EXPIRED", "Some positions are older than "
                    + "the server replays, reload those conversations and stream without their positions")
                    .with("conversations", expired.stream().map(UUID::toString).collect(Collectors.joining(",")));
        }
        positions.forEach((id, sequence) -> {
            if (heads.containsKey(id) && sequence > heads.get(id)) {
                throw ParleyException.invalid("INVALID_FIELDS", "positions", "conversation " + id
                        + " has no event " + sequence + " yet");
            }
        });
    }

    private Map<UUID, Long> heads(Set<UUID> conversations) {
        if (conversations.isEmpty()) {
            return Map.of();
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            @SuppressWarnings("unchecked")
            List<Object[]> rows = entities.createNativeQuery(
                    "select id, last_sequence from conversations where id = any(?1)")
                    .setParameter(1, conversations.toArray(UUID[]::new)).getResultList();
            Map<UUID, Long> heads = new HashMap<>();
            rows.forEach(row -> heads.put((UUID) row[0], ((Number) row[1]).longValue()));
            return heads;
        });
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
