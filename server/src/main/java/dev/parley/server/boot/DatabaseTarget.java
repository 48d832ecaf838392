package dev.parley.server.boot;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * The PostgreSQL database the server will use. Accepts JDBC URLs and the {@code postgres://user:pass@host/db} form
 * that hosting platforms hand out, creates the database when the server is reachable but the database is missing,
 * and otherwise fails with one line naming the host and the fix.
 */
class DatabaseTarget {

    private final String jdbcUrl;
    private final String user;
    private final String password;
    private final String remedy;

    DatabaseTarget(String jdbcUrl, String user, String password, String remedy) {
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
        this.remedy = remedy;
    }

    static DatabaseTarget configured(Settings settings) {
        String url = settings.databaseUrl().orElseThrow();
        String user = settings.databaseUser().orElse("postgres");
        String password = settings.databasePassword().orElse("");
        if (url.startsWith("postgres://") || url.startsWith("postgresql://")) {
            URI uri = URI.create(url);
            if (uri.getUserInfo() != null) {
                String[] parts = uri.getUserInfo().split(":", 2);
                user = settings.databaseUser().orElse(decode(parts[0]));
                password = settings.databasePassword().orElse(parts.length > 1 ? decode(parts[1]) : "");
            }
            String port = uri.getPort() > 0 ? ":" + uri.getPort() : "";
            String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
            url = "jdbc:postgresql://" + uri.getHost() + port + uri.getRawPath() + query;
        } else if (!url.startsWith("jdbc:postgresql:")) {
            throw new StartupFailure("PARLEY_DATABASE_URL must be a jdbc:postgresql:// or postgres:// URL, got "
                    + url);
        }
        return new DatabaseTarget(url, user, password,
                "Start PostgreSQL there, or correct PARLEY_DATABASE_URL (unset it to use the embedded database).");
    }

    /** Connects once; creates the database if only it is missing; otherwise fails with one clear line. */
    void ensureReachable() {
        try (Connection ignored = connect(jdbcUrl)) {
            return;
        } catch (SQLException e) {
            if (!"3D000".equals(e.getSQLState())) {
                throw unreachable(e);
            }
        }
        createDatabase();
    }

    /** Hands the connection to Quarkus's datasource, read when Quarkus starts right after. */
    void exportToQuarkus() {
        System.setProperty("quarkus.datasource.jdbc.url", jdbcUrl);
        System.setProperty("quarkus.datasource.username", user);
        System.setProperty("quarkus.datasource.password", password);
    }

    private void createDatabase() {
        String name = databaseName();
        if (!name.matches("[A-Za-z0-9_]+")) {
            throw new StartupFailure("database \"" + name + "\" does not exist; create it, then start again");
        }
        String maintenanceUrl = jdbcUrl.replaceFirst("/" + name + "(?=$|\\?)", "/postgres");
        try (Connection connection = connect(maintenanceUrl)) {
            connection.createStatement().execute("CREATE DATABASE \"" + name + "\"");
        } catch (SQLException e) {
            // Another node starting at the same moment created it first: 42P04, or 23505 when the two raced.
            if (!"42P04".equals(e.getSQLState()) && !"23505".equals(e.getSQLState())) {
                throw new StartupFailure("database \"" + name + "\" does not exist and could not be created ("
                        + e.getMessage() + "); create it, then start again");
            }
        }
    }

    private Connection connect(String url) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        properties.setProperty("connectTimeout", "5");
        properties.setProperty("loginTimeout", "10");
        return DriverManager.getConnection(url, properties);
    }

    private StartupFailure unreachable(SQLException e) {
        String cause = e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
        return new StartupFailure("cannot use PostgreSQL at " + hostPart() + " (" + cause + "). " + remedy);
    }

    private String hostPart() {
        String rest = jdbcUrl.substring("jdbc:postgresql://".length());
        int query = rest.indexOf('?');
        return query < 0 ? rest : rest.substring(0, query);
    }

    private String databaseName() {
        String path = hostPart();
        return path.substring(path.indexOf('/') + 1);
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }
}
