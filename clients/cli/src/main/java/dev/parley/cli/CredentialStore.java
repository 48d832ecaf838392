package dev.parley.cli;

import dev.parley.api.v1.SessionTokens;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The session kept between commands, in the user's config directory ($PARLEY_CONFIG_DIR, else
 * $XDG_CONFIG_HOME/parley, else ~/.config/parley): a file only its owner can read, in a directory only its owner
 * can enter, written whole and then moved into place so a crash never leaves half a file.
 */
final class CredentialStore {

    /** One stored session. */
    record Saved(String server, String userId, String username, String accessToken, String refreshToken) {
        Saved renewed(SessionTokens tokens) {
            return new Saved(server, userId, username, tokens.getAccessToken(), tokens.getRefreshToken());
        }
    }

    private final Path directory;

    private CredentialStore(Path directory) {
        this.directory = directory;
    }

    static CredentialStore locate(Map<String, String> environment) {
        String explicit = environment.get("PARLEY_CONFIG_DIR");
        if (explicit != null && !explicit.isBlank()) {
            return new CredentialStore(Path.of(explicit));
        }
        String xdg = environment.get("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
        return new CredentialStore(base.resolve("parley"));
    }

    Path file() {
        return directory.resolve("credentials.properties");
    }

    Optional<Saved> load() {
        if (!Files.exists(file())) {
            return Optional.empty();
        }
        Properties properties = new Properties();
        try (var reader = Files.newBufferedReader(file())) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Optional.of(new Saved(properties.getProperty("server"), properties.getProperty("user_id", ""),
                properties.getProperty("username", ""), properties.getProperty("access_token"),
                properties.getProperty("refresh_token")));
    }

    synchronized void save(Saved saved) {
        Properties properties = new Properties();
        properties.setProperty("server", saved.server());
        properties.setProperty("user_id", saved.userId());
        properties.setProperty("username", saved.username());
        properties.setProperty("access_token", saved.accessToken());
        properties.setProperty("refresh_token", saved.refreshToken());
        try {
            Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
            Path temporary = Files.createTempFile(directory, "credentials", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (var writer = Files.newBufferedWriter(temporary)) {
                properties.store(writer, "parley CLI session: keep private");
            }
            Files.move(temporary, file(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file(), e);
        }
    }

    void forget() {
        try {
            Files.deleteIfExists(file());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
