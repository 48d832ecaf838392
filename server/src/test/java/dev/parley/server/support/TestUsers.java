package dev.parley.server.support;

import dev.parley.api.v1.AttachmentServiceGrpc;
import dev.parley.api.v1.AuthServiceGrpc;
import dev.parley.api.v1.ConversationServiceGrpc;
import dev.parley.api.v1.MessageServiceGrpc;
import dev.parley.api.v1.SessionTokens;
import dev.parley.api.v1.SignUpRequest;
import dev.parley.api.v1.SignUpResponse;
import dev.parley.api.v1.User;
import dev.parley.api.v1.UserServiceGrpc;
import java.util.concurrent.atomic.AtomicInteger;

/** People for tests: each signed up through the API with a unique name; the instance's administrator first. */
public final class TestUsers {

    /** A signed-up person with the password and tokens a client would hold. */
    public record TestUser(User user, String password, SessionTokens tokens) {

        public UserServiceGrpc.UserServiceBlockingStub users() {
            return Api.withToken(Api.users(), tokens.getAccessToken());
        }

        public ConversationServiceGrpc.ConversationServiceBlockingStub conversations() {
            return Api.withToken(ConversationServiceGrpc.newBlockingStub(Api.channel()),
                    tokens.getAccessToken()).withDeadlineAfter(30, java.util.concurrent.TimeUnit.SECONDS);
        }

        public MessageServiceGrpc.MessageServiceBlockingStub messages() {
            return Api.withToken(MessageServiceGrpc.newBlockingStub(Api.channel()),
                    tokens.getAccessToken()).withDeadlineAfter(30, java.util.concurrent.TimeUnit.SECONDS);
        }

        /** Sends without waiting, for many calls in flight at once. */
        public MessageServiceGrpc.MessageServiceFutureStub messagesAsync() {
            return Api.withToken(MessageServiceGrpc.newFutureStub(Api.channel()), tokens.getAccessToken())
                    .withDeadlineAfter(60, java.util.concurrent.TimeUnit.SECONDS);
        }

        public ConversationServiceGrpc.ConversationServiceFutureStub conversationsAsync() {
            return Api.withToken(ConversationServiceGrpc.newFutureStub(Api.channel()), tokens.getAccessToken())
                    .withDeadlineAfter(60, java.util.concurrent.TimeUnit.SECONDS);
        }

        public AttachmentServiceGrpc.AttachmentServiceBlockingStub attachments() {
            return Api.withToken(AttachmentServiceGrpc.newBlockingStub(Api.channel()),
                    tokens.getAccessToken()).withDeadlineAfter(60, java.util.concurrent.TimeUnit.SECONDS);
        }

        public dev.parley.api.v1.NotificationServiceGrpc.NotificationServiceBlockingStub notifications() {
            return Api.withToken(dev.parley.api.v1.NotificationServiceGrpc.newBlockingStub(Api.channel()),
                    tokens.getAccessToken()).withDeadlineAfter(60, java.util.concurrent.TimeUnit.SECONDS);
        }

        public AuthServiceGrpc.AuthServiceBlockingStub auth() {
            return Api.withToken(Api.auth(), tokens.getAccessToken());
        }

        public String username() {
            return user.getUsername();
        }

        public String id() {
            return user.getId();
        }
    }

    public static final String PASSWORD = "correct horse battery staple";
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final String RUN = Long.toString(System.nanoTime() % 1_000_000, 36);
    private static TestUser administrator;

    private TestUsers() {
    }

    /** The first account of the (freshly created) test instance, so the administrator. */
    public static synchronized TestUser administrator() {
        if (administrator == null) {
            administrator = create("admin");
        }
        return administrator;
    }

    public static TestUser signUp(String namePrefix) {
        administrator();
        return create(namePrefix);
    }

    /** A username no other test uses: prefix, run and counter, within the 32-character limit. */
    public static String uniqueName(String prefix) {
        return (prefix + "-" + RUN + "-" + COUNTER.incrementAndGet()).toLowerCase();
    }

    private static TestUser create(String namePrefix) {
        String name = uniqueName(namePrefix);
        // each from an address of its own, so that tests under low per-address limits (LowLimits) sign up freely
        SignUpResponse response = Api.from(Api.auth(), Api.freshAddress()).signUp(SignUpRequest.newBuilder()
                .setUsername(name)
                .setEmail(name + "@example.com")
                .setDisplayName("Test " + name)
                .setPassword(PASSWORD)
                .setDeviceName("tests")
                .build());
        return new TestUser(response.getUser(), PASSWORD, response.getTokens());
    }
}
