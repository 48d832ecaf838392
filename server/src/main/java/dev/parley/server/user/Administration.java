package dev.parley.server.user;

import dev.parley.server.account.Account;
import dev.parley.server.auth.BotTokens;
import dev.parley.server.auth.Sessions;
import dev.parley.server.common.ErrorKind;
import dev.parley.server.common.ParleyException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;

/** What administrators do to accounts. Deactivation keeps everything the account wrote; it only locks it out. */
@ApplicationScoped
class Administration {

    private final Sessions sessions;
    private final Clock clock;

    private final BotTokens botTokens;

    Administration(Sessions sessions, Clock clock, BotTokens botTokens) {
        this.sessions = sessions;
        this.botTokens = botTokens;
        this.clock = clock;
    }

    Account deactivate(UUID administratorId, UUID accountId) {
        if (administratorId.equals(accountId)) {
            throw ParleyException.of(ErrorKind.FAILED_PRECONDITION, "CANNOT_DEACTIVATE_SELF",
                    "Administrators cannot deactivate their own account");
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            requireAdministrator(administratorId);
            Account account = Account.existing(accountId);
            if (account.active) {
                account.deactivate(clock.instant());
                sessions.endAll(account.id, Optional.empty(), "account deactivated");
                if (account.isBot()) {
                    botTokens.revokeAll(account.id); // a reactivated bot needs a new token (RotateBotToken)
                }
            }
            return account;
        });
    }

    Account reactivate(UUID administratorId, UUID accountId) {
        return QuarkusTransaction.requiringNew().call(() -> {
            requireAdministrator(administratorId);
            Account account = Account.existing(accountId);
            account.reactivate();
            return account;
        });
    }

    static boolean isAdministrator(UUID accountId) {
        Account account = Account.findById(accountId);
        return account != null && account.active && account.administrator;
    }

    private static void requireAdministrator(UUID accountId) {
        if (!isAdministrator(accountId)) {
            throw ParleyException.permissionDenied("ADMINISTRATOR_REQUIRED", "Only administrators may do this");
        }
    }
}
