package dev.parley.server.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.UUID;

/**
 * Gives each test run a fresh instance: the {@code parley_test} database is recreated once per JVM (so "the first
 * account" means something), and Redis keys get a prefix of their own (so counters of earlier runs don't leak in).
 * Fails with one clear message when the machine's PostgreSQL is not running.
 */
@io.quarkus.test.common.QuarkusTestResource(TestServices.class)
public class TestServices implements QuarkusTestResourceLifecycleManager {

    public static final String DATABASE = "parley_test";
    public static final String HOST = System.getenv().getOrDefault("PARLEY_TEST_DATABASE_HOST", "127.0.0.1");
    public static final String URL = "jdbc:postgresql://" + HOST + ":5432/" + DATABASE;
    private static final String PREFIX = "parley-test-" + UUID.randomUUID().toString().substring(0, 8) + ":";
    private static boolean recreated;

    @Override
    public synchronized Map<String, String> start() {
        if (!recreated) {
            recreateDatabase();
            recreated = true;
        }
        return Map.of("parley.redis.key-prefix", PREFIX);
    }

    @Override
    public void stop() {
    }

    /** A plain JDBC connection to the test database, for checks that read what the server stored. */
    /** The numbers a query with one id parameter answers (sequence numbers of a conversation, for instance). */
    public static java.util.List<Long> numbers(String sql, String id) throws SQLException {
        try (Connection connection = connect(); java.sql.PreparedStatement query = connection.prepareStatement(sql)) {
            query.setObject(1, UUID.fromString(id));
            java.util.List<Long> values = new java.util.ArrayList<>();
            try (java.sql.ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    values.add(rows.getLong(1));
                }
            }
            return values;
        }
    }

    public static Connection connect() throws SQLException {
        return DriverManager.getConnection(URL, "postgres", "");
    }

    /** Drops a database of the test server, so that a packaged server started on it creates it afresh. */
    public static void dropDatabase(String database) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:postgresql://" + HOST + ":5432/postgres",
                "postgres", "")) {
            connection.createStatement().execute("drop database if exists " + database + " with (force)");
        }
    }

    /** A connection to another database of the test server, such as a packaged server's in an IT. */
    public static Connection connect(String database) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + HOST + ":5432/" + database, "postgres", "");
    }

    private static void recreateDatabase() {
        String maintenance = "jdbc:postgresql://" + HOST + ":5432/postgres";
        try (Connection connection = DriverManager.getConnection(maintenance, "postgres", "")) {
            connection.createStatement().execute("drop database if exists " + DATABASE + " with (force)");
            connection.createStatement().execute("create database " + DATABASE);
        } catch (SQLException e) {
            throw new IllegalStateException("The tests need PostgreSQL at " + HOST + ":5432 (user postgres, trust "
                    + "auth): " + e.getMessage(), e);
        }
    }
}
