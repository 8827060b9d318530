package com.royalcare.loadtest.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * CPU and memory of a process together with all its descendants (nginx: the master and its
 * workers), read from Linux /proc. For one JVM this is the same as {@link ProcStats}.
 *
 * <p>Memory is given two ways. RSS summed over processes counts a page shared by several of them
 * (nchan's shared-memory zone, mapped by every worker) once per process; PSS ("proportional set
 * size", /proc/PID/smaps_rollup) splits each shared page between the processes that map it, so a
 * PSS sum counts it once. For a single process the two are nearly equal.
 */
final class ProcTree {

    private ProcTree() {
    }

    /** {@code root} and every live descendant. */
    static List<Long> pids(long root) {
        List<Long> all = new ArrayList<>();
        all.add(root);
        List<long[]> parents = new ArrayList<>(); // {pid, ppid}
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path p : procs) {
                try {
                    String stat = Files.readString(p.resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    parents.add(new long[] {Long.parseLong(p.getFileName().toString()), Long.parseLong(f[1])});
                } catch (IOException | RuntimeException e) {
                    // process gone meanwhile
                }
            }
        } catch (IOException e) {
            return all;
        }
        for (int i = 0; i < all.size(); i++) { // breadth-first over the tree
            long parent = all.get(i);
            for (long[] pp : parents) {
                if (pp[1] == parent && !all.contains(pp[0])) {
                    all.add(pp[0]);
                }
            }
        }
        return all;
    }

    /** utime + stime over the tree, ns; -1 if the root is unreadable. */
    static long cpuNanos(List<Long> pids) {
        long sum = 0;
        for (long pid : pids) {
            long n = ProcStats.cpuNanos(pid);
            if (n < 0 && pid == pids.get(0)) {
                return -1;
            }
            sum += Math.max(0, n);
        }
        return sum;
    }

    static long rssKib(List<Long> pids) {
        long sum = 0;
        for (long pid : pids) {
            sum += Math.max(0, ProcStats.rssKib(pid));
        }
        return sum;
    }

    /** Proportional set size summed over the tree, KiB (-1 when smaps_rollup is unreadable). */
    static long pssKib(List<Long> pids) {
        long sum = 0;
        for (long pid : pids) {
            long v = rollup(pid, "Pss");
            if (v < 0) {
                return -1;
            }
            sum += v;
        }
        return sum;
    }

    private static long rollup(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "smaps_rollup"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.substring(field.length() + 1).replace("kB", "").trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through
        }
        return -1;
    }

    /** A snapshot of the tree: CPU so far and memory now. */
    record Sample(long cpuNanos, long rssKib, long pssKib, int processes) {
        static Sample of(long root) {
            if (root <= 0) {
                return new Sample(-1, -1, -1, 0);
            }
            List<Long> pids = pids(root);
            return new Sample(ProcTree.cpuNanos(pids), ProcTree.rssKib(pids), ProcTree.pssKib(pids), pids.size());
        }
    }
}
