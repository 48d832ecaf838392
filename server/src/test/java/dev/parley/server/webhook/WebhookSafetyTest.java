package dev.parley.server.webhook;

import static dev.parley.server.support.Errors.assertFails;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.parley.api.v1.BotServiceGrpc;
import dev.parley.api.v1.CreateBotRequest;
import dev.parley.api.v1.CreateDirectConversationRequest;
import dev.parley.api.v1.ListMessagesRequest;
import dev.parley.api.v1.SetBotWebhookRequest;
import dev.parley.api.v1.User;
import dev.parley.server.support.Api;
import dev.parley.server.support.Chats;
import dev.parley.server.support.Errors;
import dev.parley.server.support.TestUsers;
import io.grpc.Status;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Webhooks cannot be aimed at the server's own network (SSRF), and a receiver that answers slowly or endlessly
 * costs one bounded attempt and delays no one else. The test profile allows 127.0.0.2 only, like an operator who
 * opened one network; 127.0.0.1 is refused as it is in production.
 */
@QuarkusTest
class WebhookSafetyTest {

    @Inject
    EntityManager entities;

    private final List<AutoCloseable> receivers = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopReceivers() throws Exception {
        for (AutoCloseable receiver : receivers) {
            receiver.close();
        }
    }

    @Test
    void internalAddressesAreRefusedNamingTheUrlAndALoopbackListenerHearsNothing() throws Exception {
        AtomicInteger heard = new AtomicInteger();
        int loopbackPort = listen("127.0.0.1", heard);
        var owner = TestUsers.signUp("ssrfowner");
        User bot = createBot(owner, "ssrfbot");
        for (String url : List.of("http://127.0.0.1:" + loopbackPort + "/q/health", "http://127.0.0.1:9000/q/health",
                "http://localhost:8080/", "http://[::1]/", "http://169.254.169.254/latest/meta-data/",
                "http://10.0.0.1/", "http://172.16.5.4/", "http://192.168.1.1/", "http://100.64.0.1/",
                "http://0.0.0.0/", "http://224.0.0.1/", "http://[::ffff:127.0.0.1]/", "http://[fe80::1]/",
                "http://[fd00::1]/", "http://0x7f000001/", "http://127.1/", "http://2130706433/",
                "http://user:pass@127.0.0.2/", "ftp://127.0.0.2/")) {
            var failure = assertFails(Status.Code.INVALID_ARGUMENT, () -> bots(owner).setBotWebhook(
                    SetBotWebhookRequest.newBuilder().setBotId(bot.getId()).setUrl(url).build()));
            assertThat(Errors.badFields(failure)).as(url).containsExactly("url");
            assertThat(Errors.reason(failure)).isEqualTo("INVALID_FIELDS");
        }
        assertThat(bots(owner).listBots(dev.parley.api.v1.ListBotsRequest.getDefaultInstance()).getBotsList())
                .allSatisfy(b -> assertThat(b.getWebhookUrl()).isEmpty());

        // a name that resolved to a public address when set and to loopback now (DNS rebinding) is refused again
        // at connect time: here the stored URL is changed under the server's feet
        bots(owner).setBotWebhook(SetBotWebhookRequest.newBuilder().setBotId(bot.getId())
                .setUrl("http://127.0.0.2:" + listen("127.0.0.2", new AtomicInteger()) + "/hook").build());
        QuarkusTransaction.requiringNew().run(() -> entities.createNativeQuery(
                "update accounts set webhook_url = ?2 where id = ?1").setParameter(1, UUID.fromString(bot.getId()))
                .setParameter(2, "http://127.0.0.1:" + loopbackPort + "/hook").executeUpdate());
        var direct = owner.conversations().createDirectConversation(CreateDirectConversationRequest.newBuilder()
                .setUserId(bot.getId()).build()).getConversation();
        Chats.send(owner, direct, "fetch me the metadata");
        await().atMost(Duration.ofSeconds(10)).until(() -> lastError(bot) != null);
        assertThat(lastError(bot)).startsWith("refused: must point to a public address; 127.0.0.1");
        assertThat(heard).hasValue(0);
    }

