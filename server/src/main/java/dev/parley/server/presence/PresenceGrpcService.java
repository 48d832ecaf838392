package dev.parley.server.presence;

import static dev.parley.server.grpc.Replies.reply;

import dev.parley.api.v1.GetPresenceRequest;
import dev.parley.api.v1.GetPresenceResponse;
import dev.parley.api.v1.PresenceServiceGrpc;
import dev.parley.api.v1.PresenceState;
import dev.parley.api.v1.SendTypingRequest;
import dev.parley.api.v1.SendTypingResponse;
import dev.parley.api.v1.SetPresenceRequest;
import dev.parley.api.v1.SetPresenceResponse;
import dev.parley.api.v1.Typing;
import dev.parley.server.account.Account;
import dev.parley.server.auth.Caller;
import dev.parley.server.common.Ids;
import dev.parley.server.common.ParleyException;
import dev.parley.server.common.Violations;
import dev.parley.server.conversation.Access;
import dev.parley.server.live.EventFanout;
import dev.parley.server.grpc.ProtoTime;
import dev.parley.server.grpc.ServiceDefinitions;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.common.annotation.Blocking;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.UUID;

/** PresenceService over gRPC: parses, calls the domain, maps. */
@GrpcService
@Blocking
class PresenceGrpcService extends PresenceServiceGrpc.PresenceServiceImplBase {

    /** The generated definition, with the house's request parsing (malformed requests: INVALID_ARGUMENT). */
    @Override
    public ServerServiceDefinition bindService() {
        return ServiceDefinitions.standard(super.bindService());
    }

    private static final int MAX_USERS = 100;
    private final PresenceTracker tracker;
    private final EventFanout fanout;
    private final PresenceConfig config;
    private final Clock clock;

    PresenceGrpcService(PresenceTracker tracker, EventFanout fanout, PresenceConfig config, Clock clock) {
        this.tracker = tracker;
        this.fanout = fanout;
        this.config = config;
        this.clock = clock;
    }

    @Override
    public void getPresence(GetPresenceRequest request, StreamObserver<GetPresenceResponse> response) {
        Caller.current();
        Violations violations = new Violations();
        if (request.getUserIdsCount() == 0 || request.getUserIdsCount() > MAX_USERS) {
            violations.add("user_ids", "must hold 1 to " + MAX_USERS + " user ids");
        }
        Set<UUID> ids = new LinkedHashSet<>();
        for (int i = 0; i < request.getUserIdsCount(); i++) {
            int index = i;
            Ids.parse(request.getUserIds(i)).ifPresentOrElse(ids::add,
                    () -> violations.add("user_ids[" + index + "]", "must be a user id (UUID)"));
        }
        violations.throwIfAny();
        Set<UUID> known = QuarkusTransaction.requiringNew().call(() -> Account.<Account>list("id in ?1", ids).stream()
                .map(account -> account.id).collect(java.util.stream.Collectors.toSet()));
        var presences = tracker.presenceOf(known);
        var answer = GetPresenceResponse.newBuilder();
        ids.stream().filter(known::contains).forEach(id -> answer.addPresences(presences.get(id)));
        reply(response, answer.build());
    }

    @Override
    public void setPresence(SetPresenceRequest request, StreamObserver<SetPresenceResponse> response) {
        PresenceState state = request.getState();
        if (state != PresenceState.PRESENCE_STATE_ONLINE && state != PresenceState.PRESENCE_STATE_AWAY
                && state != PresenceState.PRESENCE_STATE_DO_NOT_DISTURB) {
            throw ParleyException.invalid("INVALID_FIELDS", "state", "must be online, away or do not disturb");
        }
        reply(response, SetPresenceResponse.newBuilder()
                .setPresence(tracker.setStatus(Caller.current().accountId(), state)).build());
    }

    @Override
    public void sendTyping(SendTypingRequest request, StreamObserver<SendTypingResponse> response) {
        UUID me = Caller.current().accountId();
        UUID conversationId = Ids.require(request.getConversationId(), "conversation_id");
        QuarkusTransaction.requiringNew().run(() -> Access.asMember(me, conversationId).writable());
        fanout.publishTyping(Typing.newBuilder().setConversationId(conversationId.toString()).setUserId(me.toString())
                .setExpireTime(ProtoTime.of(clock.instant().plus(config.typingLifetime()))).build());
        reply(response, SendTypingResponse.getDefaultInstance());
    }
}
