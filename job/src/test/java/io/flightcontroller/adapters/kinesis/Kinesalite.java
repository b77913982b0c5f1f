package io.flightcontroller.adapters.kinesis;

import io.flightcontroller.testing.LoopbackServers;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * A kinesalite Kinesis emulator on 127.0.0.1 and a free port, started as a {@code node} child process and stopped by
 * {@link #close()}. In memory (no LevelDB folder); streams become ACTIVE after 50 ms.
 *
 * <p>kinesalite is installed by {@code .ci/install-kinesalite.sh} into {@code .ci/cache/node}; the system property
 * {@code kinesalite.dir} points elsewhere (the package folder holding {@code index.js}). When it is missing,
 * {@link #start()} throws with the command to run: the Kinesis tests fail rather than skip.
 */
final class Kinesalite implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path log;

    private Kinesalite(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /**
     * Starts kinesalite and waits until it accepts connections (about 1-2 s; at most 30 s).
     *
     * @return the running emulator
     * @throws IllegalStateException when kinesalite is not installed or does not come up
     * @throws IOException when the process cannot be started
     * @throws InterruptedException when interrupted while waiting
     */
    static Kinesalite start() throws IOException, InterruptedException {
        Path dir = packageDir();
        if (!Files.isRegularFile(dir.resolve("index.js"))) {
            throw new IllegalStateException("kinesalite is not installed at " + dir
                    + ": run .ci/install-kinesalite.sh from the repository root (needs node and npm)");
        }
        int port = LoopbackServers.freePort();
        Path log = Paths.get("target", "kinesalite-" + port + ".log").toAbsolutePath();
        Files.createDirectories(log.getParent());
        String script = "const k=require(" + jsString(dir.toString()) + ");"
                + "const s=k({createStreamMs:50,deleteStreamMs:50,updateStreamMs:50,shardLimit:10});"
                + "s.listen(" + port + ",'127.0.0.1',()=>console.log('kinesalite listening on " + port + "'));";
        ProcessBuilder pb = new ProcessBuilder(Arrays.asList("node", "-e", script))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Process p = pb.start();
        Kinesalite k = new Kinesalite(p, port, log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException(
                        "kinesalite exited with " + p.exitValue() + ": " + LoopbackServers.tail(k.log));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return k;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        k.close();
        throw new IllegalStateException(
                "kinesalite did not listen on port " + port + " within 30 s: " + LoopbackServers.tail(k.log));
    }

    private static Path packageDir() {
        String override = System.getProperty("kinesalite.dir");
        if (override != null) {
            return Paths.get(override).toAbsolutePath();
        }
        // surefire runs in job/; the cache is at the repository root
        Path here = Paths.get("").toAbsolutePath();
        for (Path p = here; p != null; p = p.getParent()) {
            Path candidate = p.resolve(".ci/cache/node/node_modules/kinesalite");
            if (Files.isDirectory(p.resolve(".ci"))) {
                return candidate;
            }
        }
        return here.resolve("../.ci/cache/node/node_modules/kinesalite").normalize();
    }

    private static String jsString(String s) {
        return "'"
                + s.replace(File.separatorChar == '\\' ? "\\" : "\u0000", "\\\\")
                        .replace("'", "\\'") + "'";
    }

    /** @return the endpoint URL, {@code http://127.0.0.1:PORT} */
    String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    /** Stops the process (SIGTERM, then SIGKILL after 5 s). */
    @Override
    public void close() throws InterruptedException {
        LoopbackServers.stop(process, 5);
    }
}
