package dev.parley.server.limits;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The kinds of writes an account is rate-limited on, each with its own token bucket per account; the key names
 * them in configuration ({@code parley.limits.people.<key>.*}, {@code parley.limits.bots.<key>.*}).
 */
enum WriteKind {
    MESSAGES("messages", "MessageService/SendMessage", "MessageService/EditMessage", "MessageService/DeleteMessage"),
    REACTIONS("reactions", "MessageService/AddReaction", "MessageService/RemoveReaction"),
    TYPING("typing", "PresenceService/SendTyping"),
    PRESENCE("presence", "PresenceService/SetPresence"),
    CONVERSATIONS("conversations", "ConversationService/CreateGroupConversation",
            "ConversationService/CreateDirectConversation", "ConversationService/AddMembers",
            "ConversationService/JoinConversation", "ConversationService/RequestToJoin"),
    BOTS("bots", "BotService/CreateBot", "BotService/SetBotWebhook", "BotService/SetBotPermissions",
            "BotService/RotateBotToken"),
    /** A 25 MiB file is 25 chunks and two more calls: room for a few files a minute, and bursts of several. */
    UPLOADS("uploads", "AttachmentService/CreateUpload", "AttachmentService/UploadChunk",
            "AttachmentService/CompleteUpload"),
    /** Not a write, but each costs an index search: typed as you go, a few a second. */
    SEARCHES("searches", "MessageService/SearchMessages"),
    /** Every other write: cheap one by one, and a client's normal use (read markers) makes a few a second. */
    CHANGES("changes", "ConversationService/UpdateConversation", "ConversationService/ArchiveConversation",
            "ConversationService/RemoveMember", "ConversationService/LeaveConversation",
            "ConversationService/ChangeMemberRole", "ConversationService/TransferOwnership",
            "ConversationService/ApproveJoinRequest", "ConversationService/RejectJoinRequest",
            "ConversationService/UpdateMySettings", "MessageService/MarkRead", "EventService/AcknowledgeEvents",
            "UserService/UpdateProfile", "UserService/DeactivateUser", "UserService/ReactivateUser",
            "AuthService/RevokeSession", "AuthService/ChangePassword", "BotService/RevokeBotTokens");

    private static final Map<String, WriteKind> BY_METHOD = Arrays.stream(values())
            .flatMap(kind -> kind.methods.stream().map(method -> Map.entry("parley.v1." + method, kind)))
            .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, Map.Entry::getValue));

    final String key;
    private final Set<String> methods;

    WriteKind(String key, String... methods) {
        this.key = key;
        this.methods = Set.of(methods);
    }

    /** The kind a gRPC method (full name) counts as, or null for a call that is not rate-limited. */
    static WriteKind of(String fullMethodName) {
        return BY_METHOD.get(fullMethodName);
    }

    static Map<String, WriteKind> byKey() {
        return Arrays.stream(values()).collect(Collectors.toMap(kind -> kind.key, Function.identity()));
    }
}
