package dev.parley.server.boot;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The few settings read before Quarkus (and so its configuration) exists. Each comes from an environment variable
 * or the matching system property, so {@code PARLEY_DATABASE_URL} and {@code -Dparley.database.url} both work.
 */
record Settings(Optional<String> databaseUrl, Optional<String> databaseUser, Optional<String> databasePassword,
        Optional<String> redisUrl, Path dataDirectory, boolean signingKeyFiles, boolean keepGeneratedKey) {

    static Settings fromEnvironment() {
        return new Settings(read("PARLEY_DATABASE_URL"), read("PARLEY_DATABASE_USER"),
                read("PARLEY_DATABASE_PASSWORD"), read("PARLEY_REDIS_URL"),
                Path.of(read("PARLEY_DATA_DIR").orElse("parley-data")).toAbsolutePath(),
                read("PARLEY_AUTH_JWT_PRIVATE_KEY_PATH").or(() -> Optional.ofNullable(
                        System.getProperty("parley.auth.jwt.private-key-path"))).isPresent(),
                read("PARLEY_AUTH_JWT_KEEP_GENERATED_KEY").map(Boolean::parseBoolean).orElse(false));
    }

    private static Optional<String> read(String variable) {
        String property = variable.toLowerCase().replace('_', '.');
        return Optional.ofNullable(System.getProperty(property))
                .or(() -> Optional.ofNullable(System.getenv(variable)))
                .map(String::trim)
                .filter(value -> !value.isEmpty());
    }
}
