package dev.parley.server.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.api.v1.Conversation;
import dev.parley.api.v1.CreateDirectConversationRequest;
import dev.parley.api.v1.Device;
import dev.parley.api.v1.GetConversationRequest;
import dev.parley.api.v1.GetNotificationSettingsRequest;
import dev.parley.api.v1.GetPushConfigRequest;
import dev.parley.api.v1.ListDevicesRequest;
import dev.parley.api.v1.MarkReadRequest;
import dev.parley.api.v1.MyMembership;
import dev.parley.api.v1.NotificationLevel;
import dev.parley.api.v1.RegisterDeviceRequest;
import dev.parley.api.v1.UnregisterDeviceRequest;
import dev.parley.api.v1.UpdateMySettingsRequest;
import dev.parley.api.v1.UpdateNotificationSettingsRequest;
import dev.parley.api.v1.WebPushSubscription;
import dev.parley.server.support.Chats;
import dev.parley.server.support.Errors;
import dev.parley.server.support.StreamClient;
import dev.parley.server.support.TestUsers;
import io.grpc.Status;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Notifications pushed to people who are away, through a real push endpoint on this machine that checks each
 * push's VAPID signature and decrypts it with the subscription's private key ({@link PushReceiver}).
 */
@QuarkusTest
class PushNotificationsTest {

    @Inject
    EntityManager entities;

    private PushReceiver receiver;

    @BeforeEach
    void startReceiver() throws Exception {
        receiver = new PushReceiver();
    }

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    private Device register(TestUsers.TestUser person, PushReceiver.Subscription subscription) {
        return person.notifications().registerDevice(RegisterDeviceRequest.newBuilder().setDevice(Device.newBuilder()
                .setName("test browser").setWebPush(WebPushSubscription.newBuilder()
                        .setEndpoint(subscription.endpoint()).setP256Dh(subscription.p256dh())
                        .setAuth(subscription.authSecret()))).build()).getDevice();
    }

    private static void level(TestUsers.TestUser person, Conversation conversation, NotificationLevel level) {
        person.conversations().updateMySettings(UpdateMySettingsRequest.newBuilder()
                .setConversationId(conversation.getId()).setNotificationLevel(level).build());
    }

