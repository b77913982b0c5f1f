package io.flightcontroller.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A throwaway PostgreSQL 15 on a free loopback port for one test class ({@code @RegisterExtension static}): a fresh
 * cluster in a temporary folder owned by {@code postgres}, trust authentication, stopped and deleted afterwards.
 * Fails (never skips) when the server binaries are missing, naming the package to install.
 */
public final class PostgresServer implements BeforeAllCallback, AfterAllCallback {
    private static final Path BIN = Paths.get("/usr/lib/postgresql/15/bin");

    private Path dir;
    private int port;

    /** @return a JDBC URL of the {@code postgres} database as user {@code postgres} */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
    }

    public int port() {
        return port;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        stop();
    }

    /** Creates and starts the cluster. */
    public void start() throws Exception {
        if (!Files.isExecutable(BIN.resolve("initdb")) || !Files.isExecutable(BIN.resolve("pg_ctl"))) {
            throw new IllegalStateException("PostgreSQL 15 server binaries not found in " + BIN
                    + ": install them with `apt-get install postgresql` (Debian 12 ships PostgreSQL 15)");
        }
        port = LoopbackServers.freePort();
        dir = Files.createTempDirectory("fc-postgres-");
        exec(Arrays.asList("chown", "postgres", dir.toString()));
        asPostgres(
                BIN.resolve("initdb").toString(),
                "-D",
                dir.resolve("data").toString(),
                "-U",
                "postgres",
                "--auth=trust",
                "--no-sync");
        asPostgres(
                BIN.resolve("pg_ctl").toString(),
                "-D",
                dir.resolve("data").toString(),
                "-o",
                "-p " + port + " -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off",
                "-l",
                dir.resolve("log").toString(),
                "-w",
                "start");
    }

    /** Stops the server and deletes its folder. */
    public void stop() throws Exception {
        if (dir == null) {
            return;
        }
        try {
            asPostgres(
                    BIN.resolve("pg_ctl").toString(),
                    "-D",
                    dir.resolve("data").toString(),
                    "-m",
                    "immediate",
                    "-w",
                    "stop");
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
            dir = null;
        }
    }

    private static void asPostgres(String... command) throws IOException, InterruptedException {
        List<String> c = new ArrayList<>(Arrays.asList("runuser", "-u", "postgres", "--"));
        c.addAll(Arrays.asList(command));
        exec(c);
    }

    private static void exec(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("timed out: " + command);
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException(command + " failed with exit code " + p.exitValue() + ":\n"
                    + new String(out, java.nio.charset.StandardCharsets.UTF_8));
        }
    }
}
