package io.flightcontroller.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.flightcontroller.adapters.jdbc.JdbcTables;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code run --checkpoint-dir}: the command line as a separate JVM, killed with SIGKILL or stopped with SIGTERM in the
 * middle of a replay, then run again with the same command; every table and both files must end exactly as after an
 * uninterrupted run. Slow: five replays of 96,000 events (one in this JVM for reference, two per test in their own;
 * the interrupted one paced with {@code --max-rate}, the one after it not).
 */
class CheckpointResumeSeparateJvmTest {
    @TempDir
    static Path dir;

    static Path input;
    static Path measures;
    /** Tables and files of the uninterrupted run. */
    static Path reference;

    /**
     * 2,000 tickets of 48 events each, grouped by ticket (so the run sorts them into a copy in the checkpoint
     * folder): opened, 46 updates no measure uses, closed after 10 min to 3 days (every tenth never closes). The
     * SLO (8 h) and the timeout (2 d) give thousands of breach, timeout and burn-rate alerts.
     */
    @BeforeAll
    static void inputAndAnUninterruptedRun() throws Exception {
        input = dir.resolve("tickets.jsonl");
        Random r = new Random(7);
        long base = Instant.parse("2026-01-01T00:00:00Z").getEpochSecond();
        try (BufferedWriter w = Files.newBufferedWriter(input, StandardCharsets.UTF_8)) {
            for (int c = 0; c < 2_000; c++) {
                long t0 = base + r.nextInt(30 * 86_400);
                long duration = 600 + r.nextInt(3 * 86_400);
                String id = String.format("ticket-%05d", c);
                w.write(event(id, "ticket_opened", t0, ",\"payload\":{\"team\":\"t" + c % 7 + "\"}"));
                for (int u = 0; u < 46; u++) {
                    w.write(event(id, "ticket_updated", t0 + r.nextInt((int) duration), ""));
                }
                if (c % 10 != 0) {
                    w.write(event(id, "ticket_closed", t0 + duration, ""));
                }
            }
        }
        measures = dir.resolve("measures.yaml");
        Files.write(
                measures,
                Arrays.asList(
                        "measures:",
                        "  - name: ticket_lead_time",
                        "    start: ticket_opened",
                        "    end: ticket_closed",
                        "    timeout: P2D",
                        "    slo: { threshold: PT8H, objective: 0.9, window: P7D }"));
        reference = dir.resolve("reference");
        assertThat(FlightControllerCli.execute(
                        "run",
                        "--no-progress",
                        "--measures",
                        measures.toString(),
                        "--input",
                        input.toString(),
                        "--out-dir",
                        reference.toString()))
                .isZero();
        assertThat(lines(reference.resolve("alerts.jsonl"))).hasSizeGreaterThan(1_000);
    }

    private static String event(String id, String type, long time, String payload) {
        return "{\"correlation_id\":\"" + id + "\",\"event_type\":\"" + type + "\",\"time\":" + time + payload + "}\n";
    }

