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
        UUID me = Caller.current().accountId();
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
        record People(Set<UUID> known, Set<UUID> acquainted) {
        }
        People people = QuarkusTransaction.requiringNew().call(() -> {
            Set<UUID> found = Account.<Account>list("id in ?1", ids).stream().map(account -> account.id)
                    .collect(java.util.stream.Collectors.toSet());
            return new People(found, sharingAConversation(me, found));
        });
        Set<UUID> known = people.known();
        Set<UUID> acquainted = people.acquainted();
        var presences = tracker.presenceOf(known);
        var answer = GetPresenceResponse.newBuilder();
        // when someone was last online is for the people they talk with, not for anyone who knows their id
        ids.stream().filter(known::contains).map(id -> acquainted.contains(id) || id.equals(me) ? presences.get(id)
                : presences.get(id).toBuilder().clearLastSeenTime().build()).forEach(answer::addPresences);
        reply(response, answer.build());
    }

    /** Those of {@code people} who are in at least one conversation with {@code me}. */
    private static Set<UUID> sharingAConversation(UUID me, Set<UUID> people) {
        if (people.isEmpty()) {
            return Set.of();
        }
        @SuppressWarnings("unchecked")
        java.util.List<UUID> rows = Account.getEntityManager().createNativeQuery("""
                select distinct theirs.account_id from memberships mine
                join memberships theirs on theirs.conversation_id = mine.conversation_id
                where mine.account_id = ?1 and cast(theirs.account_id as text) = any(?2)""")
                .setParameter(1, me).setParameter(2, people.stream().map(UUID::toString).toArray(String[]::new))
                .getResultList();
        return Set.copyOf(rows);
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
