package dev.parley.server.support;

import dev.parley.api.v1.AddMembersRequest;
import dev.parley.api.v1.Conversation;
import dev.parley.api.v1.CreateDirectConversationRequest;
import dev.parley.api.v1.CreateGroupConversationRequest;
import dev.parley.api.v1.Message;
import dev.parley.api.v1.SendMessageRequest;
import dev.parley.api.v1.Visibility;
import java.util.Arrays;
import java.util.UUID;

/** Conversations and messages for tests, made through the API. */
public final class Chats {

    private Chats() {
    }

    /** The direct conversation of a person and another account (a bot, say), opened by the person; its id. */
    public static String direct(TestUsers.TestUser person, String otherId) {
        return person.conversations().createDirectConversation(CreateDirectConversationRequest.newBuilder()
                .setUserId(otherId).build()).getConversation().getId();
    }

    public static Conversation group(TestUsers.TestUser owner, TestUsers.TestUser... members) {
        return group(owner, Visibility.VISIBILITY_PRIVATE, members);
    }

    public static Conversation group(TestUsers.TestUser owner, Visibility visibility, TestUsers.TestUser... members) {
        return owner.conversations().createGroupConversation(CreateGroupConversationRequest.newBuilder()
                .setTitle("Group of " + owner.username()).setVisibility(visibility)
                .addAllMemberIds(Arrays.stream(members).map(TestUsers.TestUser::id).toList()).build())
                .getConversation();
    }

    public static void add(TestUsers.TestUser admin, Conversation conversation, TestUsers.TestUser... members) {
        admin.conversations().addMembers(AddMembersRequest.newBuilder().setConversationId(conversation.getId())
                .addAllUserIds(Arrays.stream(members).map(TestUsers.TestUser::id).toList()).build());
    }

    public static Message send(TestUsers.TestUser author, Conversation conversation, String text) {
        return author.messages().sendMessage(SendMessageRequest.newBuilder().setConversationId(conversation.getId())
                .setClientMessageId(UUID.randomUUID().toString()).setText(text).build()).getMessage();
    }

    public static Message reply(TestUsers.TestUser author, Message to, String text) {
        return author.messages().sendMessage(SendMessageRequest.newBuilder().setConversationId(to.getConversationId())
                .setClientMessageId(UUID.randomUUID().toString()).setText(text).setReplyToMessageId(to.getId())
                .build()).getMessage();
    }
}
