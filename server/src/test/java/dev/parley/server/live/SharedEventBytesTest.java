package dev.parley.server.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.api.v1.ConversationEvent;
import dev.parley.api.v1.Heartbeat;
import dev.parley.api.v1.Message;
import dev.parley.api.v1.StreamEventsResponse;
import io.grpc.Drainable;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/** The one serialisation of a log event for all its receivers writes exactly what serialising each would. */
class SharedEventBytesTest {

    private final SharedEventBytes marshaller = new SharedEventBytes();

    @Test
    void everyReceiverOfAnEventGetsTheBytesItsOwnSerialisationWouldGive() throws Exception {
        ConversationEvent first = event(1, "hello");
        ConversationEvent second = event(2, "again");
        for (ConversationEvent event : new ConversationEvent[] {first, first, second, first}) {
            StreamEventsResponse response = StreamEventsResponse.newBuilder().setConversationEvent(event).build();
            assertThat(drained(marshaller.stream(response))).isEqualTo(response.toByteArray());
        }
    }

    @Test
    void equalEventsThatAreDifferentInstancesAreSerialisedEachTime() throws Exception {
        StreamEventsResponse one = StreamEventsResponse.newBuilder().setConversationEvent(event(7, "a")).build();
        StreamEventsResponse other = StreamEventsResponse.newBuilder().setConversationEvent(event(7, "b")).build();
        assertThat(drained(marshaller.stream(one))).isEqualTo(one.toByteArray());
        assertThat(drained(marshaller.stream(other))).isEqualTo(other.toByteArray());
    }

    @Test
    void otherItemsAreSerialisedAsUsualAndEverythingParsesBack() throws Exception {
        StreamEventsResponse beat = StreamEventsResponse.newBuilder().setHeartbeat(Heartbeat.getDefaultInstance())
                .build();
        assertThat(marshaller.parse(marshaller.stream(beat))).isEqualTo(beat);
        StreamEventsResponse sent = StreamEventsResponse.newBuilder().setConversationEvent(event(3, "x")).build();
        assertThat(marshaller.parse(marshaller.stream(sent))).isEqualTo(sent);
    }

    private static ConversationEvent event(long sequence, String text) {
        return ConversationEvent.newBuilder().setSequence(sequence).setConversationId("c")
                .setMessageSent(Message.newBuilder().setText(text).setSequence(sequence)).build();
    }

    private static byte[] drained(InputStream stream) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ((Drainable) stream).drainTo(out);
        return out.toByteArray();
    }
}
