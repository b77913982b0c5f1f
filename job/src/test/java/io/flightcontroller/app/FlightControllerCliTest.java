package io.flightcontroller.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.flightcontroller.testing.LoopbackServers;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The README's main command on the project's own sample data, and the command line's error handling. */
class FlightControllerCliTest {
    @TempDir
    Path dir;

    static Path repo(String relative) {
        Path p = Paths.get("").toAbsolutePath();
        return Files.exists(p.resolve(relative))
                ? p.resolve(relative)
                : p.getParent().resolve(relative);
    }

    String capture(Runnable r) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true));
        try {
            r.run();
        } finally {
            System.setOut(old);
        }
        return new String(buf.toByteArray(), StandardCharsets.UTF_8);
    }

    @Test
    void sampleDataWithTheDefaultMeasures_everyDomainIsMeasured() throws Exception {
        int[] code = new int[1];
        String out = capture(() -> code[0] = FlightControllerCli.execute(
                "run",
                "--no-progress",
                "--measures",
                repo("job/src/main/resources/measures.yaml").toString(),
                "--input",
                repo("sample-data/events.jsonl").toString(),
                "--out-dir",
                dir.toString()));
        assertThat(code[0]).as(out).isZero();
        for (String m : new String[] {
            "project_assigned_lead_time",
            "project_lead_time",
            "account_lead_time",
            "identity_lead_time",
            "resource_time_to_remediate",
            "guardrail_lead_time",
            "guardrail_activations_per_cycle",
            "guardrail_activations_total",
            "patch_compliance_percent"
        }) {
            assertThat(out).contains(m);
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("flight-controller.db"));
                Statement st = c.createStatement()) {
            // resource i-1 remediated twice (3 h, with a repeated finding in between; then 30 min), i-2 once
            assertThat(longs(
                            st,
                            "SELECT duration_ms FROM lead_times WHERE measure = 'resource_time_to_remediate'"
                                    + " AND case_key = 'i-1' ORDER BY cycle"))
                    .containsExactly(7_200_000L, 1_800_000L);
            // guardrail: 3 activations then 1; running total 4; maximum 3
            assertThat(longs(
                            st,
                            "SELECT value FROM measurements WHERE measure = 'guardrail_activations_per_cycle'"
                                    + " AND case_key = 'landing-zone-1|gr-encryption' ORDER BY seq"))
                    .containsExactly(3L, 1L);
            assertThat(longs(
                            st,
                            "SELECT MAX(max_value) FROM measurements WHERE measure ="
                                    + " 'guardrail_activations_per_cycle'"))
                    .containsExactly(3L);
            assertThat(longs(
                            st,
                            "SELECT MAX(value) FROM measurements WHERE measure = 'guardrail_activations_total'"
                                    + " AND case_key = 'landing-zone-1|gr-encryption'"))
                    .containsExactly(4L);
            // patching: arrays 3 of 4 = 75 %, strings with no failure = 100 %, nothing at all = no metric
            assertThat(longs(
                            st,
                            "SELECT value FROM measurements WHERE measure = 'patch_compliance_percent'"
                                    + " ORDER BY start_time"))
                    .containsExactly(75L, 100L);
            // identity keeps account_id as a dimension
            assertThat(longs(
                            st,
                            "SELECT COUNT(*) FROM lead_times WHERE measure = 'identity_lead_time'"
                                    + " AND dimensions LIKE '%account_id%'"))
                    .containsExactly(5L);
            // project-000 was not assigned within P1D (the sequence's hop limit) and completed later: corrections with
            // the true durations, for the late hop and the whole sequence
            assertThat(longs(
                            st,
                            "SELECT duration_ms FROM lead_times WHERE measure = 'project_lead_time'"
                                    + " AND case_key = 'project-000' AND after_timeout = 1"))
                    .containsExactly(7L * 86_400_000L + 4 * 3_600_000L);
            assertThat(longs(
                            st,
                            "SELECT duration_ms FROM lead_times WHERE measure = 'project_assigned_lead_time'"
                                    + " AND case_key = 'project-000' AND after_timeout = 1"))
                    .containsExactly(7L * 86_400_000L + 2 * 3_600_000L);
            assertThat(longs(st, "SELECT COUNT(*) FROM dead_letters")).containsExactly(4L);
        }
        assertThat(Files.readAllLines(dir.resolve("alerts.jsonl")))
                .anyMatch(l -> l.contains("\"kind\":\"timeout\"")
                        && l.contains("\"deadline\":\"2026-11-01T08:00:00Z\"")
                        && l.contains("\"missing_step\":\"project_assigned\""));
    }

    static java.util.List<Long> longs(Statement st, String sql) throws Exception {
        java.util.List<Long> v = new java.util.ArrayList<>();
        try (ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                v.add(Math.round(rs.getDouble(1)));
            }
        }
        return v;
    }

    @Test
    void anInvalidMeasuresFileFailsAtStartNamingMeasureAndField() throws Exception {
        Path bad = dir.resolve("bad.yaml");
        Files.write(
                bad,
                ("measures:\n  - name: project_lead_time\n    start: project_requested\n"
                                + "    end: project_created\n    slo: {threshold: PT1H, objective: 95, window: P28D}\n")
                        .getBytes(StandardCharsets.UTF_8));
        Outcome o = cli("run", "--measures", bad.toString(), "--input", events(), "--out-dir", dir.toString());
        assertOneLineError(o, "run", "--measures " + bad + ": ");
        assertThat(o.err).contains("project_lead_time").contains("slo.objective");
    }

    /** What a command printed and returned. */
    static final class Outcome {
        int code;
        String out;
        String err;
    }

    /** Runs the command line with captured streams (the cases below fail before a mini-cluster starts). */
    static Outcome cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = FlightControllerCli.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        Outcome o = new Outcome();
        o.code = cl.execute(args);
        o.out = out.toString();
        o.err = err.toString();
        return o;
    }

    /** Exit code 2, exactly one line on stderr starting with the command and the given text, no stack trace. */
    static void assertOneLineError(Outcome o, String command, String start) {
        assertThat(o.code).as(o.err).isEqualTo(CliErrors.USAGE);
        assertThat(o.err.split("\\R")).as(o.err).hasSize(1);
        assertThat(o.err)
                .startsWith("flight-controller " + command + ": " + start)
                .doesNotContain("\tat ")
                .doesNotContain("Exception");
    }

    static String measures() {
        return repo("job/src/main/resources/measures.yaml").toString();
    }

    static String events() {
        return repo("sample-data/events.jsonl").toString();
    }

    /** A regular file: nothing can be created beneath it, whoever runs the test (root included). */
    Path aFile() throws Exception {
        Path f = dir.resolve("a-file.txt");
        if (!Files.exists(f)) {
            Files.write(f, new byte[] {'x'});
        }
        return f;
    }

    @Test
    void aMissingMeasuresFileIsOneLineNamingTheOption() {
        Path missing = dir.resolve("missing.yaml");
        Outcome o = cli("run", "--measures", missing.toString(), "--input", events(), "--out-dir", dir.toString());
        assertOneLineError(o, "run", "--measures " + missing + ": no such file");
        assertThat(dir.resolve("flight-controller.db"))
                .as("checked before anything is written")
                .doesNotExist();
    }

    @Test
    void aFolderGivenAsMeasuresFileIsOneLine() {
        Outcome o = cli("run", "--measures", dir.toString(), "--input", events(), "--out-dir", dir.toString());
        assertOneLineError(o, "run", "--measures " + dir + ": is a folder");
    }

    @Test
    void measuresThatAreNotYamlGiveTheLoadersMessageOnOneLine() throws Exception {
        Path bad = dir.resolve("not-yaml.yaml");
        // the YAML parser's message spans several lines with a snippet of the file
        Files.write(bad, "measures:\n  - name: a\n    start: x\n  end: y\n".getBytes(StandardCharsets.UTF_8));
        Outcome o = cli("run", "--measures", bad.toString(), "--input", events(), "--out-dir", dir.toString());
        assertOneLineError(o, "run", "--measures " + bad + ": ");
        assertThat(o.err).contains("line 4");
    }

    @Test
    void eachMissingInputIsNamed() {
        Path missing = dir.resolve("second.jsonl");
        Outcome o =
                cli("run", "--measures", measures(), "--input", events() + "," + missing, "--out-dir", dir.toString());
        assertOneLineError(o, "run", "--input " + missing + ": no such file");
    }

    @Test
    void aJdbcUrlNoDriverTakesIsOneLine() {
        Outcome o = cli(
                "run",
                "--measures",
                measures(),
                "--input",
                events(),
                "--out-dir",
                dir.toString(),
                "--jdbc-url",
                "jdbc:nosuchdb://x/y");
        assertOneLineError(o, "run", "--jdbc-url jdbc:nosuchdb://x/y: no JDBC driver");
    }

    @Test
    void aSqliteFileWhoseFolderCannotBeCreatedIsOneLine() throws Exception {
        String url = "jdbc:sqlite:" + aFile().resolve("sub").resolve("results.db");
        Outcome o = cli(
                "run", "--measures", measures(), "--input", events(), "--out-dir", dir.toString(), "--jdbc-url", url);
        assertOneLineError(o, "run", "--jdbc-url " + url + ": cannot create the folder " + aFile().resolve("sub"));
    }

    @Test
    void aSqliteFileInAMissingFolderGetsTheFolder() throws Exception {
        Path db = dir.resolve("new-folder").resolve("results.db");
        assertThat(CliErrors.database("--jdbc-url", "jdbc:sqlite:" + db)).isEqualTo("jdbc:sqlite:" + db);
        assertThat(db).exists();
    }

    @Test
    void aPostgresServerThatRefusesGivesTheDriversReasonWithoutThePassword() {
        String url =
                "jdbc:postgresql://127.0.0.1:" + LoopbackServers.freePort() + "/postgres?user=postgres&password=s3cret";
        Outcome o = cli(
                "run", "--measures", measures(), "--input", events(), "--out-dir", dir.toString(), "--jdbc-url", url);
        assertOneLineError(o, "run", "--jdbc-url " + url.replace("s3cret", "***") + ": ");
        assertThat(o.err).contains("refused").doesNotContain("s3cret");
    }

    @Test
    void alertsDeadLettersAndOutDirThatCannotBeCreatedAreNamed() throws Exception {
        Path under = aFile().resolve("sub").resolve("x.jsonl");
        assertOneLineError(
                cli(
                        "run",
                        "--measures",
                        measures(),
                        "--input",
                        events(),
                        "--out-dir",
                        dir.toString(),
                        "--alerts",
                        under.toString()),
                "run",
                "--alerts " + under + ": cannot create the folder");
        assertOneLineError(
                cli(
                        "run",
                        "--measures",
                        measures(),
                        "--input",
                        events(),
                        "--out-dir",
                        dir.toString(),
                        "--dead-letters",
                        dir.toString()),
                "run",
                "--dead-letters " + dir + ": is a folder");
        Path outDir = aFile().resolve("out");
        assertOneLineError(
                cli("run", "--measures", measures(), "--input", events(), "--out-dir", outDir.toString()),
                "run",
                "--out-dir " + outDir + ": cannot create the folder");
    }

    @Test
    void aDurationThatIsNotIso8601NamesTheOption() {
        Outcome o = cli(
                "run",
                "--measures",
                measures(),
                "--input",
                events(),
                "--out-dir",
                dir.toString(),
                "--out-of-orderness",
                "5s");
        assertOneLineError(o, "run", "Invalid value for option '--out-of-orderness': '5s' is not an ISO-8601 duration");
        o = cli(
                "run",
                "--measures",
                measures(),
                "--input",
                events(),
                "--out-dir",
                dir.toString(),
                "--dedup-retention",
                "-PT1H");
        assertOneLineError(o, "run", "Invalid value for option '--dedup-retention': '-PT1H' is negative");
        assertThat(CliErrors.duration("pt90s")).isEqualTo(java.time.Duration.ofSeconds(90));
    }

    @Test
    void anUnknownStateLayoutIsOneLineNamingTheOptionAndTheLayouts() {
        Outcome o = cli("run", "--measures", measures(), "--input", events(), "--state-layout", "per_case");
        assertOneLineError(o, "run", "Invalid value for option '--state-layout'");
        assertThat(o.err).contains("PER_MEASURE").contains("PER_CORRELATION_ID");
    }

    @Test
    void maxRateMustBeAPositiveNumberOfLinesPerSecond() {
        for (String rate : new String[] {"0", "-5", "NaN", "Infinity"}) {
            assertOneLineError(
                    cli("run", "--measures", measures(), "--input", events(), "--max-rate", rate),
                    "run",
                    "--max-rate " + Double.valueOf(rate)
                            + ": must be a finite number of lines per second, more than 0");
        }
        assertOneLineError(
                cli("run", "--measures", measures(), "--input", events(), "--max-rate", "fast"),
                "run",
                "Invalid value for option '--max-rate'");
    }

    @Test
    void anUnknownOptionIsOneLineWithASuggestion() {
        Outcome o = cli("run", "--measures", measures(), "--input", events(), "--measure-file", "x");
        assertOneLineError(o, "run", "Unknown options: '--measure-file'");
        assertThat(o.err).contains("--help");
        assertOneLineError(cli("run"), "run", "Missing required options");
        assertOneLineError(
                cli("run", "--measures", measures(), "--input", events(), "--parallelism", "two"),
                "run",
                "Invalid value for option '--parallelism'");
    }

    @Test
    void convertNamesAMissingInputAndAnOutputThatCannotBeCreated() throws Exception {
        Path missing = dir.resolve("log.csv");
        assertOneLineError(
                cli("convert", missing.toString(), "-o", dir.resolve("e.jsonl").toString()),
                "convert",
                "INPUT " + missing + ": no such file");
        Path out = aFile().resolve("e.jsonl");
        assertOneLineError(
                cli("convert", events(), "-o", out.toString()),
                "convert",
                "-o " + out + ": cannot create the folder " + aFile() + ": a file of that name exists");
    }

    @Test
    void verboseAddsTheStackTraceWhereverItIsGiven() {
        Path missing = dir.resolve("missing.yaml");
        for (String[] args : new String[][] {
            {"--verbose", "run", "--measures", missing.toString(), "--input", events()},
            {"run", "--measures", missing.toString(), "--input", events(), "--verbose"}
        }) {
            Outcome o = cli(args);
            assertThat(o.code).isEqualTo(CliErrors.USAGE);
            assertThat(o.err)
                    .startsWith("flight-controller run: --measures " + missing + ": no such file")
                    .contains(UsageException.class.getName())
                    .contains("\tat io.flightcontroller.app.CliErrors")
                    .contains("NoSuchFileException");
        }
        Outcome o = cli("run", "--measures", measures(), "--input", events(), "--bogus", "--verbose");
        assertThat(o.code).isEqualTo(CliErrors.USAGE);
        assertThat(o.err).contains("\tat picocli.");
    }

    @Test
    void aFailureThatIsNotAUsageErrorExitsOneWithItsStackTrace() {
        StringWriter err = new StringWriter();
        CommandLine cl = FlightControllerCli.commandLine();
        cl.setErr(new PrintWriter(err, true));
        int code = CliErrors.onExecutionError(new IllegalStateException("job failed"), cl, null);
        assertThat(code).isEqualTo(CliErrors.FAILED);
        assertThat(err.toString())
                .startsWith("flight-controller: java.lang.IllegalStateException: job failed")
                .contains("\tat io.flightcontroller.app.FlightControllerCliTest");
    }
}
