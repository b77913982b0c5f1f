package io.flightcontroller.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A throwaway QuestDB server on a free loopback port, for tests of the InfluxDB line-protocol sink: QuestDB accepts
 * the InfluxDB v2 write API ({@code /api/v2/write}) on its HTTP port and answers SQL at {@code /exec}.
 *
 * <p>Runs {@code java -jar .ci/cache/questdb/questdb-9.3.4.jar -d <tmpdir>} with the test JVM's java, HTTP bound to
 * {@code 127.0.0.1:<free port>} ({@code QDB_HTTP_BIND_TO}) and the other listeners (PostgreSQL wire, ILP over TCP and
 * UDP, the minimal HTTP server) disabled, waits for {@code /ping} (204) and deletes its data folder on
 * {@link #close()}. Fails (no skip) when the jar is missing: run {@code .ci/install-questdb.sh}.
 */
public final class QuestDbServer implements AutoCloseable {
    /** QuestDB version installed by {@code .ci/install-questdb.sh}. */
    public static final String VERSION = "9.3.4";

    private final Process process;
    private final int port;
    private final Path dir;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private QuestDbServer(Process process, int port, Path dir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
    }

    /**
     * Starts a server and waits until {@code /ping} answers (at most 60 s).
     *
     * @return the running server
     * @throws IllegalStateException when the jar is missing (with the install command) or the server does not start
     */
    public static QuestDbServer start() {
        Path root = LoopbackServers.repoRoot();
        Path jar = root.resolve(".ci/cache/questdb/questdb-" + VERSION + ".jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("QuestDB is not installed: run .ci/install-questdb.sh from the repository "
                    + "root (" + root + ") first; expected " + jar);
        }
        try {
            int port = LoopbackServers.freePort();
            Path dir = Files.createTempDirectory("questdb-");
            String java =
                    Paths.get(System.getProperty("java.home"), "bin", "java").toString();
            ProcessBuilder pb = new ProcessBuilder(java, "-Xmx512m", "-jar", jar.toString(), "-d", dir.toString());
            pb.environment().put("QDB_HTTP_BIND_TO", "127.0.0.1:" + port);
            pb.environment().put("QDB_PG_ENABLED", "false");
            pb.environment().put("QDB_LINE_TCP_ENABLED", "false");
            pb.environment().put("QDB_LINE_UDP_ENABLED", "false");
            pb.environment().put("QDB_HTTP_MIN_ENABLED", "false");
            pb.environment().put("QDB_TELEMETRY_ENABLED", "false");
            pb.redirectErrorStream(true)
                    .redirectOutput(dir.resolve("server.log").toFile());
            QuestDbServer server = new QuestDbServer(pb.start(), port, dir);
            server.awaitReady(Duration.ofSeconds(60));
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start QuestDB", e);
        }
    }

    /** @return base URL, e.g. {@code http://127.0.0.1:PORT} (the InfluxDB sink's URL) */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /**
     * Runs a SQL query.
     *
     * @param sql the query
     * @return the JSON answer of {@code /exec} ({@code columns}, {@code dataset}, or {@code error})
     */
    public String query(String sql) {
        try {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(
                                    URI.create(url() + "/exec?query=" + URLEncoder.encode(sql, StandardCharsets.UTF_8)))
                            .timeout(Duration.ofSeconds(30))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                String log = LoopbackServers.tail(dir.resolve("server.log"));
                close();
                throw new IllegalStateException("QuestDB exited with " + process.exitValue() + ": " + log);
            }
            try {
                HttpResponse<Void> r = http.send(
                        HttpRequest.newBuilder(URI.create(url() + "/ping"))
                                .timeout(Duration.ofSeconds(2))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() / 100 == 2) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        String log = LoopbackServers.tail(dir.resolve("server.log"));
        close();
        throw new IllegalStateException("QuestDB not ready after " + timeout + ": " + log);
    }

    /** Stops the server (SIGTERM, then SIGKILL after 10 s) and deletes its data folder. */
    @Override
    public void close() {
        LoopbackServers.stop(process, 10);
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // temp folder
        }
    }
}
