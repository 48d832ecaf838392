package dev.parley.server.auth;

import dev.parley.server.account.Account;
import dev.parley.server.account.AccountRules;
import dev.parley.server.common.Constraints;
import dev.parley.server.common.ErrorKind;
import dev.parley.server.common.ParleyException;
import dev.parley.server.common.Violations;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.PersistenceException;
import java.time.Clock;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/** Signing up, logging in and changing passwords. Password hashing happens outside transactions: it is slow. */
@ApplicationScoped
public class Accounts {

    /** An account with a session just opened on it. */
    public record SignedIn(Account account, Sessions.Issued session) {
    }

    private final PasswordHasher hasher;
    private final Sessions sessions;
    private final LoginThrottle throttle;
    private final Clock clock;

    private final AddressLimits addressLimits;
    private final InstanceAdministrator administrator;

    Accounts(PasswordHasher hasher, Sessions sessions, LoginThrottle throttle, Clock clock,
            AddressLimits addressLimits, InstanceAdministrator administrator) {
        this.addressLimits = addressLimits;
        this.administrator = administrator;
        this.hasher = hasher;
        this.sessions = sessions;
        this.throttle = throttle;
        this.clock = clock;
    }

    SignedIn signUp(String username, String email, String displayName, String password, String deviceName) {
        Violations violations = new Violations();
        AccountRules.username(violations, username);
        AccountRules.email(violations, "email", email);
        AccountRules.displayName(violations, displayName, false);
        AccountRules.password(violations, "password", password);
        AccountRules.deviceName(violations, deviceName);
        violations.throwIfAny();
        addressLimits.signUp(Caller.currentAddress());
        // A taken name is answered before spending a hash on it; the insert below still settles races.
        QuarkusTransaction.requiringNew().run(() -> ensureAvailable(username.toLowerCase(Locale.ROOT), email));
        String passwordHash = hasher.hash(password);
        return QuarkusTransaction.requiringNew().call(() -> {
            Account account = new Account();
            account.id = UUID.randomUUID();
            account.username = username.toLowerCase(Locale.ROOT);
            account.email = email;
            account.displayName = displayName.isBlank() ? account.username : displayName.strip();
            account.passwordHash = passwordHash;
            account.createdAt = clock.instant();
            insert(account);
            account.administrator = administrator.claimedBy(account);
            return new SignedIn(account, sessions.open(account, deviceName, Caller.currentAddress()));
        });
    }

    SignedIn logIn(String login, String password, String deviceName) {
        Violations violations = new Violations();
        violations.check(!login.isBlank(), "login", "is required");
        violations.check(!password.isEmpty(), "password", "is required");
        AccountRules.deviceName(violations, deviceName);
        violations.throwIfAny();
        String address = Caller.currentAddress();
        throttle.attempt(login, address);
        Optional<Account> found = QuarkusTransaction.requiringNew().call(() -> Account.byLogin(login.strip()));
        if (found.isEmpty() || !passwordMatches(password, found.get())) {
            throw ParleyException.unauthenticated("INVALID_CREDENTIALS", "Wrong login or password");
        }
        throttle.succeeded(login, address);
        Account account = found.get();
        if (!account.active) {
            throw ParleyException.permissionDenied("ACCOUNT_DEACTIVATED", "This account has been deactivated");
        }
        return new SignedIn(account, QuarkusTransaction.requiringNew().call(() ->
                sessions.open(account, deviceName, address)));
    }

    void changePassword(Caller caller, String currentPassword, String newPassword) {
        Violations violations = new Violations();
        violations.check(!currentPassword.isEmpty(), "current_password", "is required");
        AccountRules.password(violations, "new_password", newPassword);
        violations.throwIfAny();
        Account account = QuarkusTransaction.requiringNew().call(() -> Account.existing(caller.accountId()));
        throttle.attempt(account.username, caller.clientAddress());
        if (!passwordMatches(currentPassword, account)) {
            throw ParleyException.invalid("INVALID_CREDENTIALS", "current_password", "is not the current password");
        }
        throttle.succeeded(account.username, caller.clientAddress());
        String passwordHash = hasher.hash(newPassword);
        QuarkusTransaction.requiringNew().run(() -> {
            Account.existing(caller.accountId()).passwordHash = passwordHash;
            sessions.endAll(caller.accountId(), Optional.of(caller.sessionId()), "password changed");
        });
    }

    private boolean passwordMatches(String password, Account account) {
        if (password.length() > AccountRules.MAX_PASSWORD * 2) {
            return false; // longer than any password that could have been set: no need to spend a hash on it
        }
        if (account == null) {
            hasher.waste(password);
            return false;
        }
        return hasher.matches(password, account.passwordHash);
    }

    /**
     * Creates a bot's account, in the caller's transaction. Its e-mail is a placeholder under the reserved .invalid
     * domain (unique, never mailed) and its password hash matches no password, so it can only use bot tokens.
     */
    public Account createBot(UUID ownerId, String username, String displayName) {
        Violations violations = new Violations();
        AccountRules.username(violations, username);
        AccountRules.displayName(violations, displayName, false);
        violations.throwIfAny();
        Account account = new Account();
        account.id = UUID.randomUUID();
        account.username = username.toLowerCase(Locale.ROOT);
        account.email = account.username + "@bots.invalid";
        account.displayName = displayName.isBlank() ? account.username : displayName.strip();
        account.passwordHash = "!";
        account.botOwnerId = ownerId;
        account.createdAt = clock.instant();
        ensureAvailable(account.username, account.email);
        insert(account);
        return account;
    }

    private static void ensureAvailable(String username, String email) {
        if (Account.byUsername(username).isPresent()) {
            throw taken("USERNAME_TAKEN", "username");
        }
        if (Account.byEmail(email).isPresent()) {
            throw taken("EMAIL_TAKEN", "email");
        }
    }

    private void insert(Account account) {
        try {
            account.persistAndFlush();
        } catch (PersistenceException e) {
            // Two sign-ups raced past the availability check; the unique indexes decide.
            String constraint = Constraints.violated(e).orElseThrow(() -> e);
            throw constraint.contains("email") ? taken("EMAIL_TAKEN", "email") : taken("USERNAME_TAKEN", "username");
        }
    }

    private static ParleyException taken(String reason, String field) {
        String what = field.equals("email") ? "e-mail address" : "username";
        return ParleyException.of(ErrorKind.ALREADY_EXISTS, reason, "This " + what + " is already in use")
                .with("field", field);
    }
}
