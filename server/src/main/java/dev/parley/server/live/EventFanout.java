package dev.parley.server.live;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import dev.parley.api.v1.ConversationEvent;
import dev.parley.api.v1.Presence;
import dev.parley.api.v1.ReadPositionChanged;
import dev.parley.api.v1.Typing;
import dev.parley.server.cluster.NodeBus;
import dev.parley.server.log.CommittedEvents;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Base64;
import java.util.Collection;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Carries what streams deliver from the node where it happened to every node, over the node bus: committed log
 * events, typing, presence, read positions. Each node hands what it receives to its own {@link StreamHub}.
 */
@Startup
@ApplicationScoped
public class EventFanout implements CommittedEvents {

    private static final Logger LOG = Logger.getLogger(EventFanout.class);
    private static final String LOG_EVENTS = "events.log";
    private static final String TYPING = "events.typing";
    private static final String PRESENCE = "events.presence";
    private static final String READ = "events.read";

    private final NodeBus bus;
    private final StreamHub hub;

    EventFanout(NodeBus bus, StreamHub hub) {
        this.bus = bus;
        this.hub = hub;
    }

    @PostConstruct
    void listen() {
        bus.subscribe(LOG_EVENTS, payload -> parse(payload, ConversationEvent.parser()).ifPresent(hub::onLogEvent));
        bus.subscribe(TYPING, payload -> parse(payload, Typing.parser()).ifPresent(hub::onTyping));
        bus.subscribe(PRESENCE, payload -> {
            int bar = payload.indexOf('|');
            Collection<UUID> conversations = bar == 0 ? java.util.List.of() : java.util.Arrays
                    .stream(payload.substring(0, bar).split(",")).map(UUID::fromString).toList();
            parse(payload.substring(bar + 1), Presence.parser()).ifPresent(p -> hub.onPresence(p, conversations));
        });
        bus.subscribe(READ, payload -> {
            int bar = payload.indexOf('|');
            parse(payload.substring(bar + 1), ReadPositionChanged.parser())
                    .ifPresent(r -> hub.onReadPosition(UUID.fromString(payload.substring(0, bar)), r));
        });
        bus.onReconnect(hub::catchUp);
    }

    @Override
    public void committed(ConversationEvent event) {
        bus.publish(LOG_EVENTS, encode(event));
    }

    public void publishTyping(Typing typing) {
        bus.publish(TYPING, encode(typing));
    }

    public void publishPresence(Presence presence, Collection<UUID> conversations) {
        bus.publish(PRESENCE, conversations.stream().map(UUID::toString).collect(Collectors.joining(","))
                + "|" + encode(presence));
    }

    public void publishReadPosition(UUID userId, ReadPositionChanged position) {
        bus.publish(READ, userId + "|" + encode(position));
    }

    private static String encode(MessageLite message) {
        return Base64.getEncoder().encodeToString(message.toByteArray());
    }

    private static <T> java.util.Optional<T> parse(String payload, com.google.protobuf.Parser<T> parser) {
        try {
            return java.util.Optional.of(parser.parseFrom(Base64.getDecoder().decode(payload)));
        } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
            LOG.warnf("Dropped an unreadable notice: %s", e.getMessage());
            return java.util.Optional.empty();
        }
    }
}
