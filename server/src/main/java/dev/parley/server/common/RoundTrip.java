package dev.parley.server.common;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Several statements sent to PostgreSQL together and answered together: one network round trip instead of one
 * each. The driver sends every statement of a multi-statement query before it reads any answer; a failing one
 * aborts the rest (and the transaction). Each part binds its own parameters and reads its own result, so parts
 * written by different features can share a trip.
 */
public final class RoundTrip {

    /** One statement of the trip. */
    public interface Part {

        String sql();

        /** Sets this statement's parameters, starting at {@code first}; answers the index after its last. */
        int bind(Connection connection, PreparedStatement statement, int first) throws SQLException;

        /** Reads this statement's answer: its rows, or null and the number of rows it changed. */
        void read(ResultSet rows, int updated) throws SQLException;
    }

    private final List<Part> parts = new ArrayList<>();

    public RoundTrip with(Part part) {
        parts.add(part);
        return this;
    }

    public void run(Connection connection) throws SQLException {
        String sql = parts.stream().map(Part::sql).collect(Collectors.joining(";\n"));
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            int next = 1;
            for (Part part : parts) {
                next = part.bind(connection, statement, next);
            }
            boolean rows = statement.execute();
            for (Part part : parts) {
                if (rows) {
                    try (ResultSet result = statement.getResultSet()) {
                        part.read(result, -1);
                    }
                } else if (statement.getUpdateCount() >= 0) {
                    part.read(null, statement.getUpdateCount());
                } else {
                    throw new IllegalStateException("no answer for: " + part.sql());
                }
                rows = statement.getMoreResults();
            }
            if (rows || statement.getUpdateCount() != -1) {
                throw new IllegalStateException("more answers than statements in: " + sql);
            }
        }
    }

    /** A statement without parameters whose answer does not matter (a setting, for instance). */
    public static Part plain(String sql) {
        return new Part() {
            @Override
            public String sql() {
                return sql;
            }

            @Override
            public int bind(Connection connection, PreparedStatement statement, int first) {
                return first;
            }

            @Override
            public void read(ResultSet rows, int updated) {
            }
        };
    }
}
