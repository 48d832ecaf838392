package dev.parley.server.notification;

import dev.parley.api.v1.Device;
import dev.parley.api.v1.WebPushSubscription;
import dev.parley.server.common.ErrorKind;
import dev.parley.server.common.ParleyException;
import dev.parley.server.grpc.ProtoTime;
import dev.parley.server.webhook.WebhookTargets;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The places a person's pushes go. A Web Push endpoint is held to the webhooks' rules (a push is a request the
 * server makes to an address a stranger chose), its key must be a P-256 point and its secret 16 bytes, so that a
 * bad subscription is refused when it is registered rather than failing at every push.
 */
@ApplicationScoped
class Devices {

    static final int MOST_PER_ACCOUNT = 20;
    private static final int MOST_NAME = 100;
    private static final int MOST_ENDPOINT = 2000;
    private static final int MOST_TOKEN = 4096;

    private final DataSource database;
    private final WebhookTargets targets;
    private final Clock clock;

    Devices(DataSource database, WebhookTargets targets, Clock clock) {
        this.database = database;
        this.targets = targets;
        this.clock = clock;
    }

    /** What a registration stores, checked. */
    private record Target(String kind, String address, byte[] p256dh, byte[] auth) {
    }

    Device register(UUID accountId, Device device) {
        Target target = target(device);
        if (device.getName().codePointCount(0, device.getName().length()) > MOST_NAME) {
            throw ParleyException.invalid("INVALID_FIELDS", "device.name", "must be at most 100 characters");
        }
        try (Connection connection = database.getConnection()) {
            connection.setAutoCommit(false);
            try {
                // The account's row is locked so that two registrations at once cannot both pass the limit.
                try (PreparedStatement lock = connection.prepareStatement(
                        "select 1 from accounts where id = ? for update")) {
                    lock.setObject(1, accountId);
                    lock.executeQuery().close();
                }
                // Registered again (by this account, or by someone else on a shared browser): it is this account's now,
                // and what was waiting for the previous account is not pushed to it.
                try (PreparedStatement forget = connection.prepareStatement("""
                        delete from push_notifications n using push_devices d
                         where d.id = n.device_id and d.kind = ? and d.address = ? and d.account_id <> ?""")) {
                    forget.setString(1, target.kind());
                    forget.setString(2, target.address());
                    forget.setObject(3, accountId);
                    forget.executeUpdate();
                }
                try (PreparedStatement update = connection.prepareStatement("""
                        update push_devices set account_id = ?, p256dh = ?, auth = ?, name = ?, registered_at = ?
                         where kind = ? and address = ? returning id""")) {
                    update.setObject(1, accountId);
                    update.setBytes(2, target.p256dh());
                    update.setBytes(3, target.auth());
                    update.setString(4, device.getName());
                    update.setTimestamp(5, Timestamp.from(clock.instant()));
                    update.setString(6, target.kind());
                    update.setString(7, target.address());
                    try (ResultSet rows = update.executeQuery()) {
                        if (rows.next()) {
                            UUID id = rows.getObject(1, UUID.class);
                            connection.commit();
                            return find(accountId, id);
                        }
                    }
                }
                if (count(connection, accountId) >= MOST_PER_ACCOUNT) {
                    throw ParleyException.of(ErrorKind.FAILED_PRECONDITION, "TOO_MANY_DEVICES",
                            "An account has at most " + MOST_PER_ACCOUNT + " devices: unregister one first");
                }
                UUID id = UUID.randomUUID();
                try (PreparedStatement insert = connection.prepareStatement("""
                        insert into push_devices (id, account_id, kind, address, p256dh, auth, name, registered_at)
                        values (?, ?, ?, ?, ?, ?, ?, ?)""")) {
                    insert.setObject(1, id);
                    insert.setObject(2, accountId);
                    insert.setString(3, target.kind());
                    insert.setString(4, target.address());
                    insert.setBytes(5, target.p256dh());
                    insert.setBytes(6, target.auth());
                    insert.setString(7, device.getName());
                    insert.setTimestamp(8, Timestamp.from(clock.instant()));
                    insert.executeUpdate();
                }
                connection.commit();
                return find(accountId, id);
            } finally {
                connection.rollback(); // nothing after a commit; everything after a refusal
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not register a device", e);
        }
    }

    void unregister(UUID accountId, UUID deviceId) {
        try (Connection connection = database.getConnection();
                PreparedStatement delete = connection.prepareStatement(
                        "delete from push_devices where id = ? and account_id = ?")) {
            delete.setObject(1, deviceId);
            delete.setObject(2, accountId);
            if (delete.executeUpdate() == 0) {
                throw ParleyException.notFound("Device " + deviceId);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not unregister a device", e);
        }
    }

    List<Device> list(UUID accountId) {
        return query("where account_id = ? order by registered_at desc, id", accountId, null);
    }

    private Device find(UUID accountId, UUID id) {
        return query("where account_id = ? and id = ?", accountId, id).get(0);
    }

    private List<Device> query(String where, UUID accountId, UUID id) {
        try (Connection connection = database.getConnection();
                PreparedStatement query = connection.prepareStatement("select id, kind, address, p256dh, auth, name, "
                        + "registered_at, last_pushed_at from push_devices " + where)) {
            query.setObject(1, accountId);
            if (id != null) {
                query.setObject(2, id);
            }
            List<Device> devices = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    devices.add(view(rows));
                }
            }
            return devices;
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read devices", e);
        }
    }

