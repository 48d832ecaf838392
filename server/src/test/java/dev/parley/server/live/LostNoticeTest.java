package dev.parley.server.live;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import dev.parley.api.v1.Conversation;
import dev.parley.api.v1.ConversationEvent;
import dev.parley.server.support.Chats;
import dev.parley.server.support.StreamClient;
import dev.parley.server.support.TestServices;
import dev.parley.server.support.TestUsers;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A committed event whose notice never reaches the node is found by its gap and read from PostgreSQL. */
@QuarkusTest
class LostNoticeTest {

    @Test
    void anEventWhoseNoticeWasLostIsFilledInFromTheDatabase() throws Exception {
        var pam = TestUsers.signUp("lost");
        var quin = TestUsers.signUp("lost2");
        var group = Chats.group(pam, quin);
        try (var stream = StreamClient.open(quin, Map.of())) {
            stream.awaitReady();
            long first = Chats.send(pam, group, "noticed").getSequence();
            assertThat(stream.nextEvent().getSequence()).isEqualTo(first);

            long silent = commitWithoutNotice(group, "renamed behind the bus's back");
            long third = Chats.send(pam, group, "noticed again").getSequence();

            ConversationEvent filled = stream.nextEvent();
            assertThat(filled.getSequence()).isEqualTo(silent);
            assertThat(filled.getConversationUpdated().getTitle()).isEqualTo("renamed behind the bus's back");
            assertThat(stream.nextEvent().getSequence()).isEqualTo(third);
        }
    }

    /** What a commit looks like when its publication is lost: in the log, never on the bus. */
    private static long commitWithoutNotice(Conversation group, String title) throws Exception {
        try (Connection connection = TestServices.connect()) {
            connection.setAutoCommit(false);
            long sequence;
            try (PreparedStatement claim = connection.prepareStatement(
                    "update conversations set last_sequence = last_sequence + 1 where id = ? returning last_sequence")) {
                claim.setObject(1, UUID.fromString(group.getId()));
                try (ResultSet row = claim.executeQuery()) {
                    row.next();
                    sequence = row.getLong(1);
                }
            }
            ConversationEvent event = ConversationEvent.newBuilder().setSequence(sequence)
                    .setConversationId(group.getId()).setTime(Timestamp.newBuilder().setSeconds(1))
                    .setActorId(UUID.randomUUID().toString())
                    .setConversationUpdated(group.toBuilder().setTitle(title)).build();
            try (PreparedStatement insert = connection.prepareStatement("""
                    insert into conversation_events (conversation_id, sequence, created_at, payload)
                    values (?, ?, now(), ?)""")) {
                insert.setObject(1, UUID.fromString(group.getId()));
                insert.setLong(2, sequence);
                insert.setBytes(3, event.toByteArray());
                insert.executeUpdate();
            }
            connection.commit();
            return sequence;
        }
    }
}
