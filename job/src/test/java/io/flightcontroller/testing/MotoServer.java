package io.flightcontroller.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A moto server (SNS, SQS, Timestream write) on a free loopback port, started by a test's setup and stopped by
 * {@link #close()}. It runs {@code .ci/moto/fc_moto_server.py} (moto plus Timestream's record rejection rules) with
 * the moto installed by {@code .ci/install-moto.sh}; when that is missing, {@link #start()} fails and says so.
 *
 * <p>Also sets the AWS SDK's credential system properties ({@code aws.accessKeyId}, {@code aws.secretAccessKey}) to
 * dummy values, which moto accepts, unless they are set already.
 */
public final class MotoServer implements AutoCloseable {
    /** Region the tests use. */
    public static final String REGION = "us-east-1";
    /** moto's default account id. */
    public static final String ACCOUNT = "123456789012";

    private final Process process;
    private final int port;
    private final Path log;

    private MotoServer(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /**
     * Starts moto and waits until it answers (at most 60 s).
     *
     * @return the running server
     * @throws IllegalStateException when moto is not installed (run {@code .ci/install-moto.sh}) or does not start
     */
    public static MotoServer start() {
        Path root = LoopbackServers.repoRoot();
        Path pythonPath = root.resolve(".ci/cache/moto/pythonpath");
        if (!Files.isRegularFile(pythonPath) || !new File("/usr/bin/python3").canExecute()) {
            throw new IllegalStateException("moto server is not installed: run .ci/install-moto.sh from the repository "
                    + "root (" + root + ") first; expected " + pythonPath);
        }
        System.setProperty("aws.accessKeyId", System.getProperty("aws.accessKeyId", "testing"));
        System.setProperty("aws.secretAccessKey", System.getProperty("aws.secretAccessKey", "testing"));
        try {
            int port = LoopbackServers.freePort();
            Path log = Files.createTempFile("moto-", ".log");
            ProcessBuilder pb = new ProcessBuilder(
                    "/usr/bin/python3",
                    root.resolve(".ci/moto/fc_moto_server.py").toString(),
                    "-H",
                    "127.0.0.1",
                    "-p",
                    Integer.toString(port));
            pb.environment()
                    .put("PYTHONPATH", new String(Files.readAllBytes(pythonPath), StandardCharsets.UTF_8).trim());
            pb.environment().put("PYTHONDONTWRITEBYTECODE", "1");
            pb.redirectErrorStream(true).redirectOutput(log.toFile());
            MotoServer server = new MotoServer(pb.start(), port, log);
            server.awaitReady(Duration.ofSeconds(60));
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start moto server", e);
        }
    }

    /** @return the endpoint URI, e.g. {@code http://127.0.0.1:41234} */
    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    /** @return the port */
    public int port() {
        return port;
    }

    /**
     * @param path a path starting with {@code /}, e.g. {@code /moto-api/data.json}
     * @return the response body of a GET
     * @throws IllegalStateException on a non-200 answer
     */
    public String get(String path) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(endpoint() + path))
                                    .timeout(Duration.ofSeconds(30))
                                    .GET()
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("GET " + path + " answered " + r.statusCode() + ": " + r.body());
            }
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
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "moto server exited with " + process.exitValue() + ": " + LoopbackServers.tail(log));
            }
            try {
                HttpResponse<Void> r = http.send(
                        HttpRequest.newBuilder(URI.create(endpoint() + "/moto-api/data.json"))
                                .timeout(Duration.ofSeconds(2))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(100);
        }
        close();
        throw new IllegalStateException("moto server not ready after " + timeout + ": " + LoopbackServers.tail(log));
    }

    /** Stops the server (SIGTERM, then SIGKILL after 5 s) and deletes its log. */
    @Override
    public void close() {
        LoopbackServers.stop(process, 5);
        try {
            Files.deleteIfExists(log);
        } catch (IOException ignored) {
            // temp file
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
