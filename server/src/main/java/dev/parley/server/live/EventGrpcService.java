package dev.parley.server.live;

import dev.parley.api.v1.AcknowledgeEventsRequest;
import dev.parley.api.v1.AcknowledgeEventsResponse;
import dev.parley.api.v1.ConversationPosition;
import dev.parley.api.v1.EventServiceGrpc;
import dev.parley.api.v1.StreamEventsRequest;
import dev.parley.api.v1.StreamEventsResponse;
import dev.parley.server.auth.Caller;
import dev.parley.server.common.Ids;
import dev.parley.server.common.ParleyException;
import dev.parley.server.common.Violations;
import dev.parley.server.grpc.ServiceDefinitions;
import dev.parley.server.log.EventLog;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.common.annotation.Blocking;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** EventService over gRPC: requests are checked and turned into positions; a stream opens in {@link StreamOpening}. */
@GrpcService
@Blocking
class EventGrpcService extends EventServiceGrpc.EventServiceImplBase {

    private static final int MAX_ACKNOWLEDGED = 100;
    private final StreamOpening opening;
    private final ConversationCatalog catalog;
    private final EventLog log;
    private final Acknowledgements acknowledgements;

    EventGrpcService(StreamOpening opening, ConversationCatalog catalog, EventLog log,
            Acknowledgements acknowledgements) {
        this.opening = opening;
        this.catalog = catalog;
        this.log = log;
        this.acknowledgements = acknowledgements;
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
        opening.open(Caller.current(), positions(request.getPositionsList()), request.getResumeFromAcknowledged(),
                (ServerCallStreamObserver<StreamEventsResponse>) observer);
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
        Map<UUID, Long> heads = QuarkusTransaction.requiringNew().call(() -> log.heads(positions.keySet()));
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
}
