package dev.parley.server.common;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * Secrets every replica must share (the key that signs download addresses, the VAPID key pair), kept in
 * server_secrets and made by whichever node needs one first: each node offers a fresh value and reads back the one
 * stored, so two nodes starting together still end up with the same.
 */
@ApplicationScoped
public class ServerSecrets {

    private final DataSource database;

    ServerSecrets(DataSource database) {
        this.database = database;
    }

    /** The secret of this name, made with {@code fresh} when there is none yet. */
    public byte[] get(String name, Supplier<byte[]> fresh) {
        try (Connection connection = database.getConnection()) {
            try (PreparedStatement insert = connection.prepareStatement(
                    "insert into server_secrets (name, value) values (?, ?) on conflict (name) do nothing")) {
                insert.setString(1, name);
                insert.setBytes(2, fresh.get());
                insert.executeUpdate();
            }
            try (PreparedStatement query = connection.prepareStatement(
                    "select value from server_secrets where name = ?")) {
                query.setString(1, name);
                try (ResultSet rows = query.executeQuery()) {
                    rows.next();
                    return rows.getBytes(1);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the server secret " + name, e);
        }
    }
}
