package dev.parley.server.common;

import java.sql.Array;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.UUID;

/**
 * PostgreSQL arrays for statements that write or read many rows at once ({@code unnest(?::uuid[], ...)}): one
 * statement, one round trip, whatever the number of rows.
 */
public final class SqlArrays {

    private SqlArrays() {
    }

    public static Array uuids(Connection connection, Collection<UUID> values) throws SQLException {
        return connection.createArrayOf("uuid", values.toArray());
    }

    public static Array texts(Connection connection, Collection<String> values) throws SQLException {
        return connection.createArrayOf("text", values.toArray());
    }

    public static Array longs(Connection connection, Collection<Long> values) throws SQLException {
        return connection.createArrayOf("bigint", values.toArray());
    }

    public static Array ints(Connection connection, Collection<Integer> values) throws SQLException {
        return connection.createArrayOf("integer", values.toArray());
    }

    public static Array bytes(Connection connection, Collection<byte[]> values) throws SQLException {
        return connection.createArrayOf("bytea", values.toArray(byte[][]::new));
    }
}