    private static void quietFor(PushReceiver.Subscription subscription, int pushes) {
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5))
                .until(() -> subscription.pushes().size() == pushes);
    }

    @Test
    void aMessageToSomeoneAwayArrivesEncryptedAndSignedAtTheirEndpoint() throws Exception {
        var ann = TestUsers.signUp("pushann");
        var bob = TestUsers.signUp("pushbob");
        var browser = receiver.subscribe("bob-" + bob.id());
        Device device = register(bob, browser);
        assertThat(device.getWebPush().getEndpoint()).isEqualTo(browser.endpoint());
        var group = Chats.group(ann, bob);

        Chats.send(ann, group, "lunch at noon?");

        await().atMost(Duration.ofSeconds(10)).until(() -> browser.pushes().size() == 1);
        var push = browser.pushes().get(0);
        assertThat(receiver.refused).isEmpty();
        assertThat(push.payload().path("type").asText()).isEqualTo("message");
        assertThat(push.payload().path("conversation_id").asText()).isEqualTo(group.getId());
        assertThat(push.payload().path("title").asText()).isEqualTo(group.getTitle());
        assertThat(push.payload().path("text").asText()).isEqualTo("lunch at noon?");
        assertThat(push.payload().path("author").asText()).isEqualTo(ann.user().getDisplayName());
        assertThat(push.payload().path("count").asInt()).isEqualTo(1);
        assertThat(push.payload().path("mention").asBoolean()).isFalse();
        assertThat(push.vapidKey()).isEqualTo(bob.notifications().getPushConfig(
                GetPushConfigRequest.getDefaultInstance()).getVapidPublicKey());
        assertThat(push.ttl()).isEqualTo("86400");
        assertThat(ann.notifications().listDevices(ListDevicesRequest.getDefaultInstance()).getDevicesList())
                .as("the author has no devices").isEmpty();
        await().atMost(Duration.ofSeconds(5)).until(() -> bob.notifications().listDevices(
                ListDevicesRequest.getDefaultInstance()).getDevices(0).hasLastPushTime());
    }

    @Test
    void levelsMuteAndTheAccountDefaultDecideWhoIsNotified() throws Exception {
        var ann = TestUsers.signUp("levelann");
        var bob = TestUsers.signUp("levelbob");
        var browser = receiver.subscribe("level-" + bob.id());
        register(bob, browser);
        var group = Chats.group(ann, bob);
        var direct = ann.conversations().createDirectConversation(CreateDirectConversationRequest.newBuilder()
                .setUserId(bob.id()).build()).getConversation();

        level(bob, group, NotificationLevel.NOTIFICATION_LEVEL_MENTIONS);
        Chats.send(ann, group, "not about bob");
        Chats.send(ann, group, "@" + bob.username() + " can you look?");
        await().atMost(Duration.ofSeconds(10)).until(() -> browser.pushes().size() == 1);
        assertThat(browser.pushes().get(0).payload().path("text").asText()).contains("can you look?");
        assertThat(browser.pushes().get(0).payload().path("mention").asBoolean()).isTrue();
        assertThat(browser.pushes().get(0).payload().path("count").asInt()).isEqualTo(1);

        level(bob, group, NotificationLevel.NOTIFICATION_LEVEL_NOTHING);
        Chats.send(ann, group, "@" + bob.username() + " again?");
        quietFor(browser, 1);

        level(bob, group, NotificationLevel.NOTIFICATION_LEVEL_EVERYTHING);
        bob.conversations().updateMySettings(UpdateMySettingsRequest.newBuilder().setConversationId(group.getId())
                .setMuted(true).build());
        Chats.send(ann, group, "muted, so silent");
        quietFor(browser, 1);

        // Following the account default, which is now mentions: a direct message is always one.
        bob.conversations().updateMySettings(UpdateMySettingsRequest.newBuilder().setConversationId(group.getId())
                .setMuted(false).setNotificationLevel(NotificationLevel.NOTIFICATION_LEVEL_DEFAULT).build());
        bob.notifications().updateNotificationSettings(UpdateNotificationSettingsRequest.newBuilder()
                .setDefaultLevel(NotificationLevel.NOTIFICATION_LEVEL_MENTIONS).build());
        assertThat(bob.notifications().getNotificationSettings(GetNotificationSettingsRequest.getDefaultInstance())
                .getSettings().getDefaultLevel()).isEqualTo(NotificationLevel.NOTIFICATION_LEVEL_MENTIONS);
        Chats.send(ann, group, "the default says mentions only");
        Chats.send(ann, direct, "psst, a direct message");
        await().atMost(Duration.ofSeconds(10)).until(() -> browser.pushes().size() == 2);
        quietFor(browser, 2);
        var pushed = browser.pushes().get(1).payload();
        assertThat(pushed.path("conversation_id").asText()).isEqualTo(direct.getId());
        assertThat(pushed.path("title").asText()).isEqualTo(ann.user().getDisplayName());
        assertThat(pushed.path("mention").asBoolean()).isTrue();
        MyMembership me = bob.conversations().getConversation(GetConversationRequest.newBuilder()
                .setConversationId(group.getId()).build()).getConversation().getMe();
        assertThat(me.getNotificationLevel()).isEqualTo(NotificationLevel.NOTIFICATION_LEVEL_DEFAULT);
    }

    @Test
    void someoneWithAnOpenStreamIsNotPushedAndMessagesCoalesce() throws Exception {
        var ann = TestUsers.signUp("coalann");
        var bob = TestUsers.signUp("coalbob");
        var browser = receiver.subscribe("coal-" + bob.id());
        register(bob, browser);
        var group = Chats.group(ann, bob);
        try (StreamClient stream = StreamClient.open(bob, Map.of())) {
            stream.awaitReady();
            Chats.send(ann, group, "bob is here and reads it live");
            stream.nextEvent();
            quietFor(browser, 0);
        }
        // Offline once the presence grace period has passed: then a message is pushed, and the next ones within
        // the coalescing interval (2 s in tests) become one push that counts them.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
            Chats.send(ann, group, "are you gone?");
            return !browser.pushes().isEmpty();
        });
        await().during(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(10)).until(() -> true);
        int before = browser.pushes().size();
        Chats.send(ann, group, "one");
        await().atMost(Duration.ofSeconds(10)).until(() -> browser.pushes().size() == before + 1);
        long firstAt = System.nanoTime();
        Chats.send(ann, group, "two");
        Chats.send(ann, group, "three");
        await().atMost(Duration.ofSeconds(10)).until(() -> browser.pushes().size() == before + 2);
        assertThat(Duration.ofNanos(System.nanoTime() - firstAt)).as("held for the coalescing interval")
                .isGreaterThan(Duration.ofMillis(1500));
        quietFor(browser, before + 2);
        assertThat(browser.pushes().get(before).payload().path("count").asInt()).isEqualTo(1);
        var last = browser.pushes().get(before + 1).payload();
        assertThat(last.path("count").asInt()).isEqualTo(2);
        assertThat(last.path("text").asText()).isEqualTo("three");
    }

    @Test
    void aFailingPushServiceIsRetriedAndAnEndedSubscriptionRemovesTheDevice() throws Exception {
        var ann = TestUsers.signUp("retryann");
        var bob = TestUsers.signUp("retrybob");
        var browser = receiver.subscribe("retry-" + bob.id());
        AtomicInteger calls = new AtomicInteger();
        browser.answer = () -> calls.incrementAndGet() <= 2 ? 503 : 201;
        register(bob, browser);
        var group = Chats.group(ann, bob);
        Chats.send(ann, group, "try until it works");
        await().atMost(Duration.ofSeconds(15)).until(() -> browser.pushes().stream()
                .anyMatch(p -> p.answeredWith() == 201));
        quietFor(browser, 3);
        assertThat(browser.pushes()).extracting(PushReceiver.Push::answeredWith).containsExactly(503, 503, 201);

        browser.answer = () -> 410;
        Chats.send(ann, group, "this subscription has ended");
        await().atMost(Duration.ofSeconds(15)).until(() -> bob.notifications().listDevices(
                ListDevicesRequest.getDefaultInstance()).getDevicesCount() == 0);
    }

    @Test
    void aPushFailingPastTheGiveUpTimeIsDropped() throws Exception {
        var ann = TestUsers.signUp("dropann");
        var bob = TestUsers.signUp("dropbob");
        var browser = receiver.subscribe("drop-" + bob.id());
        browser.answer = () -> 500;
        Device device = register(bob, browser);
        var group = Chats.group(ann, bob);
        Chats.send(ann, group, "nobody will get this");
        await().atMost(Duration.ofSeconds(10)).until(() -> !browser.pushes().isEmpty());
        QuarkusTransaction.requiringNew().run(() -> entities.createNativeQuery("update push_notifications "
                + "set first_queued_at = first_queued_at - interval '25 hours' where device_id = ?1")
                .setParameter(1, java.util.UUID.fromString(device.getId())).executeUpdate());
        await().atMost(Duration.ofSeconds(15)).until(() -> QuarkusTransaction.requiringNew().call(() ->
                ((Number) entities.createNativeQuery("select count(*) from push_notifications where device_id = ?1 "
                        + "and pending = 0 and last_error = 'HTTP 500'")
                        .setParameter(1, java.util.UUID.fromString(device.getId())).getSingleResult())
                        .intValue() == 1));
    }

    @Test
    void unreadMentionsAreCountedAndClearedByReading() {
        var ann = TestUsers.signUp("countann");
        var bob = TestUsers.signUp("countbob");
        var group = Chats.group(ann, bob);
        Chats.send(ann, group, "@" + bob.username() + " first");
        var second = Chats.send(ann, group, "@" + bob.username() + " second");
        Chats.send(ann, group, "no mention");
        assertThat(mine(bob, group).getUnreadMentionCount()).isEqualTo(2);
        ann.messages().deleteMessage(dev.parley.api.v1.DeleteMessageRequest.newBuilder()
                .setMessageId(second.getId()).build());
        assertThat(mine(bob, group).getUnreadMentionCount()).isEqualTo(1);
        bob.messages().markRead(MarkReadRequest.newBuilder().setConversationId(group.getId())
                .setUpToSequence(second.getSequence() - 1).build());
        assertThat(mine(bob, group).getUnreadMentionCount()).isZero();
        Chats.send(ann, group, "@" + bob.username() + " third");
        assertThat(mine(bob, group).getUnreadMentionCount()).isEqualTo(1);
    }

    private static MyMembership mine(TestUsers.TestUser person, Conversation conversation) {
        return person.conversations().getConversation(GetConversationRequest.newBuilder()
                .setConversationId(conversation.getId()).build()).getConversation().getMe();
    }

    @Test
    void badRegistrationsAndSettingsNameTheirField() throws Exception {
        var bob = TestUsers.signUp("badpush");
        var browser = receiver.subscribe("bad-" + bob.id());
        var good = WebPushSubscription.newBuilder().setEndpoint(browser.endpoint()).setP256Dh(browser.p256dh())
                .setAuth(browser.authSecret()).build();
        Map<String, Device> bad = Map.of(
                "device", Device.getDefaultInstance(),
                "device.web_push.endpoint", Device.newBuilder().setWebPush(good.toBuilder()
                        .setEndpoint("http://127.0.0.1:9/metadata")).build(),
                "device.web_push.p256dh", Device.newBuilder().setWebPush(good.toBuilder()
                        .setP256Dh(browser.authSecret())).build(),
                "device.web_push.auth", Device.newBuilder().setWebPush(good.toBuilder()
                        .setAuth(browser.p256dh())).build(),
                "device.fcm_token", Device.newBuilder().setFcmToken(" ").build(),
                "device.name", Device.newBuilder().setWebPush(good).setName("x".repeat(101)).build());
        bad.forEach((field, device) -> {
            var failure = Errors.assertFails(Status.Code.INVALID_ARGUMENT, () -> bob.notifications()
                    .registerDevice(RegisterDeviceRequest.newBuilder().setDevice(device).build()));
            assertThat(Errors.badFields(failure)).as(field).containsExactly(field);
        });
        var failure = Errors.assertFails(Status.Code.INVALID_ARGUMENT, () -> bob.notifications()
                .updateNotificationSettings(UpdateNotificationSettingsRequest.newBuilder()
                        .setDefaultLevel(NotificationLevel.NOTIFICATION_LEVEL_DEFAULT).build()));
        assertThat(Errors.badFields(failure)).containsExactly("default_level");
        Errors.assertFails(Status.Code.NOT_FOUND, () -> bob.notifications().unregisterDevice(
                UnregisterDeviceRequest.newBuilder().setDeviceId(java.util.UUID.randomUUID().toString()).build()));

        // Registering the same endpoint again keeps one device; someone else's device cannot be removed.
        Device first = register(bob, browser);
        Device again = register(bob, browser);
        assertThat(again.getId()).isEqualTo(first.getId());
        var eve = TestUsers.signUp("badpusheve");
        Errors.assertFails(Status.Code.NOT_FOUND, () -> eve.notifications().unregisterDevice(
                UnregisterDeviceRequest.newBuilder().setDeviceId(first.getId()).build()));
        bob.notifications().unregisterDevice(UnregisterDeviceRequest.newBuilder().setDeviceId(first.getId()).build());
        assertThat(bob.notifications().listDevices(ListDevicesRequest.getDefaultInstance()).getDevicesList()).isEmpty();
    }
}
