package dev.parley.loadgen;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/** Memory and CPU of the server process, read from /proc (the server runs on this host), and of this client. */
final class ServerStats {

    private static final double TICKS_PER_SECOND = 100.0;
    private final int pid;

    ServerStats(int pid) {
        this.pid = pid;
    }

    long rssKb() {
        if (pid <= 0) {
            return -1;
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Integer.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }

    double cpuSeconds() {
        if (pid <= 0) {
            return -1;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Integer.toString(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
        } catch (IOException e) {
            return -1;
        }
    }

    /**
     * CPU used so far by every PostgreSQL process on this host (backends, WAL writer, checkpointer...), so that a
     * run can say what the database spent per send. Processes that exit between two readings take theirs along.
     */
    static double databaseCpuSeconds() {
        long ticks = 0;
        try (var processes = Files.list(Path.of("/proc"))) {
            for (Path process : (Iterable<Path>) processes::iterator) {
                ticks += postgresTicks(process);
            }
        } catch (IOException e) {
            return -1;
        }
        return ticks / TICKS_PER_SECOND;
    }

    private static long postgresTicks(Path process) {
        if (!process.getFileName().toString().chars().allMatch(Character::isDigit)) {
            return 0;
        }
        try {
            String stat = Files.readString(process.resolve("stat"));
            if (!stat.contains("(postgres)")) {
                return 0;
            }
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (IOException | RuntimeException e) {
            return 0; // gone meanwhile
        }
    }

    static double clientCpuSeconds() {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        return os.getProcessCpuTime() / 1e9;
    }
}
