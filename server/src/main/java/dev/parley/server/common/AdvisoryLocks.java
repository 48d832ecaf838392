package dev.parley.server.common;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * PostgreSQL advisory locks held for a transaction, which the replicas of a cluster use to take turns at work only
 * one of them should do at a time (purges). Each user picks a key no other part of Parley locks.
 */
public final class AdvisoryLocks {

    private AdvisoryLocks() {
    }

    /** Takes the lock for the connection's transaction, or answers false at once when another session holds it. */
    public static boolean tryForTransaction(Connection connection, long key) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("select pg_try_advisory_xact_lock(?)")) {
            statement.setLong(1, key);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getBoolean(1);
            }
        }
    }
}
