package dev.parley.cli;

import dev.parley.api.v1.GetUsersRequest;
import dev.parley.api.v1.User;
import dev.parley.client.ParleyClient;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/** Usernames for the user ids in messages and events, looked up once each. */
final class Names {

    private final ParleyClient client;
    private final Map<String, String> known = new HashMap<>();

    Names(ParleyClient client) {
        this.client = client;
    }

    void learn(Collection<String> ids) {
        var unknown = ids.stream().filter(id -> !id.isEmpty() && !known.containsKey(id)).distinct().toList();
        if (!unknown.isEmpty()) {
            ParleyClient.call(() -> client.users().getUsers(GetUsersRequest.newBuilder().addAllUserIds(unknown)
                    .build())).getUsersList().forEach(u -> known.put(u.getId(), u.getUsername()));
        }
    }

    String of(String userId) {
        learn(java.util.List.of(userId));
        return known.getOrDefault(userId, userId);
    }

    void remember(User user) {
        known.put(user.getId(), user.getUsername());
    }
}
