package dev.parley.server.conversation;

import dev.parley.api.v1.Conversation;
import dev.parley.api.v1.ConversationKind;
import dev.parley.api.v1.Member;
import dev.parley.api.v1.Message;
import dev.parley.api.v1.MyMembership;
import dev.parley.api.v1.NotificationLevel;
import dev.parley.api.v1.Visibility;
import dev.parley.server.grpc.ProtoTime;
import java.util.Locale;

/** Conversations and memberships as the API shows them. */
final class ConversationViews {

    private ConversationViews() {
    }

    /** The conversation as anyone allowed to see it sees it: no last message, no membership. */
    static Conversation of(StoredConversation conversation) {
        var view = Conversation.newBuilder()
                .setId(conversation.id.toString())
                .setKind(conversation.isDirect() ? ConversationKind.CONVERSATION_KIND_DIRECT
                        : ConversationKind.CONVERSATION_KIND_GROUP)
                .setTitle(conversation.title)
                .setDescription(conversation.description)
                .setVisibility(conversation.isPublic() ? Visibility.VISIBILITY_PUBLIC : Visibility.VISIBILITY_PRIVATE)
                .setCreateTime(ProtoTime.of(conversation.createdAt))
                .setMemberCount(conversation.memberCount)
                .setLastSequence(conversation.lastSequence)
                .setLastActivityTime(ProtoTime.of(conversation.lastActivityAt));
        ProtoTime.ifPresent(conversation.archivedAt, view::setArchiveTime);
        if (conversation.messageRetentionSeconds != null) {
            view.setMessageRetention(com.google.protobuf.Duration.newBuilder()
                    .setSeconds(conversation.messageRetentionSeconds));
        }
        return view.build();
    }

    /** The conversation as one of its members sees it. */
    static Conversation of(StoredConversation conversation, Membership me, Message lastMessage,
            String otherUserId) {
        var view = of(conversation).toBuilder().setMe(mine(conversation, me));
        if (lastMessage != null) {
            view.setLastMessage(lastMessage);
        }
        if (otherUserId != null) {
            view.setOtherUserId(otherUserId);
        }
        return view.build();
    }

    static MyMembership mine(StoredConversation conversation, Membership me) {
        return MyMembership.newBuilder()
                .setRole(me.role().proto())
                .setReadSequence(me.readSequence)
                .setUnreadCount(Math.max(0, conversation.lastMessageSequence - me.readSequence))
                .setNotificationLevel(NotificationLevel.valueOf("NOTIFICATION_LEVEL_"
                        + me.notificationLevel.toUpperCase(Locale.ROOT)))
                .setMuted(me.muted)
                .setUnreadMentionCount(me.unreadMentions)
                .setJoinTime(ProtoTime.of(me.joinedAt))
                .build();
    }

    static Member member(Membership membership) {
        return Member.newBuilder()
                .setUserId(membership.accountId.toString())
                .setRole(membership.role().proto())
                .setJoinTime(ProtoTime.of(membership.joinedAt))
                .build();
    }
}
