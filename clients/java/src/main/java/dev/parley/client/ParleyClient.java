package dev.parley.client;

import dev.parley.api.v1.AcknowledgeEventsRequest;
import dev.parley.api.v1.Attachment;
import dev.parley.api.v1.AttachmentServiceGrpc;
import dev.parley.api.v1.AuthServiceGrpc;
import dev.parley.api.v1.BotServiceGrpc;
import dev.parley.api.v1.ConversationPosition;
import dev.parley.api.v1.ConversationServiceGrpc;
import dev.parley.api.v1.EventServiceGrpc;
import dev.parley.api.v1.LogInRequest;
import dev.parley.api.v1.LogOutRequest;
import dev.parley.api.v1.MessageServiceGrpc;
import dev.parley.api.v1.PresenceServiceGrpc;
import dev.parley.api.v1.SearchMessagesRequest;
import dev.parley.api.v1.SearchMessagesResponse;
import dev.parley.api.v1.SendMessageRequest;
import dev.parley.api.v1.SendMessageResponse;
import dev.parley.api.v1.SessionTokens;
import dev.parley.api.v1.SignUpRequest;
import dev.parley.api.v1.SignUpResponse;
import dev.parley.api.v1.User;
import dev.parley.api.v1.UserServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A connection to a Parley server for one signed-in person (or none yet). The typed stubs ({@link #messages()},
 * {@link #conversations()}...) carry the session's access token, renewed before it expires; {@link #send} sends
 * safely; {@link #subscribe} keeps the event stream open and resumes it after any break. Close it when done.
 *
 * <pre>{@code
 * try (var parley = ParleyClient.builder("localhost:9090").plaintext()
 *         .credentials(Credentials.password("ada", "a long passphrase")).build()) {
 *     parley.send(conversationId, "hello");
 * }
 * }</pre>
 */
public final class ParleyClient implements AutoCloseable {

    /** Tries of one send when the server is unreachable or slow; each try has its own deadline. */
    private static final int SEND_ATTEMPTS = 5;
    private static final long CALL_DEADLINE_SECONDS = 15;

    private final ManagedChannel channel;
    private final String deviceName;
    private final Consumer<SessionTokens> tokensChanged;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "parley-client");
        thread.setDaemon(true);
        return thread;
    });
    private final URI httpAddress;
    private final FileTransfers files = new FileTransfers(this::attachments);
    private volatile TokenSession session;
    private volatile User me;

    private ParleyClient(Builder builder) {
        var channelBuilder = NettyChannelBuilder.forTarget(builder.target)
                .defaultServiceConfig(ServiceConfig.standard()).enableRetry()
                .intercept(new TokenRefusals(() -> session))
                .keepAliveTime(30, TimeUnit.SECONDS).keepAliveTimeout(10, TimeUnit.SECONDS)
                .userAgent("parley-java/" + version());
        this.channel = (builder.plaintext ? channelBuilder.usePlaintext() : channelBuilder.useTransportSecurity())
                .build();
        this.deviceName = builder.deviceName;
        this.httpAddress = builder.httpAddress != null ? builder.httpAddress : defaultHttpAddress(builder.target);
        this.tokensChanged = builder.tokensChanged;
        try {
            switch (builder.credentials) {
                case Credentials.Password password -> logIn(password.login(), password.password());
                case Credentials.Tokens tokens -> startSession(SessionTokens.newBuilder()
                        .setAccessToken(tokens.accessToken()).setRefreshToken(tokens.refreshToken()).build());
                case Credentials.Bot bot -> startSession(SessionTokens.newBuilder().setAccessToken(bot.token())
                        .build());
                case Credentials.None none -> {
                }
            }
        } catch (RuntimeException refused) {
            close();
            throw refused;
        }
    }

    /** A client of the server at {@code target} ("host:port"); TLS unless {@link Builder#plaintext()}. */
    public static Builder builder(String target) {
        return new Builder(target);
    }

    /** Creates an account and signs this client in as it. */
    public User signUp(String username, String email, String displayName, String password) {
        SignUpResponse answer = call(() -> AuthServiceGrpc.newBlockingStub(channel)
                .withDeadlineAfter(CALL_DEADLINE_SECONDS, TimeUnit.SECONDS).signUp(SignUpRequest.newBuilder()
                        .setUsername(username).setEmail(email).setDisplayName(displayName).setPassword(password)
                        .setDeviceName(deviceName).build()));
        startSession(answer.getTokens());
        tokensChanged.accept(answer.getTokens());
        return me = answer.getUser();
    }

    /** Signs this client in with a username or email and a password. */
    public User logIn(String login, String password) {
        var answer = call(() -> AuthServiceGrpc.newBlockingStub(channel)
                .withDeadlineAfter(CALL_DEADLINE_SECONDS, TimeUnit.SECONDS).logIn(LogInRequest.newBuilder()
                        .setLogin(login).setPassword(password).setDeviceName(deviceName).build()));
        startSession(answer.getTokens());
        tokensChanged.accept(answer.getTokens());
        return me = answer.getUser();
    }

    /** Ends the session on the server (its tokens stop working everywhere at once). */
    public void logOut() {
        call(() -> auth().logOut(LogOutRequest.getDefaultInstance()));
        session = null;
    }

    /** The signed-in account, as of the last sign-in or {@link #refreshMe()}. */
    public User me() {
        return me != null ? me : refreshMe();
    }

    /** Reads the signed-in account again from the server. */
    public User refreshMe() {
        return me = call(() -> users().getMe(dev.parley.api.v1.GetMeRequest.getDefaultInstance()).getUser());
    }

    /**
     * Sends a message, retrying on UNAVAILABLE and DEADLINE_EXCEEDED with the same {@code client_message_id}, so
     * however often it is retried the conversation gets it once. Each try already has the service config's quick
     * UNAVAILABLE retries (about 3 s in all); these outer tries add DEADLINE_EXCEEDED, which the service config
     * cannot retry, and the patience to outlast a server restart.
     */
    public SendMessageResponse send(SendMessageRequest request) {
        var once = request.getClientMessageId().isEmpty()
                ? request.toBuilder().setClientMessageId(UUID.randomUUID().toString()).build() : request;
        for (int attempt = 1; ; attempt++) {
            try {
                return messages().withDeadlineAfter(CALL_DEADLINE_SECONDS, TimeUnit.SECONDS).sendMessage(once);
            } catch (StatusRuntimeException failure) {
                Status.Code code = failure.getStatus().getCode();
                boolean retryable = code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED;
                if (!retryable || attempt == SEND_ATTEMPTS) {
                    throw ParleyException.from(failure);
                }
                sleep(200L << attempt);
            }
        }
    }

    /** Sends a text message; see {@link #send(SendMessageRequest)}. */
    public SendMessageResponse send(String conversationId, String text) {
        return send(SendMessageRequest.newBuilder().setConversationId(conversationId).setText(text).build());
    }

    /** Sends a message with files uploaded by {@link #upload}; the text may be empty. */
    public SendMessageResponse send(String conversationId, String text, List<Attachment> attachments) {
        return send(SendMessageRequest.newBuilder().setConversationId(conversationId).setText(text)
                .addAllAttachmentIds(attachments.stream().map(Attachment::getId).toList()).build());
    }

    /**
     * Uploads a file for a conversation, a chunk at a time, resuming after a dropped connection or a restarted
     * server from what the server holds; the attachment to send with {@link #send(String, String, List)}. A refusal
     * (too large, over the quota, a damaged picture) is a {@link ParleyException} naming its reason.
     */
    public Attachment upload(String conversationId, Path file, UploadProgress progress) throws IOException {
        return files.upload(conversationId, file, progress);
    }

    /** Uploads a file; see {@link #upload(String, Path, UploadProgress)}. */
    public Attachment upload(String conversationId, Path file) throws IOException {
        return upload(conversationId, file, (bytes, of) -> { });
    }

    /**
     * Downloads an attachment of a message the caller can read (or its thumbnail) into {@code target}, over HTTP
     * from the server's HTTP address ({@link Builder#httpAddress}).
     */
    public Path download(String attachmentId, boolean thumbnail, Path target) throws IOException {
        return files.download(attachmentId, thumbnail, httpAddress, target);
    }

    /**
     * Finds messages in the caller's conversations, newest first, a page of 20; the query's syntax (words, "phrases",
     * from:, in:, has:link, is:thread, before:, after:, on:) is SearchMessagesRequest.query's.
     */
    public SearchMessagesResponse search(String query) {
        return search(SearchMessagesRequest.newBuilder().setQuery(query).build());
    }

    /** Finds messages; a bad query is a {@link ParleyException} whose field violations name the part. */
    public SearchMessagesResponse search(SearchMessagesRequest request) {
        return call(() -> messages().withDeadlineAfter(CALL_DEADLINE_SECONDS, TimeUnit.SECONDS)
                .searchMessages(request));
    }

    /**
     * Opens the live event stream, resuming each conversation after the given sequence (an empty map: live from
     * now), and keeps it open until closed or the session ends.
     */
    public EventSubscription subscribe(Map<String, Long> positions, EventListener listener) {
        return start(positions, false, listener);
    }

    /**
     * Opens the live event stream from the positions this account acknowledged on the server ({@link #acknowledge}),
     * so that a bot restarted anywhere gets every event it had not handled, once.
     */
    public EventSubscription subscribeFromAcknowledged(EventListener listener) {
        return start(Map.of(), true, listener);
    }

    /** Records on the server that this account has handled a conversation up to a sequence number. */
    public void acknowledge(String conversationId, long sequence) {
        call(() -> EventServiceGrpc.newBlockingStub(channel).withCallCredentials(session())
                .withDeadlineAfter(CALL_DEADLINE_SECONDS, TimeUnit.SECONDS)
                .acknowledgeEvents(AcknowledgeEventsRequest.newBuilder().addPositions(ConversationPosition.newBuilder()
                        .setConversationId(conversationId).setSequence(sequence)).build()));
    }

    private EventSubscription start(Map<String, Long> positions, boolean fromAcknowledged, EventListener listener) {
        var subscription = new EventSubscription(EventServiceGrpc.newStub(channel).withCallCredentials(session()),
                session(), positions, fromAcknowledged, listener, scheduler);
        subscription.start();
        return subscription;
    }

    /** Runs a call of the typed stubs, turning a refusal into a {@link ParleyException}. */
    public static <T> T call(Supplier<T> call) {
        try {
            return call.get();
        } catch (StatusRuntimeException failure) {
            throw ParleyException.from(failure);
        }
    }

    /**
     * Typed stub for sessions, log-out, password changes. Calls carry the session; wrap them in
     * {@link #call} for typed errors.
     */
    public AuthServiceGrpc.AuthServiceBlockingStub auth() {
        return AuthServiceGrpc.newBlockingStub(channel).withCallCredentials(session());
    }

    /**
     * Typed stub for profiles and finding people. Calls carry the session; wrap them in
     * {@link #call} for typed errors.
     */
    public UserServiceGrpc.UserServiceBlockingStub users() {
        return UserServiceGrpc.newBlockingStub(channel).withCallCredentials(session());
    }

    /**
     * Typed stub for conversations, members, join requests. Calls carry the session; wrap them in
     * {@link #call} for typed errors.
     */
    public ConversationServiceGrpc.ConversationServiceBlockingStub conversations() {
        return ConversationServiceGrpc.newBlockingStub(channel).withCallCredentials(session());
    }

    /**
     * Typed stub for history, edits, reactions, read positions (send with {@link #send}). Calls carry the
     * session; wrap them in {@link #call} for typed errors.
     */
    public MessageServiceGrpc.MessageServiceBlockingStub messages() {
        return MessageServiceGrpc.newBlockingStub(channel).withCallCredentials(session());
    }

    /**
     * Typed stub for uploads and download links (upload with {@link #upload}). Calls carry the session; wrap them
     * in {@link #call} for typed errors.
     */
    public AttachmentServiceGrpc.AttachmentServiceBlockingStub attachments() {
        return AttachmentServiceGrpc.newBlockingStub(channel).withCallCredentials(session());
    }

    /**
     * Typed stub for bots, their tokens and webhooks. Calls carry the session; wrap them in
     * {@link #call} for typed errors.
     */
    public BotServiceGrpc.BotServiceBlockingStub bots() {
        return BotServiceGrpc.newBlockingStub(channel).withCallCredentials(session());
    }

    /**
     * Typed stub for presence and typing. Calls carry the session; wrap them in
     * {@link #call} for typed errors.
     */
    public PresenceServiceGrpc.PresenceServiceBlockingStub presence() {
        return PresenceServiceGrpc.newBlockingStub(channel).withCallCredentials(session());
    }

    /** The channel itself, for stubs of your own (add the session with the typed stubs' call credentials). */
    public ManagedChannel channel() {
        return channel;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void startSession(SessionTokens tokens) {
        session = new TokenSession(AuthServiceGrpc.newBlockingStub(channel), tokens, tokensChanged);
    }

    private TokenSession session() {
        TokenSession current = session;
        if (current == null) {
            throw new IllegalStateException("not signed in: build with credentials, or call logIn or signUp first");
        }
        return current;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying a send", e);
        }
    }

    /** The same host, port 8080: where a server with nothing configured serves the web app and downloads. */
    private static URI defaultHttpAddress(String target) {
        String host = target.contains(":") ? target.substring(0, target.lastIndexOf(':')) : target;
        return URI.create("http://" + host.replaceFirst("^dns:/*", "") + ":8080/");
    }

    private static String version() {
        return Objects.requireNonNullElse(ParleyClient.class.getPackage().getImplementationVersion(), "dev");
    }

    /** Settings of a {@link ParleyClient}. */
    public static final class Builder {
        private final String target;
        private boolean plaintext;
        private Credentials credentials = Credentials.none();
        private String deviceName = "parley-java";
        private Consumer<SessionTokens> tokensChanged = tokens -> { };
        private URI httpAddress;

        private Builder(String target) {
            this.target = Objects.requireNonNull(target, "target");
        }

        /** Cleartext HTTP/2: for a local server or behind a TLS-terminating proxy on the same host. */
        public Builder plaintext() {
            this.plaintext = true;
            return this;
        }

        /** How to sign in when built (default: not signed in). */
        public Builder credentials(Credentials credentials) {
            this.credentials = Objects.requireNonNull(credentials, "credentials");
            return this;
        }

        /** Shown in the account's session list. */
        public Builder deviceName(String deviceName) {
            this.deviceName = deviceName;
            return this;
        }

        /**
         * The server's HTTP address, where download links point (default: the target's host, port 8080; behind a
         * proxy, the address browsers use), such as {@code https://chat.example.com/}.
         */
        public Builder httpAddress(URI address) {
            this.httpAddress = Objects.requireNonNull(address, "address");
            return this;
        }

        /** Told each new token pair (after sign-in and every renewal), to keep the session across restarts. */
        public Builder onTokensChanged(Consumer<SessionTokens> listener) {
            this.tokensChanged = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** Connects (lazily) and, with password credentials, logs in: a refused log-in throws. */
        public ParleyClient build() {
            return new ParleyClient(this);
        }
    }
}
