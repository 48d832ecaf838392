package dev.parley.server.message;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.api.v1.SendMessageRequest;
import dev.parley.server.support.Chats;
import dev.parley.server.support.TestServices;
import dev.parley.server.support.TestUsers;
import dev.parley.server.support.TestUsers.TestUser;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The log's numbering under concurrent writers, failing writers, and concurrent retries. */
@QuarkusTest
class SequencingTest {

    private static final int WRITERS = 20;
    private static final int MESSAGES_EACH = 500;

    @Test
    void twentyConcurrentWritersLeaveAGapFreeLog() throws Exception {
        TestUser owner = TestUsers.signUp("seqowner");
        List<TestUser> writers = new ArrayList<>();
        for (int i = 0; i < WRITERS; i++) {
            writers.add(TestUsers.signUp("writer"));
        }
        var group = Chats.group(owner, writers.toArray(TestUser[]::new));
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> results = new ArrayList<>();
        for (TestUser writer : writers) {
            results.add(pool.submit(() -> {
                start.await();
                int rejected = 0;
                for (int i = 0; i < MESSAGES_EACH; i++) {
                    Chats.send(writer, group, writer.username() + " #" + i);
                    if (i % 50 == 0) {
                        rejected += failingSend(writer, group.getId()); // claims a number, then rolls back
                    }
                }
                return rejected;
            }));
        }
        start.countDown();
        int rejected = 0;
        for (Future<Integer> result : results) {
            rejected += result.get();
        }
        pool.shutdown();

        List<Long> sequences = sequences("select sequence from conversation_events where conversation_id = ? "
                + "order by sequence", group.getId());
        List<Long> expected = new ArrayList<>();
        for (long s = 1; s <= sequences.size(); s++) {
            expected.add(s);
        }
        assertThat(rejected).isEqualTo(WRITERS * MESSAGES_EACH / 50);
        assertThat(sequences).isEqualTo(expected); // 1..N: no gap, no repeat
        assertThat(sequences).hasSize(1 + WRITERS + WRITERS * MESSAGES_EACH); // joins, then every message
        assertThat(sequences("select sequence from messages where conversation_id = ? order by sequence",
                group.getId())).hasSize(WRITERS * MESSAGES_EACH).doesNotHaveDuplicates();
    }

    @Test
    void concurrentRetriesOfOneSendCreateOneMessage() throws Exception {
        TestUser ada = TestUsers.signUp("retrier");
        var group = Chats.group(ada);
        var send = SendMessageRequest.newBuilder().setConversationId(group.getId())
                .setClientMessageId(UUID.randomUUID().toString()).setText("exactly once").build();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        CountDownLatch start = new CountDownLatch(1);
        Set<String> ids = ConcurrentHashMap.newKeySet();
        List<Future<?>> sends = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            sends.add(pool.submit(() -> {
                start.await();
                var message = ada.messages().sendMessage(send).getMessage();
                ids.add(message.getId() + "@" + message.getSequence());
                return null;
            }));
        }
        start.countDown();
        for (Future<?> sent : sends) {
            sent.get();
        }
        pool.shutdown();

        assertThat(ids).hasSize(1);
        assertThat(sequences("select sequence from messages where conversation_id = ?", group.getId())).hasSize(1);
        assertThat(sequences("select sequence from conversation_events where conversation_id = ? order by sequence",
                group.getId())).containsExactly(1L, 2L);
    }

    private static int failingSend(TestUser writer, String conversationId) {
        try {
            writer.messages().sendMessage(SendMessageRequest.newBuilder().setConversationId(conversationId)
                    .setClientMessageId(UUID.randomUUID().toString()).setText("never stored")
                    .setReplyToMessageId(UUID.randomUUID().toString()).build());
            return 0;
        } catch (StatusRuntimeException expected) {
            return 1;
        }
    }

    private static List<Long> sequences(String sql, String conversationId) throws Exception {
        try (Connection connection = TestServices.connect(); PreparedStatement query = connection.prepareStatement(sql)) {
            query.setObject(1, UUID.fromString(conversationId));
            List<Long> values = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    values.add(rows.getLong(1));
                }
            }
            return values;
        }
    }
}
