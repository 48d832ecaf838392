package dev.parley.server.notification;

import com.google.protobuf.Duration;
import dev.parley.api.v1.NotificationLevel;
import dev.parley.api.v1.NotificationSettings;
import dev.parley.api.v1.UpdateNotificationSettingsRequest;
import dev.parley.server.common.ParleyException;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Each account's notification settings: the default level, which every conversation at DEFAULT follows, and the
 * e-mail digest (on or off, and after how long offline).
 */
@ApplicationScoped
class AccountLevels {

    static final long FEWEST_DIGEST_SECONDS = 5 * 60;
    static final long MOST_DIGEST_SECONDS = 7 * 24 * 3600;

    private final DataSource database;

    AccountLevels(DataSource database) {
        this.database = database;
    }

    NotificationSettings get(UUID accountId) {
        try (Connection connection = database.getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "select notification_level, email_digest, email_digest_after_seconds from accounts "
                                + "where id = ?")) {
            query.setObject(1, accountId);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return NotificationSettings.newBuilder().setDefaultLevel(NotificationLevel.valueOf(
                        "NOTIFICATION_LEVEL_" + rows.getString(1).toUpperCase(Locale.ROOT)))
                        .setEmailDigest(rows.getBoolean(2))
                        .setEmailDigestAfter(Duration.newBuilder().setSeconds(rows.getInt(3))).build();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read notification settings", e);
        }
    }

    NotificationSettings update(UUID accountId, UpdateNotificationSettingsRequest request) {
        NotificationLevel level = request.getDefaultLevel();
        if (level == NotificationLevel.UNRECOGNIZED || level == NotificationLevel.NOTIFICATION_LEVEL_DEFAULT) {
            throw ParleyException.invalid("INVALID_FIELDS", "default_level",
                    "must be NOTIFICATION_LEVEL_EVERYTHING, NOTIFICATION_LEVEL_MENTIONS or NOTIFICATION_LEVEL_NOTHING");
        }
        Long after = null;
        if (request.hasEmailDigestAfter()) {
            Duration asked = request.getEmailDigestAfter();
            if (asked.getNanos() != 0 || asked.getSeconds() < FEWEST_DIGEST_SECONDS
                    || asked.getSeconds() > MOST_DIGEST_SECONDS) {
                throw ParleyException.invalid("INVALID_FIELDS", "email_digest_after",
                        "must be whole seconds from 5 minutes to 7 days");
            }
            after = asked.getSeconds();
        }
        try (Connection connection = database.getConnection();
                PreparedStatement update = connection.prepareStatement("""
                        update accounts set notification_level = coalesce(?, notification_level),
                               email_digest = coalesce(?, email_digest),
                               email_digest_after_seconds = coalesce(?, email_digest_after_seconds)
                         where id = ?""")) {
            update.setString(1, level == NotificationLevel.NOTIFICATION_LEVEL_UNSPECIFIED ? null
                    : level.name().substring("NOTIFICATION_LEVEL_".length()).toLowerCase(Locale.ROOT));
            update.setObject(2, request.hasEmailDigest() ? request.getEmailDigest() : null, java.sql.Types.BOOLEAN);
            update.setObject(3, after == null ? null : after.intValue(), java.sql.Types.INTEGER);
            update.setObject(4, accountId);
            update.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Could not change notification settings", e);
        }
        return get(accountId);
    }
}