    @Test
    void dribblingAndFloodingReceiversEndWithinTheTimeoutPostNothingAndDelayNoOtherBot() throws Exception {
        var owner = TestUsers.signUp("slowowner");
        User dribbled = createBot(owner, "dribblebot");
        User flooded = createBot(owner, "floodbot");
        User healthy = createBot(owner, "healthybot");
        Attempt dribble = new Attempt();
        Attempt flood = new Attempt();
        hook(owner, dribbled, rawReceiver(dribble, out -> {
            out.write(("HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 100000\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < 30; i++) {
                out.write('a');
                out.flush();
                dribble.written.incrementAndGet();
                Thread.sleep(1000);
            }
        }));
        hook(owner, flooded, rawReceiver(flood, out -> {
            out.write(("HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 1073741824\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[16 * 1024];
            java.util.Arrays.fill(chunk, (byte) 'b');
            for (long sent = 0; sent < 1L << 30; sent += chunk.length) {
                out.write(chunk);
                flood.written.addAndGet(chunk.length);
            }
        }));
        AtomicInteger healthyHeard = new AtomicInteger();
        hook(owner, healthy, "http://127.0.0.2:" + listen("127.0.0.2", healthyHeard) + "/hook");

        var toDribbled = direct(owner, dribbled);
        var toFlooded = direct(owner, flooded);
        Chats.send(owner, toDribbled, "are you there?");
        Chats.send(owner, toFlooded, "say something");
        await().atMost(Duration.ofSeconds(5)).until(() -> dribble.started() && flood.started());
        long healthySent = System.nanoTime();
        Chats.send(owner, direct(owner, healthy), "ping");
        await().atMost(Duration.ofSeconds(3)).until(() -> healthyHeard.get() == 1);
        assertThat(Duration.ofNanos(System.nanoTime() - healthySent)).isLessThan(Duration.ofSeconds(3));

        await().atMost(Duration.ofSeconds(15)).until(() -> dribble.ended() && flood.ended());
        assertThat(dribble.lasted()).isLessThan(Duration.ofSeconds(11));
        assertThat(flood.lasted()).isLessThan(Duration.ofSeconds(11));
        // what the flood could write is what the server read plus the sockets' buffers, nowhere near 1 GiB
        assertThat(flood.written.get()).isLessThan(16L * 1024 * 1024);
        assertThat(dribble.written.get()).isLessThanOrEqualTo(11);
        for (var conversation : List.of(toDribbled, toFlooded)) {
            assertThat(owner.messages().listMessages(ListMessagesRequest.newBuilder()
                    .setConversationId(conversation.getId()).build()).getMessagesList())
                    .extracting(m -> m.getAuthorId()).containsOnly(owner.id());
        }
    }

    /** One attempt as the receiver saw it: when it was accepted and when the server's end went away. */
    private static final class Attempt {
        final AtomicLong written = new AtomicLong();
        volatile long startedAt;
        volatile long endedAt;

        boolean started() {
            return startedAt != 0;
        }

        boolean ended() {
            return endedAt != 0;
        }

        synchronized void end() {
            if (endedAt == 0) {
                endedAt = System.nanoTime();
            }
        }

        Duration lasted() {
            return Duration.ofNanos(endedAt - startedAt);
        }
    }

    private interface Answering {
        void answer(OutputStream out) throws Exception;
    }

    /** A receiver on 127.0.0.2 that reads the request's head and answers with {@code answering}, once. */
    private String rawReceiver(Attempt attempt, Answering answering) throws IOException {
        ServerSocket socket = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.2"));
        receivers.add(socket);
        Thread.ofVirtual().start(() -> {
            try (Socket connection = socket.accept()) {
                attempt.startedAt = System.nanoTime();
                InputStream in = connection.getInputStream();
                readHead(in);
                // the server's end going away is seen at once by a read, not only at the next write
                Thread.ofVirtual().start(() -> {
                    try {
                        while (in.read() >= 0) {
                            // nothing more is sent after the request; wait for the end
                        }
                    } catch (IOException reset) {
                        // the server reset the connection
                    }
                    attempt.end();
                });
                answering.answer(connection.getOutputStream());
            } catch (Exception serverWentAway) {
                // the server cut the answer off: what this test is about
            } finally {
                attempt.end();
            }
        });
        return "http://127.0.0.2:" + socket.getLocalPort() + "/hook";
    }

    private static void readHead(InputStream in) throws IOException {
        int matched = 0;
        byte[] end = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        while (matched < end.length) {
            int b = in.read();
            if (b < 0) {
                return;
            }
            matched = b == end[matched] ? matched + 1 : b == end[0] ? 1 : 0;
        }
    }

    /** An HTTP receiver that counts what reaches it and answers 204. */
    private int listen(String host, AtomicInteger heard) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(host, 0), 0);
        server.createContext("/", exchange -> {
            heard.incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        receivers.add(() -> server.stop(0));
        return server.getAddress().getPort();
    }

    private String lastError(User bot) {
        return QuarkusTransaction.requiringNew().call(() -> (String) entities.createNativeQuery(
                "select max(last_error) from webhook_deliveries where bot_id = ?1")
                .setParameter(1, UUID.fromString(bot.getId())).getSingleResult());
    }

    private static void hook(TestUsers.TestUser owner, User bot, String url) {
        bots(owner).setBotWebhook(SetBotWebhookRequest.newBuilder().setBotId(bot.getId()).setUrl(url).build());
    }

    private static dev.parley.api.v1.Conversation direct(TestUsers.TestUser owner, User bot) {
        return owner.conversations().createDirectConversation(CreateDirectConversationRequest.newBuilder()
                .setUserId(bot.getId()).build()).getConversation();
    }

    private static User createBot(TestUsers.TestUser owner, String prefix) {
        return bots(owner).createBot(CreateBotRequest.newBuilder().setUsername(TestUsers.uniqueName(prefix)).build())
                .getBot().getUser();
    }

    private static BotServiceGrpc.BotServiceBlockingStub bots(TestUsers.TestUser user) {
        return Api.withToken(BotServiceGrpc.newBlockingStub(Api.channel()), user.tokens().getAccessToken());
    }
}
