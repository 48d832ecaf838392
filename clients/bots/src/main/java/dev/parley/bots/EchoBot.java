package dev.parley.bots;

import dev.parley.api.v1.ConversationEvent;
import dev.parley.api.v1.Message;
import dev.parley.api.v1.SendMessageRequest;
import dev.parley.api.v1.StreamEventsResponse;
import dev.parley.client.Credentials;
import dev.parley.client.EventListener;
import dev.parley.client.EventSubscription;
import dev.parley.client.ParleyClient;
import dev.parley.client.ParleyException;
import java.util.concurrent.CountDownLatch;

/**
 * A bot on the SDK's event stream: it answers direct messages and mentions of it with an echo, in the thread of
 * the message. It acknowledges each event once handled, so after a restart (or an hour offline) it resumes from
 * the server-kept position and handles every message exactly once.
 *
 * <p>Run: {@code PARLEY_SERVER=localhost:9090 PARLEY_BOT_TOKEN=pbt_... java -cp ... dev.parley.bots.EchoBot}
 */
public final class EchoBot implements EventListener, AutoCloseable {

    private final ParleyClient parley;
    private final String myId;
    private final String myName;
    private final EventSubscription stream;
    private final CountDownLatch live = new CountDownLatch(1);

    public EchoBot(String server, String token, boolean plaintext) {
        var builder = ParleyClient.builder(server).credentials(Credentials.bot(token)).deviceName("echo bot");
        this.parley = (plaintext ? builder.plaintext() : builder).build();
        var me = parley.refreshMe();
        this.myId = me.getId();
        this.myName = me.getUsername();
        this.stream = parley.subscribeFromAcknowledged(this);
    }

    public static void main(String[] args) throws InterruptedException {
        String server = System.getenv().getOrDefault("PARLEY_SERVER", "localhost:9090");
        String token = System.getenv("PARLEY_BOT_TOKEN");
        if (token == null) {
            System.err.println("echo bot: set PARLEY_BOT_TOKEN (from BotService.CreateBot)");
            System.exit(2);
        }
        try (EchoBot bot = new EchoBot(server, token, !"true".equals(System.getenv("PARLEY_TLS")))) {
            System.out.println("echo bot @" + bot.myName + " is listening");
            new CountDownLatch(1).await();
        }
    }

    @Override
    public void onEvent(StreamEventsResponse item) {
        if (!item.hasConversationEvent()) {
            return;
        }
        ConversationEvent event = item.getConversationEvent();
        if (event.hasMessageSent() && addressedToMe(event.getMessageSent())) {
            Message message = event.getMessageSent();
            // the client_message_id comes from the message answered, so a redelivery cannot echo twice
            parley.send(SendMessageRequest.newBuilder().setConversationId(message.getConversationId())
                    .setClientMessageId("echo-" + message.getId()).setReplyToMessageId(message.getId())
                    .setText("echo: " + message.getText()).build());
        }
        parley.acknowledge(event.getConversationId(), event.getSequence());
    }

    @Override
    public void onLive() {
        live.countDown();
    }

    /** Waits until the stream is live: messages sent from then on reach the bot even on its first run. */
    public boolean awaitLive(java.time.Duration timeout) throws InterruptedException {
        return live.await(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    @Override
    public void onClosed(ParleyException cause) {
        System.err.println("echo bot: stopped (" + cause.reason() + "); is the token revoked?");
    }

    private boolean addressedToMe(Message message) {
        if (message.getAuthorId().equals(myId)) {
            return false;
        }
        boolean mentioned = message.getMentionsList().stream().anyMatch(m -> m.getUserId().equals(myId));
        return mentioned || isDirect(message.getConversationId());
    }

    private boolean isDirect(String conversationId) {
        return ParleyClient.call(() -> parley.conversations().getConversation(
                dev.parley.api.v1.GetConversationRequest.newBuilder().setConversationId(conversationId).build()))
                .getConversation().getKind() == dev.parley.api.v1.ConversationKind.CONVERSATION_KIND_DIRECT;
    }

    @Override
    public void close() {
        stream.close();
        parley.close();
    }
}
