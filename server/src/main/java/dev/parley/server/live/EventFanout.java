package dev.parley.server.live;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import dev.parley.api.v1.ConversationEvent;
import dev.parley.api.v1.Presence;
import dev.parley.api.v1.ReadPositionChanged;
import dev.parley.api.v1.Typing;
import dev.parley.server.cluster.NodeBus;
import dev.parley.server.log.CommittedEvents;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Carries what streams deliver from the node where it happened to the nodes that need it, over the node bus, on
 * one channel per conversation (its log events, typing, its members' presence) and one per person (their read
 * positions, and their joining a conversation, which their node must hear of before it follows that
 * conversation). A node subscribes to a conversation's channel while a local stream follows it and to a person's
 * while they stream there, so it receives only what its clients need: adding nodes adds capacity instead of
 * copies. A notice is one kind byte and the protobuf bytes, decoded once per receiving node.
 */
@ApplicationScoped
public class EventFanout implements CommittedEvents {

    private static final Logger LOG = Logger.getLogger(EventFanout.class);
    private static final byte LOG_EVENT = 'L';
    private static final byte TYPING = 'T';
    private static final byte PRESENCE = 'P';
    private static final byte READ = 'R';
    private static final byte JOINED = 'J';

    private final NodeBus bus;
    private final Map<UUID, Consumer<byte[]>> conversationHandlers = new ConcurrentHashMap<>();
    private final Map<UUID, Consumer<byte[]>> personHandlers = new ConcurrentHashMap<>();

    EventFanout(NodeBus bus) {
        this.bus = bus;
    }

    @Override
    public void committed(ConversationEvent event) {
        bus.publish(conversationChannel(event.getConversationId()), notice(LOG_EVENT, event));
        if (event.hasMemberJoined()) {
            bus.publish(personChannel(event.getMemberJoined().getUserId()), notice(JOINED, event));
        }
    }

    public void publishTyping(Typing typing) {
        bus.publish(conversationChannel(typing.getConversationId()), notice(TYPING, typing));
    }

    /** One notice per conversation of the person: each reaches the nodes following that conversation. */
    public void publishPresence(Presence presence, Collection<UUID> conversations) {
        byte[] payload = notice(PRESENCE, presence);
        conversations.forEach(id -> bus.publish(conversationChannel(id.toString()), payload));
    }

    public void publishReadPosition(UUID userId, ReadPositionChanged position) {
        bus.publish(personChannel(userId.toString()), notice(READ, position));
    }

    /** Starts receiving a conversation's notices; the stage completes once the subscription is in force. */
    CompletionStage<Void> follow(UUID conversationId, Notices to) {
        Consumer<byte[]> handler = payload -> conversationNotice(conversationId, payload, to);
        conversationHandlers.put(conversationId, handler);
        return bus.subscribe(conversationChannel(conversationId.toString()), handler);
    }

    void unfollow(UUID conversationId) {
        Consumer<byte[]> handler = conversationHandlers.remove(conversationId);
        if (handler != null) {
            bus.unsubscribe(conversationChannel(conversationId.toString()), handler);
        }
    }

    /** Starts receiving a person's own notices (while they stream on this node). */
    void followPerson(UUID userId, Notices to) {
        Consumer<byte[]> handler = payload -> personNotice(userId, payload, to);
        personHandlers.put(userId, handler);
        bus.subscribe(personChannel(userId.toString()), handler);
    }

    void unfollowPerson(UUID userId) {
        Consumer<byte[]> handler = personHandlers.remove(userId);
        if (handler != null) {
            bus.unsubscribe(personChannel(userId.toString()), handler);
        }
    }

    /** After a lost bus connection: the hook runs when notices may have been missed. */
    void onReconnect(Runnable catchUp) {
        bus.onReconnect(catchUp);
    }

    private void conversationNotice(UUID conversationId, byte[] payload, Notices to) {
        try {
            switch (payload[0]) {
                case LOG_EVENT -> to.onLogEvent(body(payload, ConversationEvent.parser()));
                case TYPING -> to.onTyping(body(payload, Typing.parser()));
                case PRESENCE -> to.onPresence(body(payload, Presence.parser()), conversationId);
                default -> LOG.warnf("Dropped a notice of unknown kind %d", payload[0]);
            }
        } catch (InvalidProtocolBufferException | ArrayIndexOutOfBoundsException e) {
            LOG.warnf("Dropped an unreadable notice: %s", e.getMessage());
        }
    }

    private void personNotice(UUID userId, byte[] payload, Notices to) {
        try {
            switch (payload[0]) {
                case READ -> to.onReadPosition(userId, body(payload, ReadPositionChanged.parser()));
                case JOINED -> to.onJoined(body(payload, ConversationEvent.parser()));
                default -> LOG.warnf("Dropped a notice of unknown kind %d", payload[0]);
            }
        } catch (InvalidProtocolBufferException | ArrayIndexOutOfBoundsException e) {
            LOG.warnf("Dropped an unreadable notice: %s", e.getMessage());
        }
    }

    private static byte[] notice(byte kind, MessageLite message) {
        int size = message.getSerializedSize();
        byte[] payload = new byte[1 + size];
        payload[0] = kind;
        CodedOutputStream out = CodedOutputStream.newInstance(payload, 1, size);
        try {
            message.writeTo(out);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e); // cannot happen: the array has the message's size
        }
        return payload;
    }

    /** The protobuf after the kind byte, parsed in place. */
    private static <T> T body(byte[] payload, com.google.protobuf.Parser<T> parser)
            throws InvalidProtocolBufferException {
        return parser.parseFrom(payload, 1, payload.length - 1);
    }

    /** A channel's name from the id's text: the events carry ids as text already, so they are not parsed for it. */
    private static String conversationChannel(String conversationId) {
        return "conversation." + conversationId;
    }

    private static String personChannel(String userId) {
        return "person." + userId;
    }
}
