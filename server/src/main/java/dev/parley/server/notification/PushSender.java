package dev.parley.server.notification;

import java.util.concurrent.CompletableFuture;

/**
 * Hands one notification to a device's push service. This server provides Web Push ({@link WebPushSender}); a
 * deployment adds FCM or APNs by providing a CDI bean of this interface for {@code "fcm"} or {@code "apns"}, and
 * devices of a kind with no sender are stored but not pushed to.
 */
public interface PushSender {

    /** What became of a push: handed over, the device's registration gone (it is removed), or a failure to retry. */
    enum Outcome { DELIVERED, GONE, FAILED }

    /** The outcome, and for a failure what went wrong. */
    record Result(Outcome outcome, String error) {
    }

    /** A device as its sender needs it: the endpoint or token, and for Web Push the subscription's keys. */
    record Target(String address, byte[] p256dh, byte[] auth) {
    }

    /** The device kind this sends to, as stored: {@code web_push}, {@code fcm} or {@code apns}. */
    String kind();

    /** Pushes the payload (the JSON NotificationService documents) to the device; completes, never throws. */
    CompletableFuture<Result> push(Target device, byte[] payload, boolean urgent);
}
