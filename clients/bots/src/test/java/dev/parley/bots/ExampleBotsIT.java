package dev.parley.bots;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.api.v1.CreateBotRequest;
import dev.parley.api.v1.CreateBotResponse;
import dev.parley.api.v1.CreateDirectConversationRequest;
import dev.parley.api.v1.ListMessagesRequest;
import dev.parley.api.v1.Message;
import dev.parley.api.v1.SetBotWebhookRequest;
import dev.parley.client.ParleyClient;
import dev.parley.client.TestServer;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The example bots against a live server: the stream bot across an absence, the webhook bot end to end. */
class ExampleBotsIT {

    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start("parley_it_bots");
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void theEchoBotAnswersEveryMessageOnceEvenThoseSentWhileItWasAway() throws Exception {
        try (var owner = person("echoowner")) {
            CreateBotResponse bot = owner.bots().createBot(CreateBotRequest.newBuilder()
                    .setUsername("echo_" + UUID.randomUUID().toString().substring(0, 6)).build());
            String direct = owner.conversations().createDirectConversation(CreateDirectConversationRequest
                    .newBuilder().setUserId(bot.getBot().getUser().getId()).build()).getConversation().getId();

            try (var echo = new EchoBot(server.target(), bot.getToken(), true)) {
                assertThat(echo.awaitLive(Duration.ofSeconds(10))).isTrue();
                owner.send(direct, "hello bot");
                await().atMost(Duration.ofSeconds(15)).until(() -> echoes(owner, direct).size() == 1);
            }
            for (int i = 1; i <= 100; i++) {
                owner.send(direct, "while away " + i);
            }
            try (var echo = new EchoBot(server.target(), bot.getToken(), true)) {
                await().atMost(Duration.ofSeconds(60)).until(() -> echoes(owner, direct).size() >= 101);
                await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                        .until(() -> echoes(owner, direct).size() == 101);
            }
            assertThat(echoes(owner, direct)).containsExactlyElementsOf(IntStream.rangeClosed(0, 100)
                    .mapToObj(i -> i == 0 ? "echo: hello bot" : "echo: while away " + i).toList());
        }
    }

    @Test
    void theWebhookBotAnswersThroughItsWebhookAndRefusesForgeries() throws Exception {
        try (var owner = person("hookowner")) {
            CreateBotResponse bot = owner.bots().createBot(CreateBotRequest.newBuilder()
                    .setUsername("hook_" + UUID.randomUUID().toString().substring(0, 6)).build());
            String botId = bot.getBot().getUser().getId();
            int port;
            try (var probe = new ServerSocket(0)) {
                port = probe.getLocalPort();
            }
            String secret = owner.bots().setBotWebhook(SetBotWebhookRequest.newBuilder().setBotId(botId)
                    .setUrl("http://127.0.0.1:" + port + "/parley").build()).getSigningSecret();
            try (var hook = new WebhookBot(port, secret)) {
                var forged = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + port + "/parley")).header("x-parley-timestamp", Long.toString(System.currentTimeMillis()
                        / 1000)).header("x-parley-signature", "v1=00").POST(HttpRequest.BodyPublishers.ofString("{}"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertThat(forged.statusCode()).isEqualTo(401);

                String direct = owner.conversations().createDirectConversation(CreateDirectConversationRequest
                        .newBuilder().setUserId(botId).build()).getConversation().getId();
                owner.send(direct, "hi there");
                await().atMost(Duration.ofSeconds(30)).until(() -> texts(owner, direct).contains("You said: hi there"));
            }
        }
    }

    private static List<String> echoes(ParleyClient owner, String conversation) {
        return texts(owner, conversation).stream().filter(text -> text.startsWith("echo: ")).toList();
    }

    /** Every message's text, oldest first, paging back through the whole history. */
    private static List<String> texts(ParleyClient owner, String conversation) {
        List<String> texts = new java.util.ArrayList<>();
        var request = ListMessagesRequest.newBuilder().setConversationId(conversation).setPageSize(200);
        while (true) {
            var page = owner.messages().listMessages(request.build());
            texts.addAll(0, page.getMessagesList().stream().map(Message::getText).toList());
            if (!page.getHasMore() || page.getMessagesCount() == 0) {
                return texts;
            }
            request.setBeforeSequence(page.getMessages(0).getSequence());
        }
    }

    private static ParleyClient person(String prefix) {
        String name = prefix + "_" + UUID.randomUUID().toString().substring(0, 6);
        var client = ParleyClient.builder(server.target()).plaintext().build();
        client.signUp(name, name + "@example.com", name, "a long passphrase");
        return client;
    }

}
