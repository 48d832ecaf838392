package dev.parley.server.account;

import dev.parley.server.common.ParleyException;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * What a bot may do on its own initiative only if its owner allows it (BotPermissions in the API): a leaked bot
 * token then reaches no one who did not choose to talk to the bot. People are never limited by these.
 */
public enum BotAllowance {
    OPEN_DIRECTS("open direct conversations", "open_direct_conversations", bot -> bot.botMayOpenDirects),
    CREATE_GROUPS("create groups", "create_groups", bot -> bot.botMayCreateGroups),
    JOIN_GROUPS("join groups", "join_groups", bot -> bot.botMayJoinGroups);

    private final String doing;
    private final String permission;
    private final Predicate<Account> allowed;

    BotAllowance(String doing, String permission, Predicate<Account> allowed) {
        this.doing = doing;
        this.permission = permission;
        this.allowed = allowed;
    }

    /** PERMISSION_DENIED (BOT_NOT_ALLOWED) when the caller is a bot its owner has not allowed this. In a transaction. */
    public void require(UUID callerId) {
        Account caller = Account.existing(callerId);
        if (caller.isBot() && !allowed.test(caller)) {
            throw ParleyException.permissionDenied("BOT_NOT_ALLOWED", "This bot's owner has not allowed it to "
                    + doing + " (BotService.SetBotPermissions, permissions." + permission + ")");
        }
    }
}
