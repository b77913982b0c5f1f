package io.flightcontroller.benchmark;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL for the benchmark's PostgreSQL row, started from the installed server binaries the way the
 * job's tests start theirs ({@code io.flightcontroller.testing.PostgresServer}): a fresh cluster in a temporary folder
 * owned by {@code postgres}, trust authentication, a free loopback port; stopped and deleted by {@link #close}.
 *
 * <p>Shape: {@code synchronous_commit=off}, the server's counterpart of the SQLite file's {@code synchronous=NORMAL}
 * (a commit does not wait for the WAL flush; the database stays consistent, a crash may lose the last commits, which
 * a replay rewrites); everything else the server's defaults. {@link #cpuNanos} reads the server's CPU from
 * {@code /proc} (postmaster and its live children, plus the children it already reaped), since a server's CPU is not in
 * the benchmark JVM's process CPU time.
 */
final class BenchPostgres implements AutoCloseable {
    /** Where Debian 12's {@code postgresql} package puts the server binaries. */
    static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");

    private final Path dir;
    private final int port;

    private BenchPostgres(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /**
     * @return why the server cannot be started here, or null when it can (binaries present, {@code runuser} there)
     */
    static String unavailable() {
        if (!Files.isExecutable(BIN.resolve("initdb")) || !Files.isExecutable(BIN.resolve("pg_ctl"))) {
            return "PostgreSQL 15 server binaries not found in " + BIN + " (apt-get install postgresql)";
        }
        if (!Files.isExecutable(Path.of("/usr/sbin/runuser")) && !Files.isExecutable(Path.of("/sbin/runuser"))) {
            return "runuser not found (the server runs as user postgres)";
        }
        return null;
    }

    /**
     * Creates and starts a cluster.
     *
     * @return the running server
     * @throws IOException when a command fails (its output in the message)
     * @throws InterruptedException when interrupted while waiting for a command
     */
    static BenchPostgres start() throws IOException, InterruptedException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path dir = Files.createTempDirectory("fc-bench-postgres-");
        BenchPostgres pg = new BenchPostgres(dir, port);
        try {
            exec(List.of("chown", "postgres", dir.toString()));
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
                    "-p " + port + " -k /tmp -c listen_addresses=127.0.0.1 -c synchronous_commit=off",
                    "-l",
                    dir.resolve("log").toString(),
                    "-w",
                    "start");
        } catch (IOException | InterruptedException | RuntimeException e) {
            pg.close();
            throw e;
        }
        return pg;
    }

    /** @return a JDBC URL of the {@code postgres} database as user {@code postgres} */
    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
    }

    /**
     * The server's CPU time so far: user + system time of the postmaster, of its live children and of the children it
     * has reaped (a backend's time moves there when its connection closes).
     *
     * @return nanoseconds; -1 when {@code /proc} cannot be read
     */
    long cpuNanos() {
        try {
            long pid = Long.parseLong(Files.readAllLines(dir.resolve("data/postmaster.pid"))
                    .get(0)
                    .trim());
            long ticks = 0;
            try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
                for (Path p : (Iterable<Path>) procs::iterator) {
                    String name = p.getFileName().toString();
                    if (!name.chars().allMatch(Character::isDigit)) {
                        continue;
                    }
                    long[] stat = stat(p.resolve("stat"));
                    if (stat == null) {
                        continue; // exited meanwhile
                    }
                    if (Long.parseLong(name) == pid) {
                        ticks += stat[1] + stat[2] + stat[3] + stat[4];
                    } else if (stat[0] == pid) {
                        ticks += stat[1] + stat[2];
                    }
                }
            }
            return ticks * (1_000_000_000L / CLOCK_TICKS);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** {@code sysconf(_SC_CLK_TCK)}: 100 on Linux (x86-64, arm64) since 2.6. */
    private static final long CLOCK_TICKS = 100;

    /**
     * @param stat a {@code /proc/PID/stat} file
     * @return ppid, utime, stime, cutime, cstime (clock ticks); null when the process is gone
     */
    static long[] stat(Path stat) {
        String s;
        try {
            s = Files.readString(stat, StandardCharsets.US_ASCII);
        } catch (IOException gone) {
            return null;
        }
        // fields after "(comm)": state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime
        // cutime cstime (proc(5)); comm may hold spaces, so split after its closing parenthesis
        String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
        return new long[] {
            Long.parseLong(f[1]),
            Long.parseLong(f[11]),
            Long.parseLong(f[12]),
            Long.parseLong(f[13]),
            Long.parseLong(f[14])
        };
    }

    /** Stops the server (immediate mode) and deletes its folder. */
    @Override
    public void close() throws IOException, InterruptedException {
        try {
            if (Files.exists(dir.resolve("data/postmaster.pid"))) {
                asPostgres(
                        BIN.resolve("pg_ctl").toString(),
                        "-D",
                        dir.resolve("data").toString(),
                        "-m",
                        "immediate",
                        "-w",
                        "stop");
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    private static void asPostgres(String... command) throws IOException, InterruptedException {
        List<String> c = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
        c.addAll(List.of(command));
        exec(c);
    }

    private static void exec(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + command);
        }
        if (p.exitValue() != 0) {
            throw new IOException(command + " failed with exit code " + p.exitValue() + ":\n"
                    + new String(out, StandardCharsets.UTF_8));
        }
    }
}