    @Test
    void separateJvm_killedWithSigkillAfterACheckpoint_theSameCommandResumesAndEndsAsAnUninterruptedRun()
            throws Exception {
        Path out = dir.resolve("killed");
        Path checkpoints = dir.resolve("killed-checkpoints");
        List<String> command = command(out, checkpoints);
        Process first = start(paced(command), dir.resolve("killed-1.log"));
        LocalCheckpoints.Snapshot taken = awaitCheckpoint(first, checkpoints, 2, dir.resolve("killed-1.log"));
        Thread.sleep(500); // a little past the checkpoint, so the interrupted run has gone on
        first.destroyForcibly(); // SIGKILL: no shutdown hook, no flush
        first.waitFor();
        byte[] before = Files.readAllBytes(out.resolve("alerts.jsonl"));

        // a resume with another option is refused before anything is touched, naming the option
        List<String> other = new ArrayList<>(command.subList(command.indexOf("run"), command.size()));
        other.addAll(Arrays.asList("--out-of-orderness", "PT9S"));
        StringWriter err = new StringWriter();
        CommandLine cl = FlightControllerCli.commandLine();
        cl.setErr(new PrintWriter(err));
        assertThat(cl.execute(other.toArray(new String[0]))).isEqualTo(CliErrors.USAGE);
        assertThat(err.toString().trim())
                .startsWith(
                        "flight-controller run: --out-of-orderness PT9S: differs from" + " the interrupted run's PT5S")
                .doesNotContain("\n");
        assertThat(Files.readAllBytes(out.resolve("alerts.jsonl"))).isEqualTo(before);
        // so is one in the other state layout: its checkpoint would not restore into it
        List<String> otherLayout = new ArrayList<>(command.subList(command.indexOf("run"), command.size()));
        otherLayout.addAll(Arrays.asList("--state-layout", "per_correlation_id"));
        StringWriter layoutErr = new StringWriter();
        CommandLine layoutCl = FlightControllerCli.commandLine();
        layoutCl.setErr(new PrintWriter(layoutErr));
        assertThat(layoutCl.execute(otherLayout.toArray(new String[0]))).isEqualTo(CliErrors.USAGE);
        assertThat(layoutErr.toString().trim())
                .startsWith("flight-controller run: --state-layout per_correlation_id: differs from the interrupted"
                        + " run's per_measure")
                .doesNotContain("\n");

        Path log = dir.resolve("killed-2.log");
        assertThat(run(command, log)).as(tail(log)).isZero();
        String said = new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
        Matcher from = Pattern.compile("resuming from checkpoint "
                        + Pattern.quote(checkpoints.toAbsolutePath().toString()) + "/\\S+/chk-(\\d+) \\((\\d+)\\)")
                .matcher(said);
        assertThat(from.find()).as(said).isTrue();
        assertThat(Long.parseLong(from.group(2)))
                .isEqualTo(Long.parseLong(from.group(1)))
                .isGreaterThanOrEqualTo(taken.checkpointId);
        assertSameAsUninterrupted(out);

        // the alerts file was cut back to the checkpoint: what the summary counts as delivered twice are the lines
        // of the interrupted run after it, and everything before them is untouched
        Matcher m = Pattern.compile("([\\d,]+) alerts delivered twice after the resume")
                .matcher(said);
        assertThat(m.find()).as(said).isTrue();
        int twice = Integer.parseInt(m.group(1).replace(",", ""));
        List<String> interrupted = splitLines(before);
        List<String> after = lines(out.resolve("alerts.jsonl"));
        assertThat(twice).isBetween(0, interrupted.size());
        int kept = interrupted.size() - twice;
        assertThat(after.subList(0, kept)).isEqualTo(interrupted.subList(0, kept));
        assertThat(after.subList(kept, after.size()))
                .containsAll(interrupted.subList(kept, interrupted.size()).stream()
                        .filter(l -> l.endsWith("}"))
                        .collect(java.util.stream.Collectors.toList()));

        // a complete run leaves nothing to resume: the next run starts afresh
        assertThat(LocalCheckpoints.latest(checkpoints)).isNull();
        assertThat(checkpoints.resolve(LocalCheckpoints.RUN_PROPERTIES)).doesNotExist();
    }

