package dev.parley.server.auth;

import dev.parley.server.account.Account;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import java.util.Locale;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Who administers the instance. With {@code PARLEY_ADMIN_USERNAME} set, the account of that username: made
 * administrator when it signs up, or at start if it exists already; nobody else becomes one by signing up.
 * Without it, the first account to sign up, which on an instance open to the internet is a race an operator
 * should not run: whoever signs up first wins it. Naming one demotes nobody (administrators can deactivate).
 */
@ApplicationScoped
class InstanceAdministrator {

    private static final Logger LOG = Logger.getLogger(InstanceAdministrator.class);

    private final Optional<String> named;
    private final EntityManager entities;

    InstanceAdministrator(@ConfigProperty(name = "parley.admin.username") Optional<String> named,
            EntityManager entities) {
        this.named = named.map(name -> name.strip().toLowerCase(Locale.ROOT)).filter(name -> !name.isEmpty());
        this.entities = entities;
    }

    void promoteNamed(@Observes StartupEvent started) {
        named.ifPresent(username -> {
            int promoted = QuarkusTransaction.requiringNew().call(() -> entities.createNativeQuery(
                    "update accounts set administrator = true where username = ?1 and bot_owner_id is null")
                    .setParameter(1, username).executeUpdate());
            LOG.infof(promoted == 1 ? "Administrator: %s (PARLEY_ADMIN_USERNAME)"
                    : "Administrator: %s (PARLEY_ADMIN_USERNAME), once an account of that name signs up", username);
        });
    }

    /** Whether a person's account signing up now administers the instance. In the sign-up's transaction. */
    boolean claimedBy(Account account) {
        if (named.isPresent()) {
            return named.get().equals(account.username);
        }
        // The singleton row makes "first" race-free.
        return entities.createNativeQuery(
                "insert into instance_administrator (account_id) values (?1) on conflict do nothing")
                .setParameter(1, account.id)
                .executeUpdate() == 1;
    }
}
