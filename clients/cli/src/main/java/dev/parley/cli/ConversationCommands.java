package dev.parley.cli;

import dev.parley.api.v1.AddMembersRequest;
import dev.parley.api.v1.ApproveJoinRequestRequest;
import dev.parley.api.v1.BrowsePublicConversationsRequest;
import dev.parley.api.v1.Conversation;
import dev.parley.api.v1.CreateGroupConversationRequest;
import dev.parley.api.v1.JoinConversationRequest;
import dev.parley.api.v1.LeaveConversationRequest;
import dev.parley.api.v1.LeaveConversationResponse;
import dev.parley.api.v1.ListConversationsResponse;
import dev.parley.api.v1.ListJoinRequestsRequest;
import dev.parley.api.v1.ListMembersRequest;
import dev.parley.api.v1.RejectJoinRequestRequest;
import dev.parley.api.v1.RejectJoinRequestResponse;
import dev.parley.api.v1.Visibility;
import dev.parley.client.ParleyClient;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** conversations list, direct, group, join, leave, members, invite, requests, approve, reject. */
@Command(name = "conversations", aliases = "c", description = "Your conversations, and groups to join.",
        subcommands = {ConversationCommands.List.class, ConversationCommands.Direct.class,
                ConversationCommands.Group.class, ConversationCommands.Join.class, ConversationCommands.Leave.class,
                ConversationCommands.Members.class, ConversationCommands.Invite.class,
                ConversationCommands.Requests.class, ConversationCommands.Approve.class,
                ConversationCommands.Reject.class})
final class ConversationCommands {

    @ParentCommand
    Parley parley;

    /** Runs a command body with a signed-in client. */
    abstract static class WithClient implements Runnable {
        @ParentCommand
        ConversationCommands conversations;

        @Override
        public final void run() {
            try (var client = conversations.parley.client()) {
                run(client, conversations.parley.output());
            }
        }

        abstract void run(ParleyClient client, Output output);
    }

    @Command(name = "list", description = "Your conversations, latest activity first, with unread counts.")
    static final class List extends WithClient {
        @Override
        void run(ParleyClient client, Output output) {
            var all = ConversationRefs.mine(client);
            Names names = new Names(client);
            names.learn(all.stream().map(Conversation::getOtherUserId).toList());
            output.print(ListConversationsResponse.newBuilder().addAllConversations(all), all.isEmpty()
                    ? "No conversations yet: `parley conversations group <title>` or `parley send @someone <text>`."
                    : all.stream().map(c -> line(c, names)).collect(Collectors.joining("\n")));
        }

        private static String line(Conversation c, Names names) {
            String title = ConversationRefs.label(c, names);
            long unread = c.getMe().getUnreadCount();
            return String.format("%-28s %s%s", title, c.getId(), unread > 0 ? "  (" + unread + " unread)" : "");
        }
    }

    @Command(name = "direct", description = "Start (or find) your direct conversation with someone.")
    static final class Direct extends WithClient {
        @Parameters(index = "0", description = "Their username.")
        String username;

        @Override
        void run(ParleyClient client, Output output) {
            String id = ConversationRefs.resolve(client, "@" + username);
            output.print(ParleyClient.call(() -> client.conversations().getConversation(
                    dev.parley.api.v1.GetConversationRequest.newBuilder().setConversationId(id).build())),
                    "Direct conversation with " + username + ": " + id);
        }
    }

    @Command(name = "group", description = "Create a group; you are its owner.")
    static final class Group extends WithClient {
        @Parameters(index = "0", description = "Its title.")
        String title;
        @Option(names = "--public", description = "Anyone can find and join it (default: private, by invitation).")
        boolean open;
        @Option(names = "--member", paramLabel = "USERNAME", description = "Add someone at once (repeatable).")
        java.util.List<String> members = java.util.List.of();

        @Override
        void run(ParleyClient client, Output output) {
            var request = CreateGroupConversationRequest.newBuilder().setTitle(title)
                    .setVisibility(open ? Visibility.VISIBILITY_PUBLIC : Visibility.VISIBILITY_PRIVATE);
            members.forEach(name -> request.addMemberIds(ConversationRefs.user(client, name).getId()));
            var created = ParleyClient.call(() -> client.conversations().createGroupConversation(request.build()));
            output.print(created, "Created #" + title + ": " + created.getConversation().getId());
        }
    }

    @Command(name = "join", description = "Join a public group (by id or exact title).")
    static final class Join extends WithClient {
        @Parameters(index = "0", description = "The group's id or title.")
        String group;

        @Override
        void run(ParleyClient client, Output output) {
            String id = group.matches("[0-9a-f-]{36}") ? group : ParleyClient.call(() -> client.conversations()
                    .browsePublicConversations(BrowsePublicConversationsRequest.newBuilder().setPrefix(group)
                            .setPageSize(200).build())).getConversationsList().stream()
                    .filter(c -> c.getTitle().equalsIgnoreCase(group)).findFirst().map(Conversation::getId)
                    .orElseThrow(() -> new CliFailure(ExitCodes.NOT_FOUND, "no public group called '" + group + "'"));
            var joined = ParleyClient.call(() -> client.conversations().joinConversation(JoinConversationRequest
                    .newBuilder().setConversationId(id).build()));
            output.print(joined, "Joined #" + joined.getConversation().getTitle() + ".");
        }
    }

