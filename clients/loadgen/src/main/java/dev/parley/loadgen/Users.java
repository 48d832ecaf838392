package dev.parley.loadgen;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Many simulated users at once, each with its own channel; setting them up is not part of any measurement. */
final class Users {

    private Users() {
    }

    static List<SimulatedUser> prepare(String target, String prefix, int count) throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<SimulatedUser>> pending = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String name = prefix + "-" + i;
                pending.add(pool.submit(() -> SimulatedUser.as(target, name)));
            }
            List<SimulatedUser> users = new ArrayList<>();
            for (Future<SimulatedUser> user : pending) {
                users.add(user.get());
            }
            return users;
        }
    }
}
