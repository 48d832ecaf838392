package dev.parley.cli;

import dev.parley.api.v1.SearchUsersRequest;
import dev.parley.client.ParleyClient;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** users search. */
@Command(name = "users", description = "Find people.", subcommands = UserCommands.Search.class)
final class UserCommands {

    @ParentCommand
    Parley parley;

    @Command(name = "search", description = "People whose username or name starts with a prefix.")
    static final class Search implements Runnable {
        @ParentCommand
        UserCommands users;
        @Parameters(index = "0", description = "The start of a username or display name.")
        String prefix;
        @Option(names = "--limit", defaultValue = "20", description = "At most this many (default 20).")
        int limit;

        @Override
        public void run() {
            try (var client = users.parley.client()) {
                var found = ParleyClient.call(() -> client.users().searchUsers(SearchUsersRequest.newBuilder()
                        .setPrefix(prefix).setPageSize(limit).build()));
                users.parley.output().print(found, found.getUsersList().isEmpty() ? "Nobody found."
                        : found.getUsersList().stream().map(u -> u.getUsername() + "  " + u.getDisplayName())
                                .collect(Collectors.joining("\n")));
            }
        }
    }
}