    private static Device view(ResultSet rows) throws SQLException {
        var device = Device.newBuilder().setId(rows.getObject("id", UUID.class).toString())
                .setName(rows.getString("name"))
                .setRegisterTime(ProtoTime.of(rows.getTimestamp("registered_at").toInstant()));
        Timestamp pushed = rows.getTimestamp("last_pushed_at");
        if (pushed != null) {
            device.setLastPushTime(ProtoTime.of(pushed.toInstant()));
        }
        String address = rows.getString("address");
        Base64.Encoder base64url = Base64.getUrlEncoder().withoutPadding();
        switch (rows.getString("kind")) {
            case "web_push" -> device.setWebPush(WebPushSubscription.newBuilder().setEndpoint(address)
                    .setP256Dh(base64url.encodeToString(rows.getBytes("p256dh")))
                    .setAuth(base64url.encodeToString(rows.getBytes("auth"))));
            case "fcm" -> device.setFcmToken(address);
            default -> device.setApnsToken(address);
        }
        return device.build();
    }

    private Target target(Device device) {
        return switch (device.getTargetCase()) {
            case WEB_PUSH -> webPush(device.getWebPush());
            case FCM_TOKEN -> new Target("fcm", token(device.getFcmToken(), "device.fcm_token"), null, null);
            case APNS_TOKEN -> new Target("apns", token(device.getApnsToken(), "device.apns_token"), null, null);
            case TARGET_NOT_SET -> throw ParleyException.invalid("INVALID_FIELDS", "device",
                    "must have a web_push subscription, an fcm_token or an apns_token");
        };
    }

    private Target webPush(WebPushSubscription subscription) {
        String endpoint = subscription.getEndpoint().strip();
        if (endpoint.isEmpty() || endpoint.length() > MOST_ENDPOINT) {
            throw ParleyException.invalid("INVALID_FIELDS", "device.web_push.endpoint",
                    "must be an absolute https:// URL of at most 2,000 characters");
        }
        targets.checkUrl(endpoint, "device.web_push.endpoint");
        byte[] key = base64url(subscription.getP256Dh(), "device.web_push.p256dh");
        try {
            P256.publicKey(key);
        } catch (IllegalArgumentException e) {
            throw ParleyException.invalid("INVALID_FIELDS", "device.web_push.p256dh",
                    "must be the subscription's P-256 public key (65 bytes, base64url): " + e.getMessage());
        }
        byte[] auth = base64url(subscription.getAuth(), "device.web_push.auth");
        if (auth.length != 16) {
            throw ParleyException.invalid("INVALID_FIELDS", "device.web_push.auth",
                    "must be the subscription's 16-byte authentication secret, base64url");
        }
        return new Target("web_push", endpoint, key, auth);
    }

    private static byte[] base64url(String text, String field) {
        try {
            return Base64.getUrlDecoder().decode(text.strip().replace("=", ""));
        } catch (IllegalArgumentException e) {
            throw ParleyException.invalid("INVALID_FIELDS", field, "is not base64url");
        }
    }

    private static String token(String token, String field) {
        String stripped = token.strip();
        if (stripped.isEmpty() || stripped.length() > MOST_TOKEN) {
            throw ParleyException.invalid("INVALID_FIELDS", field, "must be 1 to 4,096 characters");
        }
        return stripped;
    }

    private static int count(Connection connection, UUID accountId) throws SQLException {
        try (PreparedStatement count = connection.prepareStatement(
                "select count(*) from push_devices where account_id = ?")) {
            count.setObject(1, accountId);
            try (ResultSet rows = count.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }
}
