package dev.parley.server.auth;

import dev.parley.server.account.Account;
import dev.parley.server.account.AccountRules;
import dev.parley.server.common.ParleyException;
import dev.parley.server.common.SecretTokens;
import dev.parley.server.common.Violations;
import dev.parley.server.mail.MailSender;
import dev.parley.server.web.WebConfig;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Forgotten passwords: a single-use token mailed to the account's address, and the new password it allows. Asking
 * answers the same whether or not the address has an account, so it cannot be used to find out who is here.
 */
@ApplicationScoped
class PasswordResets {

    private final PasswordHasher hasher;
    private final Sessions sessions;
    private final MailSender mail;
    private final AuthConfig config;
    private final Clock clock;

    private final AddressLimits addressLimits;
    private final javax.sql.DataSource database;
    private final String resetLinkBase;

    PasswordResets(PasswordHasher hasher, Sessions sessions, MailSender mail, AuthConfig config, Clock clock,
            AddressLimits addressLimits, javax.sql.DataSource database, WebConfig web) {
        this.resetLinkBase = web.publicUrl().replaceAll("/+$", "") + "/";
        this.addressLimits = addressLimits;
        this.database = database;
        this.hasher = hasher;
        this.sessions = sessions;
        this.mail = mail;
        this.config = config;
        this.clock = clock;
    }

    void request(String email) {
        Violations violations = new Violations();
        AccountRules.email(violations, "email", email.strip());
        violations.throwIfAny();
        addressLimits.resetRequest(Caller.currentAddress());
        QuarkusTransaction.requiringNew().run(() -> Account.byEmail(email.strip())
                .filter(account -> account.active)
                .ifPresent(this::sendToken));
    }

    void reset(String resetToken, String newPassword) {
        Violations violations = new Violations();
        violations.check(!resetToken.isBlank(), "reset_token", "is required");
        AccountRules.password(violations, "new_password", newPassword);
        violations.throwIfAny();
        String tokenHash = SecretTokens.hash(resetToken.strip());
        // The token is looked up before a hash is spent on the new password: a bogus token costs one indexed read,
        // in plain SQL outside any transaction, so a flood of them leaves the server's time to everyone else.
        if (!exists(tokenHash)) {
            throw invalidToken();
        }
        String passwordHash = hasher.hash(newPassword);
        QuarkusTransaction.requiringNew().run(() -> {
            Instant now = clock.instant();
            PasswordResetToken token = PasswordResetToken.findById(tokenHash, LockModeType.PESSIMISTIC_WRITE);
            if (!usable(token)) {
                throw invalidToken(); // used by a concurrent reset meanwhile
            }
            // Using one token spends every outstanding one of the account.
            PasswordResetToken.update("usedAt = ?1 where accountId = ?2 and usedAt is null", now, token.accountId);
            Account.existing(token.accountId).passwordHash = passwordHash;
            sessions.endAll(token.accountId, Optional.empty(), "password reset");
        });
    }

    private boolean exists(String tokenHash) {
        try (var connection = database.getConnection(); var query = connection.prepareStatement(
                "select 1 from password_reset_tokens where token_hash = ? and used_at is null and expires_at > ?")) {
            query.setString(1, tokenHash);
            query.setObject(2, java.sql.Timestamp.from(clock.instant()));
            try (var found = query.executeQuery()) {
                return found.next();
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("Could not look the reset token up", e);
        }
    }

    private boolean usable(PasswordResetToken token) {
        return token != null && token.usableAt(clock.instant());
    }

    private static ParleyException invalidToken() {
        return ParleyException.invalid("RESET_TOKEN_INVALID", "reset_token",
                "is unknown, already used or expired, ask for a new one");
    }

    private void sendToken(Account account) {
        String secret = SecretTokens.generate();
        PasswordResetToken token = new PasswordResetToken();
        token.tokenHash = SecretTokens.hash(secret);
        token.accountId = account.id;
        token.createdAt = clock.instant();
        token.expiresAt = token.createdAt.plus(config.resetTokenLifetime());
        token.persist();
        // The token travels in the link's fragment, which browsers never send to a server: it stays out of access
        // logs and Referer headers. Native clients take the same token from the mail.
        String link = resetLinkBase + "#reset-token=" + secret;
        mail.send(account.email, "Reset your Parley password", """
                Hello %s,

                Someone asked to reset the password of your Parley account '%s'. If it was you, open this link
                within %d minutes to choose a new password:

                    %s

                or give this reset token to your Parley client:

                    %s

                The link works once. If it was not you, ignore this message; your password stays as it is.
                """.formatted(account.displayName, account.username, config.resetTokenLifetime().toMinutes(), link,
                secret), token.expiresAt);
    }
}