    @Test
    void separateJvm_stoppedWithSigterm_savesAndTheNextRunContinuesFromTheSavepointAndEndsAsAnUninterruptedRun()
            throws Exception {
        Path out = dir.resolve("stopped");
        Path checkpoints = dir.resolve("stopped-checkpoints");
        List<String> command = command(out, checkpoints);
        Path log1 = dir.resolve("stopped-1.log");
        Process first = start(paced(command), log1);
        awaitCheckpoint(first, checkpoints, 1, log1);
        first.destroy(); // SIGTERM
        assertThat(first.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(first.exitValue()).as(tail(log1)).isEqualTo(143);
        assertThat(tail(log1)).contains("paced: at most 10,000 lines per second");
        LocalCheckpoints.Snapshot savepoint = LocalCheckpoints.latest(checkpoints);
        assertThat(savepoint).isNotNull();
        assertThat(savepoint.savepoint).isTrue();
        assertThat(savepoint.path.getParent())
                .isEqualTo(checkpoints.toAbsolutePath().resolve("savepoints"));
        assertThat(tail(log1))
                .contains("stopped with a savepoint in " + savepoint.path + ": run the same command again to continue");

        Path log2 = dir.resolve("stopped-2.log");
        assertThat(run(command, log2)).as(tail(log2)).isZero();
        assertThat(new String(Files.readAllBytes(log2), StandardCharsets.UTF_8))
                .contains("resuming from savepoint " + savepoint.path + " (" + savepoint.checkpointId + ")");
        assertSameAsUninterrupted(out);
    }

    // ---------------------------------------------------------------------------------------------------------------

    private static List<String> command(Path out, Path checkpoints) {
        return new ArrayList<>(Arrays.asList(
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g",
                "--add-opens=java.base/java.util=ALL-UNNAMED",
                "--add-opens=java.base/java.lang=ALL-UNNAMED",
                "--add-opens=java.base/java.time=ALL-UNNAMED",
                "-Dlog4j.configurationFile=" + FlightControllerCliTest.repo("local-cluster/log4j2.properties"),
                "-cp",
                System.getProperty("java.class.path"),
                FlightControllerCli.class.getName(),
                "run",
                "--no-progress",
                "--measures",
                measures.toString(),
                "--input",
                input.toString(),
                "--out-dir",
                out.toString(),
                "--checkpoint-dir",
                checkpoints.toString(),
                "--checkpoint-interval",
                "PT0.5S"));
    }

    /**
     * The interrupted run reads at most {@value #PACE} lines per second, so its 95,800 lines take at least 8.6 s (a
     * token bucket holds at most one second's permits) and a signal after its first checkpoints lands mid-input unless
     * the first checkpoint takes 8 s; the run after it reads at full speed, which a resume allows (the results do not depend on the rate).
     */
    private static List<String> paced(List<String> command) {
        List<String> c = new ArrayList<>(command);
        c.addAll(Arrays.asList("--max-rate", String.valueOf(PACE)));
        return c;
    }

    private static final int PACE = 10_000;

    private static Process start(List<String> command, Path log) throws IOException {
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    private static int run(List<String> command, Path log) throws Exception {
        Process p = start(command, log);
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("the run did not end within 10 minutes: " + tail(log));
        }
        return p.exitValue();
    }

    /** Waits for a complete checkpoint with at least the given id while the run goes on. */
    private static LocalCheckpoints.Snapshot awaitCheckpoint(Process p, Path checkpoints, long id, Path log)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (System.nanoTime() < deadline) {
            LocalCheckpoints.Snapshot s = Files.isDirectory(checkpoints) ? LocalCheckpoints.latest(checkpoints) : null;
            if (s != null && s.checkpointId >= id) {
                return s;
            }
            if (!p.isAlive()) {
                throw new AssertionError(
                        "the run ended before checkpoint " + id + " (a larger input is needed): " + tail(log));
            }
            Thread.sleep(100);
        }
        p.destroyForcibly();
        throw new AssertionError("no checkpoint " + id + " within 5 minutes: " + tail(log));
    }

    private static void assertSameAsUninterrupted(Path out) throws Exception {
        for (String table : JdbcTables.TABLES) {
            assertThat(dump(out, table)).as(table).isEqualTo(dump(reference, table));
        }
        for (String file : new String[] {"alerts.jsonl", "dead-letters.jsonl"}) {
            byte[] content = Files.readAllBytes(out.resolve(file));
            assertThat(content.length == 0 || content[content.length - 1] == '\n')
                    .as(file + " ends a line")
                    .isTrue();
            List<String> got = lines(out.resolve(file));
            List<String> want = lines(reference.resolve(file));
            Collections.sort(got);
            Collections.sort(want);
            assertThat(got)
                    .as(file + ": each line once, as in the uninterrupted run")
                    .isEqualTo(want);
        }
    }

    /** Every row of a table, every column, ordered by all columns. */
    private static List<String> dump(Path out, String table) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + out.resolve("flight-controller.db"));
                Statement st = c.createStatement()) {
            int columns;
            try (ResultSet rs = st.executeQuery("SELECT * FROM " + table + " LIMIT 0")) {
                columns = rs.getMetaData().getColumnCount();
            }
            StringBuilder order = new StringBuilder();
            for (int i = 1; i <= columns; i++) {
                order.append(i == 1 ? "" : ", ").append(i);
            }
            try (ResultSet rs = st.executeQuery("SELECT * FROM " + table + " ORDER BY " + order)) {
                while (rs.next()) {
                    StringBuilder row = new StringBuilder();
                    for (int i = 1; i <= columns; i++) {
                        row.append(i == 1 ? "" : " | ").append(rs.getString(i));
                    }
                    rows.add(row.toString());
                }
            }
        }
        return rows;
    }

    private static List<String> lines(Path file) throws IOException {
        return splitLines(Files.readAllBytes(file));
    }

    /** Lines of a file, a last line without its newline included. */
    private static List<String> splitLines(byte[] content) {
        String s = new String(content, StandardCharsets.UTF_8);
        List<String> l = new ArrayList<>(Arrays.asList(s.split("\n", -1)));
        if (!l.isEmpty() && l.get(l.size() - 1).isEmpty()) {
            l.remove(l.size() - 1);
        }
        return l;
    }

    private static String tail(Path log) {
        try {
            List<String> l = Files.readAllLines(log);
            return String.join("\n", l.subList(Math.max(0, l.size() - 40), l.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
