package dev.parley.loadgen;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** N users hold an open stream and do nothing else: the server memory each costs, and how fast they open. */
final class IdleWorkload {

    private IdleWorkload() {
    }

    static Map<String, Object> run(Options options) throws Exception {
        String target = options.text("target", "localhost:9090");
        int count = options.number("streams", 1000);
        ServerStats server = new ServerStats(options.number("server-pid", 0));
        List<SimulatedUser> users = Users.prepare(target, "lg-idle", count);
        System.gc();
        Thread.sleep(2000);
        long rssBefore = server.rssKb();

        long started = System.nanoTime();
        List<LiveReceiver> streams = new ArrayList<>();
        AtomicLong ignored = new AtomicLong();
        for (SimulatedUser user : users) {
            LiveReceiver stream = new LiveReceiver(user, ignored, ignored);
            stream.open();
            streams.add(stream);
        }
        int live = 0;
        for (LiveReceiver stream : streams) {
            if (stream.ready.await(120, TimeUnit.SECONDS) && stream.failure == null) {
                live++;
            }
        }
        double openSeconds = (System.nanoTime() - started) / 1e9;
        Thread.sleep(5000);
        long rssAfter = server.rssKb();

        Map<String, Object> result = new LinkedHashMap<>();
        result.put("workload", "idle");
        result.put("mode", options.text("mode", "single-node"));
        result.put("streams", count);
        result.put("live_streams", live);
        result.put("streams_opened_per_sec", live / openSeconds);
        result.put("server_rss_before_kb", rssBefore);
        result.put("server_rss_after_kb", rssAfter);
        result.put("kb_per_idle_stream", (rssAfter - rssBefore) / (double) Math.max(1, live));
        users.forEach(SimulatedUser::close);
        return result;
    }
}
