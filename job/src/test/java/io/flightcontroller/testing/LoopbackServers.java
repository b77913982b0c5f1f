package io.flightcontroller.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;

/** What every test server on loopback (moto, QuestDB, kinesalite, PostgreSQL) needs: a port, a log tail, a stop. */
public final class LoopbackServers {
    private LoopbackServers() {}

    /** @return a TCP port free on 127.0.0.1 right now */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param log a server's log file
     * @return its last 4,000 characters, for an error message
     */
    public static String tail(Path log) {
        try {
            String s = new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
            return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /**
     * Stops a server process: SIGTERM, then SIGKILL after {@code graceSeconds}.
     *
     * @param process the process
     * @param graceSeconds how long it may take to shut down, s
     */
    public static void stop(Process process, int graceSeconds) {
        process.destroy();
        try {
            if (!process.waitFor(graceSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * @return the repository root: the nearest folder at or above the working directory holding {@code .ci/}
     * @throws IllegalStateException when none is found
     */
    public static Path repoRoot() {
        Path p = Paths.get(System.getProperty("user.dir")).toAbsolutePath();
        while (p != null) {
            if (Files.isDirectory(p.resolve(".ci"))) {
                return p;
            }
            p = p.getParent();
        }
        throw new IllegalStateException("no .ci folder above " + System.getProperty("user.dir"));
    }
}
