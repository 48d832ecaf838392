package dev.parley.server.account;

import dev.parley.server.common.ParleyException;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** A person's or service's account: who they are to others, and what lets them log in. */
@Entity
@Table(name = "accounts")
public class Account extends PanacheEntityBase {

    @Id
    public UUID id;
    /** Always lower case; the unique index on it makes uniqueness ignore letter case. */
    public String username;
    public String email;
    @Column(name = "display_name")
    public String displayName;
    @Column(name = "password_hash")
    public String passwordHash;
    @Column(name = "avatar_url")
    public String avatarUrl = "";
    @Column(name = "status_text")
    public String statusText = "";
    public boolean administrator;
    public boolean active = true;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "deactivated_at")
    public Instant deactivatedAt;
    /** For a bot, the person who owns it; null for people. */
    @Column(name = "bot_owner_id")
    public UUID botOwnerId;

    /** For a bot, where its outgoing webhook POSTs; null for none. */
    @Column(name = "webhook_url")
    public String webhookUrl;
    /** The HMAC secret that signs the bot's webhook deliveries. */
    @Column(name = "webhook_secret")
    public String webhookSecret;

    /** For a bot, whether its owner lets it open direct conversations, create groups and join groups. */
    @Column(name = "bot_may_open_directs")
    public boolean botMayOpenDirects;
    @Column(name = "bot_may_create_groups")
    public boolean botMayCreateGroups;
    @Column(name = "bot_may_join_groups")
    public boolean botMayJoinGroups;

    /** The account, or NOT_FOUND. */
    public static Account existing(UUID id) {
        Account account = findById(id);
        if (account == null) {
            throw ParleyException.notFound("User " + id);
        }
        return account;
    }

    public boolean isBot() {
        return botOwnerId != null;
    }

    public static Optional<Account> byUsername(String username) {
        return find("username", username.toLowerCase(java.util.Locale.ROOT)).firstResultOptional();
    }

    public static Optional<Account> byEmail(String email) {
        return find("lower(email) = ?1", email.toLowerCase(java.util.Locale.ROOT)).firstResultOptional();
    }

    /** The account a log-in names: by e-mail when it has an '@', by username otherwise. */
    public static Optional<Account> byLogin(String login) {
        return login.contains("@") ? byEmail(login) : byUsername(login);
    }

    public void deactivate(Instant now) {
        active = false;
        deactivatedAt = now;
    }

    public void reactivate() {
        active = true;
        deactivatedAt = null;
    }
}
