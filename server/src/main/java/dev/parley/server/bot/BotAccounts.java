package dev.parley.server.bot;

import dev.parley.server.account.Account;
import dev.parley.server.auth.Accounts;
import dev.parley.server.auth.BotTokens;
import dev.parley.server.auth.Caller;
import dev.parley.server.common.ErrorKind;
import dev.parley.server.common.ParleyException;
import dev.parley.server.common.SecretTokens;
import dev.parley.server.limits.LimitsConfig;
import dev.parley.server.webhook.WebhookTargets;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/**
 * Bots as accounts: made by people (not by bots), managed by their owner or an administrator. Each method runs in
 * the caller's transaction; tokens come from {@link BotTokens}.
 */
@ApplicationScoped
public class BotAccounts {

    private final Accounts accounts;
    private final BotTokens tokens;
    private final jakarta.enterprise.event.Event<WebhookChanged> webhookChanged;
    private final WebhookTargets targets;
    private final LimitsConfig limits;

    BotAccounts(Accounts accounts, BotTokens tokens, jakarta.enterprise.event.Event<WebhookChanged> webhookChanged,
            WebhookTargets targets, LimitsConfig limits) {
        this.targets = targets;
        this.limits = limits;
        this.accounts = accounts;
        this.tokens = tokens;
        this.webhookChanged = webhookChanged;
    }

    /** A new bot owned by the caller, with what it may do on its own, and its first token. */
    public Issued create(Caller caller, String username, String displayName, Permissions permissions) {
        Account owner = Account.findById(caller.accountId());
        if (owner.isBot()) {
            throw ParleyException.permissionDenied("BOTS_CANNOT_OWN_BOTS", "Only people can create bots");
        }
        if (Account.count("botOwnerId = ?1 and active = true", owner.id) >= limits.botsPerOwner()) {
            throw ParleyException.of(ErrorKind.RESOURCE_EXHAUSTED, "BOT_LIMIT", "You own " + limits.botsPerOwner()
                    + " active bots, the most one person may (an administrator can deactivate one)")
                    .with("limit", Integer.toString(limits.botsPerOwner()));
        }
        Account bot = accounts.createBot(owner.id, username, displayName);
        permissions.applyTo(bot);
        return new Issued(bot, tokens.issue(bot.id));
    }

    /** Sets what a bot may do on its own initiative (see {@link dev.parley.server.account.BotAllowance}). */
    public Account setPermissions(Caller caller, UUID botId, Permissions permissions) {
        Account bot = manageable(caller, botId);
        permissions.applyTo(bot);
        return bot;
    }

    /** What a bot may do on its own: open direct conversations, create groups, join groups. */
    public record Permissions(boolean openDirects, boolean createGroups, boolean joinGroups) {

        void applyTo(Account bot) {
            bot.botMayOpenDirects = openDirects;
            bot.botMayCreateGroups = createGroups;
            bot.botMayJoinGroups = joinGroups;
        }
    }

    /** The caller's bots, or with {@code all} every bot (administrators only). */
    public List<Account> list(Caller caller, boolean all) {
        if (all) {
            Account asker = Account.findById(caller.accountId());
            if (!asker.administrator) {
                throw ParleyException.permissionDenied("ADMINISTRATOR_REQUIRED",
                        "Only administrators can list all bots");
            }
            return Account.list("botOwnerId is not null order by username");
        }
        return Account.list("botOwnerId = ?1 order by username", caller.accountId());
    }

    /** A new token for a bot; its others stop working. */
    public Issued rotate(Caller caller, UUID botId) {
        Account bot = manageable(caller, botId);
        tokens.revokeAll(bot.id);
        return new Issued(bot, tokens.issue(bot.id));
    }

    /** Every token of a bot stops working, its streams end. */
    public Account revoke(Caller caller, UUID botId) {
        Account bot = manageable(caller, botId);
        tokens.revokeAll(bot.id);
        return bot;
    }

    /**
     * Sets or removes a bot's webhook; returns the new signing secret (empty when removed). Only owners and
     * administrators set it, and the URL must be an absolute http(s) URL on a public address ({@link WebhookTargets}).
     */
    public String setWebhook(Caller caller, UUID botId, String url) {
        Account bot = manageable(caller, botId);
        if (url.isBlank()) {
            bot.webhookUrl = null;
            bot.webhookSecret = null;
            return "";
        }
        if (url.length() > 2_000) {
            throw ParleyException.invalid("INVALID_FIELDS", "url", "must be at most 2,000 characters");
        }
        targets.checkUrl(url.strip());
        bot.webhookUrl = url.strip();
        bot.webhookSecret = SecretTokens.generate();
        webhookChanged.fire(new WebhookChanged(bot.id, true));
        return bot.webhookSecret;
    }

    /** The bot, if the caller owns it or administers the instance; NOT_FOUND alike for others and non-bots. */
    private static Account manageable(Caller caller, UUID botId) {
        Account bot = Account.findById(botId);
        if (bot == null || !bot.isBot()) {
            throw ParleyException.notFound("Bot " + botId);
        }
        if (!bot.botOwnerId.equals(caller.accountId())) {
            Account asker = Account.findById(caller.accountId());
            if (!asker.administrator) {
                throw ParleyException.notFound("Bot " + botId);
            }
        }
        return bot;
    }

    /** A bot and a token just issued for it (shown once). */
    public record Issued(Account bot, String token) {
    }
}
