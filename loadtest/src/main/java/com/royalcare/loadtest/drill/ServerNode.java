package com.royalcare.loadtest.drill;

import com.royalcare.testkit.ApiClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One server process the drill owns: started with its own environment on a fixed port, killed with
 * SIGKILL ({@link Process#destroyForcibly()} on Linux) or stopped with SIGTERM, and started again on
 * the same port and data. Its output goes to a log file in the drill's work directory.
 */
final class ServerNode {

    private final String name;
    private final List<String> command;
    private final Map<String, String> env;
    private final int port;
    private final Path log;
    private final ApiClient http;
    private Process process;
    private int starts;

    /**
     * @param command how to run the server, e.g. {@code java -jar server/target/royal-care-scheduler.jar}
     * @param env     the server's environment (PORT is added)
     */
    ServerNode(String name, List<String> command, Map<String, String> env, int port, Path workDir, ApiClient http) {
        this.name = name;
        this.command = List.copyOf(command);
        this.env = new HashMap<>(env);
        this.env.put("PORT", Integer.toString(port));
        this.port = port;
        this.log = workDir.resolve(name + ".log");
        this.http = http;
    }

    String name() {
        return name;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    int port() {
        return port;
    }

    Path log() {
        return log;
    }

    synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** Starts the process and returns once /health answers 200 (a start that dies, e.g. on a busy port, is retried). */
    synchronized void start(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        IllegalStateException last = null;
        for (int attempt = 0; attempt < 3 && System.nanoTime() < deadline; attempt++) {
            launch();
            try {
                awaitHealthy(deadline);
                return;
            } catch (IllegalStateException e) {
                last = e;
                if (process.isAlive()) break; // alive but not healthy in time: give up
            }
        }
        throw last != null ? last : new IllegalStateException(name + " did not start within " + timeout);
    }

    private void launch() {
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().keySet().removeIf(k -> k.equals("DATABASE_URL") || k.equals("DATABASE_USER")
                || k.equals("DATABASE_PASSWORD") || k.equals("DATA_DIR") || k.equals("DEMO_DATA"));
        pb.environment().putAll(env);
        try {
            Files.writeString(log, "\n=== " + name + " start #" + (++starts) + " ===\n",
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + name + ": " + command, e);
        }
    }

    private void awaitHealthy(long deadline) {
        String url = baseUrl() + "/health";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log);
            if (http.attempt("GET", url, null, Map.of()) instanceof ApiClient.Response a && a.status() == 200) return;
            pause(50); // polling with a deadline
        }
        throw new IllegalStateException(name + " was not healthy in time; see " + log);
    }

    /** SIGKILL: no shutdown hook, no clean close of anything. */
    synchronized void kill() {
        if (process == null) return;
        process.destroyForcibly();
        waitFor(process);
    }

    /** SIGTERM: the shutdown hook ends streams with a {@code closed} event and stops cleanly. */
    synchronized void stop() {
        if (process == null) return;
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        waitFor(process);
    }

    private static void waitFor(Process p) {
        try {
            p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code java -jar <jar>} with a modest heap, using the JVM that runs the drill. */
    static List<String> jarCommand(Path jar, List<String> jvmOptions) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.add("-jar");
        cmd.add(jar.toString());
        return cmd;
    }

    /** {@code java -cp <classpath> com.royalcare.scheduler.Main}: what the JUnit short forms use (no jar built yet). */
    static List<String> classpathCommand(String classpath, List<String> jvmOptions) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(classpath);
        cmd.add("com.royalcare.scheduler.Main");
        return cmd;
    }

    static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