    @Command(name = "leave", description = "Leave a conversation.")
    static final class Leave extends WithClient {
        @Parameters(index = "0", description = "Id, title or @username.")
        String conversation;

        @Override
        void run(ParleyClient client, Output output) {
            String id = ConversationRefs.resolve(client, conversation);
            ParleyClient.call(() -> client.conversations().leaveConversation(LeaveConversationRequest.newBuilder()
                    .setConversationId(id).build()));
            output.print(LeaveConversationResponse.getDefaultInstance(), "Left " + conversation + ".");
        }
    }

    @Command(name = "members", description = "Who is in a conversation, and their roles.")
    static final class Members extends WithClient {
        @Parameters(index = "0", description = "Id, title or @username.")
        String conversation;

        @Override
        void run(ParleyClient client, Output output) {
            String id = ConversationRefs.resolve(client, conversation);
            var page = ParleyClient.call(() -> client.conversations().listMembers(ListMembersRequest.newBuilder()
                    .setConversationId(id).setPageSize(1000).build()));
            Names names = new Names(client);
            names.learn(page.getMembersList().stream().map(m -> m.getUserId()).toList());
            output.print(page, page.getMembersList().stream().map(m -> String.format("%-24s %s", names.of(
                    m.getUserId()), roleName(m.getRole()))).collect(Collectors.joining("\n")));
        }
    }

    @Command(name = "invite", description = "Add people to a group (admins and owners).")
    static final class Invite extends WithClient {
        @Parameters(index = "0", description = "The group's id or title.")
        String conversation;
        @Parameters(index = "1..*", paramLabel = "USERNAME", description = "Who to add.")
        java.util.List<String> usernames;

        @Override
        void run(ParleyClient client, Output output) {
            String id = ConversationRefs.resolve(client, conversation);
            var request = AddMembersRequest.newBuilder().setConversationId(id);
            usernames.forEach(name -> request.addUserIds(ConversationRefs.user(client, name).getId()));
            var added = ParleyClient.call(() -> client.conversations().addMembers(request.build()));
            output.print(added, "Added " + String.join(", ", usernames) + ".");
        }
    }

    @Command(name = "requests", description = "Pending requests to join a private group (admins and owners).")
    static final class Requests extends WithClient {
        @Parameters(index = "0", description = "The group's id or title.")
        String conversation;

        @Override
        void run(ParleyClient client, Output output) {
            String id = ConversationRefs.resolve(client, conversation);
            var pending = ParleyClient.call(() -> client.conversations().listJoinRequests(ListJoinRequestsRequest
                    .newBuilder().setConversationId(id).build()));
            Names names = new Names(client);
            names.learn(pending.getRequestsList().stream().map(r -> r.getUserId()).toList());
            output.print(pending, pending.getRequestsList().isEmpty() ? "No pending requests."
                    : pending.getRequestsList().stream().map(r -> names.of(r.getUserId()))
                            .collect(Collectors.joining("\n")));
        }
    }

    @Command(name = "approve", description = "Let someone who asked into a private group.")
    static final class Approve extends WithClient {
        @Parameters(index = "0", description = "The group's id or title.")
        String conversation;
        @Parameters(index = "1", description = "Their username.")
        String username;

        @Override
        void run(ParleyClient client, Output output) {
            answer(client, conversation, username, (id, user) -> client.conversations().approveJoinRequest(
                    ApproveJoinRequestRequest.newBuilder().setConversationId(id).setUserId(user).build()), output,
                    "Approved " + username + ".");
        }
    }

    @Command(name = "reject", description = "Turn down a request to join a private group.")
    static final class Reject extends WithClient {
        @Parameters(index = "0", description = "The group's id or title.")
        String conversation;
        @Parameters(index = "1", description = "Their username.")
        String username;

        @Override
        void run(ParleyClient client, Output output) {
            answer(client, conversation, username, (id, user) -> {
                client.conversations().rejectJoinRequest(RejectJoinRequestRequest.newBuilder().setConversationId(id)
                        .setUserId(user).build());
                return RejectJoinRequestResponse.getDefaultInstance();
            }, output, "Rejected " + username + ".");
        }
    }

    private static void answer(ParleyClient client, String conversation, String username,
            java.util.function.BiFunction<String, String, com.google.protobuf.Message> call, Output output,
            String text) {
        String id = ConversationRefs.resolve(client, conversation);
        String user = ConversationRefs.user(client, username).getId();
        output.print(ParleyClient.call(() -> call.apply(id, user)), text);
    }

    static String roleName(dev.parley.api.v1.Role role) {
        return role.name().replace("ROLE_", "").toLowerCase();
    }
}
