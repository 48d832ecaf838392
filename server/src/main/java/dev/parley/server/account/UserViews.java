package dev.parley.server.account;

import dev.parley.api.v1.User;
import dev.parley.api.v1.UserRole;
import dev.parley.api.v1.UserState;
import dev.parley.server.grpc.ProtoTime;

/** Accounts as the API shows them. E-mail addresses are private: shown only to their owner and administrators. */
public final class UserViews {

    private UserViews() {
    }

    public static User of(Account account, boolean showEmail) {
        var view = User.newBuilder()
                .setId(account.id.toString())
                .setUsername(account.username)
                .setDisplayName(account.displayName)
                .setEmail(showEmail ? account.email : "")
                .setAvatarUrl(account.avatarUrl)
                .setStatusText(account.statusText)
                .setRole(account.administrator ? UserRole.USER_ROLE_ADMINISTRATOR : UserRole.USER_ROLE_MEMBER)
                .setState(account.active ? UserState.USER_STATE_ACTIVE : UserState.USER_STATE_DEACTIVATED)
                .setCreateTime(ProtoTime.of(account.createdAt));
        if (account.isBot()) {
            view.setBot(true).setBotOwnerId(account.botOwnerId.toString());
        }
        return view.build();
    }

    public static User ofSelf(Account account) {
        return of(account, true);
    }
}
