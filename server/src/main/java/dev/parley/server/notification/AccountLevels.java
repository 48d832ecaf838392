package dev.parley.server.notification;

import dev.parley.api.v1.NotificationLevel;
import dev.parley.api.v1.NotificationSettings;
import dev.parley.server.common.ParleyException;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import java.util.UUID;
import javax.sql.DataSource;

/** Each account's default notification level: what every conversation whose level is DEFAULT follows. */
@ApplicationScoped
class AccountLevels {

    private final DataSource database;

    AccountLevels(DataSource database) {
        this.database = database;
    }

    NotificationSettings get(UUID accountId) {
        try (Connection connection = database.getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "select notification_level from accounts where id = ?")) {
            query.setObject(1, accountId);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return NotificationSettings.newBuilder().setDefaultLevel(NotificationLevel.valueOf(
                        "NOTIFICATION_LEVEL_" + rows.getString(1).toUpperCase(Locale.ROOT))).build();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read notification settings", e);
        }
    }

    NotificationSettings update(UUID accountId, NotificationLevel level) {
        if (level == NotificationLevel.UNRECOGNIZED || level == NotificationLevel.NOTIFICATION_LEVEL_DEFAULT) {
            throw ParleyException.invalid("INVALID_FIELDS", "default_level",
                    "must be NOTIFICATION_LEVEL_EVERYTHING, NOTIFICATION_LEVEL_MENTIONS or NOTIFICATION_LEVEL_NOTHING");
        }
        if (level != NotificationLevel.NOTIFICATION_LEVEL_UNSPECIFIED) {
            try (Connection connection = database.getConnection();
                    PreparedStatement update = connection.prepareStatement(
                            "update accounts set notification_level = ? where id = ?")) {
                update.setString(1, level.name().substring("NOTIFICATION_LEVEL_".length()).toLowerCase(Locale.ROOT));
                update.setObject(2, accountId);
                update.executeUpdate();
            } catch (SQLException e) {
                throw new IllegalStateException("Could not change notification settings", e);
            }
        }
        return get(accountId);
    }
}
