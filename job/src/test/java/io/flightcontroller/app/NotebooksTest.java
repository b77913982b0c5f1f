package io.flightcontroller.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flightcontroller.adapters.eventlog.EventLogConverter;
import io.flightcontroller.adapters.eventlog.EventLogOptions;
import io.flightcontroller.adapters.parse.MeasuresYaml;
import io.flightcontroller.domain.result.Quantiles;
import io.flightcontroller.pipeline.PipelineOptions;
import io.flightcontroller.testing.LoopbackServers;
import io.flightcontroller.testing.SharedData;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The notebooks of {@code notebooks/}: committed without outputs; executed ({@code jupyter nbconvert --to notebook
 * --execute}) on the results of a replay of the sepsis log, each draws a figure and every figure it prints
 * ({@code figure: <label>: n = ..., median = ...}) equals the database's, computed here with SQL; and
 * {@code flight-controller report} turns them into one HTML page. The execution tests are skipped only when Debian's
 * {@code /usr/bin/jupyter} is missing ({@code .ci/install-notebooks.sh} installs it).
 */
class NotebooksTest {
    static final Path NOTEBOOKS = LoopbackServers.repoRoot().resolve("notebooks");
    static final ObjectMapper JSON = new ObjectMapper();
    static final Pattern FIGURE = Pattern.compile("^figure: (.+?): n = (\\d+)(?:, median = ([-+0-9.eE]+)(?: s .*)?)?$");

    @TempDir
    static Path dir;

    private static Path database;

    static Path measuresFile() throws Exception {
        return Paths.get(NotebooksTest.class
                .getResource("/notebooks/sepsis-measures.yaml")
                .toURI());
    }

    static void assumeJupyter() {
        Assumptions.assumeTrue(
                Files.isExecutable(NotebookReport.DEBIAN_JUPYTER),
                "skipped: /usr/bin/jupyter is missing; install Debian's notebook packages with "
                        + ".ci/install-notebooks.sh (jupyter-nbconvert python3-nbformat python3-ipykernel "
                        + "python3-pandas python3-matplotlib python3-yaml python3-psycopg2)");
    }

    /**
     * The sepsis log replayed with {@code sepsis-measures.yaml}, plus four bad records at its end (not JSON, no time,
     * two events from months before: late when the file is replayed as arrivals), plus copies of the three emergency-room hops under the names a sequence measure
     * writes ({@code er_pathway#1..3}, end to end {@code er_pathway}): the measures file cannot define one yet.
     */
    static synchronized Path database() throws Exception {
        if (database != null) {
            return database;
        }
        Path events = dir.resolve("sepsis.jsonl");
        EventLogConverter.convert(
                SharedData.path("sepsis_cases_eventdataR.csv"),
                events,
                EventLogOptions.builder()
                        .delimiter(';')
                        .caseColumn("Case ID")
                        .activityColumn("Activity")
                        .timeColumn("Complete Timestamp")
                        .build());
        Files.write(
                events,
                Arrays.asList(
                        "this line is not JSON",
                        "{\"correlation_id\":\"ZZ1\",\"event_type\":\"ER Registration\"}",
                        "{\"correlation_id\":\"A\",\"event_type\":\"IV Antibiotics\",\"time\":\"2014-10-22T12:00:00Z\"}",
                        "{\"correlation_id\":\"B\",\"event_type\":\"CRP\",\"time\":\"2014-12-01T10:00:00Z\",\"payload\":{\"CRP\":\"50\"}}"),
                StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);
        Path db = dir.resolve("results.db");
        LocalRun.Settings s = new LocalRun.Settings();
        s.measures = MeasuresYaml.read(measuresFile());
        s.inputs.add(events);
        s.jdbcUrl = "jdbc:sqlite:" + db;
        s.alertsFile = dir.resolve("alerts.jsonl");
        s.deadLettersFile = dir.resolve("dead-letters.jsonl");
        s.pipeline = PipelineOptions.builder(s.measures).caseRetention(Duration.ofDays(3650));
        s.progress = false;
        LocalRun.run(s, null);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement st = c.createStatement()) {
            String cols = "case_key, cycle, correlation_id, start_time, end_time, duration_ms, good, late, "
                    + "after_timeout, dimensions";
            String[][] copies = {
                {"er_pathway#1", "registration_to_triage"},
                {"er_pathway#2", "triage_to_sepsis_triage"},
                {"er_pathway#3", "sepsis_triage_to_antibiotics"},
                {"er_pathway", "registration_to_antibiotics"}
            };
            for (String[] cp : copies) {
                st.execute("INSERT INTO lead_times SELECT '" + cp[0] + "', " + cols
                        + " FROM lead_times WHERE measure = '" + cp[1] + "'");
                st.execute("INSERT INTO open_cases SELECT '" + cp[0] + "', case_key, correlation_id, start_time, age_ms"
                        + " FROM open_cases WHERE measure = '" + cp[1] + "'");
            }
        }
        database = db;
        return db;
    }

    @Test
    void notebooksAreCommittedWithoutOutputsAndSayWhatTheyShowAndHowToRunThem() throws Exception {
        List<Path> books = NotebookReport.notebooks(NOTEBOOKS);
        assertThat(books.stream().map(p -> p.getFileName().toString())).containsAll(NotebookReport.ORDER);
        for (Path book : books) {
            JsonNode nb = JSON.readTree(book.toFile());
            JsonNode first = nb.path("cells").get(0);
            assertThat(first.path("cell_type").asText())
                    .as(book + " first cell")
                    .isEqualTo("markdown");
            assertThat(text(first.path("source")))
                    .as(book + " first cell")
                    .contains("What this shows")
                    .contains("How to run")
                    .contains("FC_DB")
                    .contains("FC_MEASURES");
            for (JsonNode cell : nb.path("cells")) {
                if ("code".equals(cell.path("cell_type").asText())) {
                    assertThat(cell.path("outputs").size())
                            .as(book + ": committed with outputs; clear them "
                                    + "(jupyter nbconvert --clear-output --inplace)")
                            .isZero();
                    assertThat(cell.path("execution_count").isNull())
                            .as(book + ": execution count")
                            .isTrue();
                }
            }
        }
    }

    @Test
    void everyNotebookDrawsAFigureAndPrintsTheDatabasesFigures() throws Exception {
        assumeJupyter();
        Path db = database();
        Path out = Files.createDirectories(dir.resolve("executed"));
        List<Path> books = NotebookReport.notebooks(NOTEBOOKS);
        List<String> cmd = new ArrayList<>(Arrays.asList(
                NotebookReport.DEBIAN_JUPYTER.toString(),
                "nbconvert",
                "--to",
                "notebook",
                "--execute",
                "--ExecutePreprocessor.timeout=300",
                "--output-dir",
                out.toString()));
        books.forEach(b -> cmd.add(b.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .directory(NOTEBOOKS.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("nbconvert.log").toFile());
        pb.environment().put("FC_DB", db.toString());
        pb.environment().put("FC_MEASURES", measuresFile().toString());
        pb.environment().put("MPLCONFIGDIR", dir.resolve("mpl").toString());
        Process p = pb.start();
        assertThat(p.waitFor(10, TimeUnit.MINUTES)).as("nbconvert finished").isTrue();
        assertThat(p.exitValue())
                .as(LoopbackServers.tail(dir.resolve("nbconvert.log")))
                .isZero();

        Map<String, List<String>> figures = new LinkedHashMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            for (Path book : books) {
                String name = book.getFileName().toString();
                JsonNode nb = JSON.readTree(out.resolve(name).toFile());
                int images = 0;
                List<String> lines = new ArrayList<>();
                for (JsonNode cell : nb.path("cells")) {
                    for (JsonNode o : cell.path("outputs")) {
                        assertThat(o.path("output_type").asText())
                                .as(name + ": " + o.path("evalue").asText())
                                .isNotEqualTo("error");
                        if (o.path("data").has("image/png")) {
                            images++;
                        }
                        if ("stream".equals(o.path("output_type").asText())) {
                            for (String line : text(o.path("text")).split("\n")) {
                                if (line.startsWith("figure: ")) {
                                    lines.add(line);
                                }
                            }
                        }
                    }
                }
                assertThat(images).as(name + " draws a figure").isPositive();
                checkFigures(name, lines, c);
                figures.put(name, lines);
            }
            // each notebook prints the figures of every measure it covers
            assertThat(labels(figures.get("lead-times.ipynb")))
                    .containsAll(prefixed("lead ", strings(c, "SELECT DISTINCT measure FROM lead_times")))
                    .containsAll(prefixed("value ", strings(c, "SELECT DISTINCT measure FROM measurements")))
                    .anyMatch(l -> l.startsWith("lead registration_to_antibiotics [InfectionSuspected="));
            assertThat(labels(figures.get("slos.ipynb")))
                    .contains(
                            "slo registration_to_antibiotics good",
                            "slo registration_to_antibiotics bad",
                            "slo registration_to_triage bad",
                            "alerts registration_to_antibiotics BREACH",
                            "alerts registration_to_antibiotics BURN_RATE_FIRING",
                            "alerts admission_to_release TIMEOUT");
            assertThat(labels(figures.get("process.ipynb")))
                    .contains("hop er_pathway#1", "hop er_pathway#2", "hop er_pathway#3")
                    .containsAll(prefixed("open ", strings(c, "SELECT DISTINCT measure FROM open_cases")));
            // which of the four bad records are late depends on how the file is replayed; the unreadable one never
            assertThat(strings(c, "SELECT DISTINCT reason FROM dead_letters")).contains("not_json");
            assertThat(labels(figures.get("data-quality.ipynb")))
                    .containsAll(prefixed("dead letters ", strings(c, "SELECT DISTINCT reason FROM dead_letters")));
        }
    }

    @Test
    void reportIsOnePageWithEveryNotebookAndTheDatabasesFigures() throws Exception {
        assumeJupyter();
        Path db = database();
        Path html = dir.resolve("out").resolve("report.html");
        assertThat(FlightControllerCli.execute(
                        "report",
                        "--db",
                        db.toString(),
                        "--measures",
                        measuresFile().toString(),
                        "-o",
                        html.toString()))
                .isZero();

        String page = new String(Files.readAllBytes(html), StandardCharsets.UTF_8);
        assertThat(page)
                .contains("Flight Controller report")
                .contains("Lead times")
                .contains("SLOs")
                .contains("Process")
                .contains("Data quality")
                .doesNotContain("Traceback")
                .doesNotContain("import fc"); // code hidden, nothing failed
        assertThat(page.split("<img src=\"data:image/png;base64,", -1).length - 1)
                .as("embedded figures")
                .isGreaterThan(10);
        List<String> lines = new ArrayList<>();
        for (String raw : page.split("\n")) {
            String line = raw.replaceAll("<[^>]+>", "")
                    .replace("&lt;", "<")
                    .replace("&gt;", ">")
                    .replace("&quot;", "\"")
                    .replace("&#39;", "'")
                    .replace("&amp;", "&");
            if (line.startsWith("figure: ")) {
                lines.add(line);
            }
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            checkFigures("report", lines, c);
            assertThat(labels(lines))
                    .containsAll(prefixed("lead ", strings(c, "SELECT DISTINCT measure FROM lead_times")))
                    .contains("slo registration_to_antibiotics good", "hop er_pathway#1", "dead letters not_json");
        }
    }

    @Test
    void onAnEmptyDatabaseEveryNotebookSaysSoInsteadOfFailing() throws Exception {
        assumeJupyter();
        Path empty = dir.resolve("empty.db");
        io.flightcontroller.adapters.jdbc.JdbcTables.createIfMissing("jdbc:sqlite:" + empty);
        Path html = dir.resolve("empty.html");
        // through the report: every notebook in one kernel, with a measures file naming SLOs that have no data
        assertThat(FlightControllerCli.execute(
                        "report",
                        "--db",
                        empty.toString(),
                        "--measures",
                        measuresFile().toString(),
                        "-o",
                        html.toString()))
                .isZero();

        String page = new String(Files.readAllBytes(html), StandardCharsets.UTF_8);
        assertThat(page)
                .doesNotContain("Traceback")
                .contains("No lead times")
                .contains("No case has been decided")
                .contains("No sequence measures")
                .contains("No open cases")
                .contains("No dead letters");
        assertThat(page).doesNotContain("<img src=\"data:image/png"); // no figure without data
    }

    @Test
    void reportRefusesAMissingDatabaseNamingTheOption() throws Exception {
        PrintStream err = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int code;
        try {
            System.setErr(new PrintStream(buf, true, "UTF-8"));
            code = FlightControllerCli.execute(
                    "report",
                    "--db",
                    dir.resolve("nothing-here.db").toString(),
                    "-o",
                    dir.resolve("r.html").toString());
        } finally {
            System.setErr(err);
        }
        assertThat(code).isEqualTo(2);
        assertThat(buf.toString("UTF-8")).contains("--db").contains("nothing-here.db");
        assertThat(dir.resolve("r.html")).doesNotExist();
    }

    // ---------------------------------------------------------------------------------------------- the figures

    /** Checks every printed figure against the database. */
    static void checkFigures(String where, List<String> lines, Connection c) throws Exception {
        assertThat(lines).as(where + " prints figures").isNotEmpty();
        for (String line : lines) {
            Matcher m = FIGURE.matcher(line);
            assertThat(m.matches())
                    .as(where + ": unreadable figure line " + line)
                    .isTrue();
            double[] expected = expected(m.group(1), c);
            assertThat(Long.parseLong(m.group(2))).as(where + ": " + line).isEqualTo((long) expected[0]);
            if (m.group(3) != null) {
                double median = Double.parseDouble(m.group(3));
                assertThat(median)
                        .as(where + ": " + line)
                        .isCloseTo(expected[1], within(1e-3 + 1e-8 * Math.abs(median)));
            }
        }
    }

    /** {n, median} of a figure label, from the database. */
    static double[] expected(String label, Connection c) throws Exception {
        Matcher m;
        if ((m = Pattern.compile("lead (\\S+) \\[(.+?)=(.*)]").matcher(label)).matches()) {
            List<Long> v = new ArrayList<>();
            try (Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery(
                            "SELECT duration_ms, dimensions FROM lead_times WHERE measure = " + quote(m.group(1)))) {
                while (rs.next()) {
                    String dims = rs.getString(2);
                    JsonNode d = dims == null ? JSON.createObjectNode() : JSON.readTree(dims);
                    String value = d.hasNonNull(m.group(2)) ? d.get(m.group(2)).asText() : "(none)";
                    if (value.equals(m.group(3))) {
                        v.add(rs.getLong(1));
                    }
                }
            }
            return leads(v);
        }
        if ((m = Pattern.compile("(?:lead|hop) (\\S+)").matcher(label)).matches()) {
            return leads(longs(c, "SELECT duration_ms FROM lead_times WHERE measure = " + quote(m.group(1))));
        }
        if ((m = Pattern.compile("value (\\S+)").matcher(label)).matches()) {
            List<Double> v = new ArrayList<>();
            try (Statement st = c.createStatement();
                    ResultSet rs =
                            st.executeQuery("SELECT value FROM measurements WHERE measure = " + quote(m.group(1)))) {
                while (rs.next()) {
                    v.add(rs.getDouble(1));
                }
            }
            v.sort(Comparator.naturalOrder());
            double h = (v.size() - 1) * 0.5;
            int lo = (int) Math.floor(h);
            double median = v.get(lo) + (h - lo) * (v.get(Math.min(lo + 1, v.size() - 1)) - v.get(lo));
            return new double[] {v.size(), median};
        }
        if ((m = Pattern.compile("slo (\\S+) (good|bad)").matcher(label)).matches()) {
            String smallest = strings(c, "SELECT DISTINCT \"window\" FROM window_aggregates").stream()
                    .min(Comparator.comparing(Duration::parse))
                    .orElseThrow();
            return new double[] {
                longs(
                                c,
                                "SELECT SUM(" + m.group(2) + ") FROM window_aggregates WHERE measure = "
                                        + quote(m.group(1)) + " AND \"window\" = " + quote(smallest))
                        .get(0),
                Double.NaN
            };
        }
        if ((m = Pattern.compile("alerts (\\S+) (\\S+)").matcher(label)).matches()) {
            return count(c, "alerts WHERE measure = " + quote(m.group(1)) + " AND kind = " + quote(m.group(2)));
        }
        if ((m = Pattern.compile("open (\\S+)").matcher(label)).matches()) {
            return leads(longs(c, "SELECT age_ms FROM open_cases WHERE measure = " + quote(m.group(1))));
        }
        if ((m = Pattern.compile("dead letters (\\S+)").matcher(label)).matches()) {
            return count(c, "dead_letters WHERE reason = " + quote(m.group(1)));
        }
        if ((m = Pattern.compile("(late|after-timeout) leads (\\S+)").matcher(label)).matches()) {
            return count(
                    c,
                    "lead_times WHERE measure = " + quote(m.group(2)) + " AND "
                            + (m.group(1).equals("late") ? "late" : "after_timeout") + " = 1");
        }
        return fail("figure label nobody checks: " + label);
    }

    /** n and the type-7 median in seconds of millisecond values. */
    static double[] leads(List<Long> ms) {
        long[] a = ms.stream().mapToLong(Long::longValue).toArray();
        return new double[] {a.length, a.length == 0 ? Double.NaN : Quantiles.type7(a, 0.5) / 1000.0};
    }

    static double[] count(Connection c, String fromWhere) throws Exception {
        return new double[] {longs(c, "SELECT COUNT(*) FROM " + fromWhere).get(0), Double.NaN};
    }

    static List<Long> longs(Connection c, String sql) throws Exception {
        List<Long> v = new ArrayList<>();
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                v.add(rs.getLong(1));
            }
        }
        return v;
    }

    static List<String> strings(Connection c, String sql) throws Exception {
        List<String> v = new ArrayList<>();
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                v.add(rs.getString(1));
            }
        }
        return v;
    }

    static List<String> labels(List<String> lines) {
        List<String> out = new ArrayList<>();
        for (String l : lines) {
            Matcher m = FIGURE.matcher(l);
            if (m.matches()) {
                out.add(m.group(1));
            }
        }
        return out;
    }

    static List<String> prefixed(String prefix, List<String> names) {
        return new ArrayList<>(new TreeSet<>(names))
                .stream().map(n -> prefix + n).collect(Collectors.toList());
    }

    static String quote(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    static String text(JsonNode source) {
        if (source.isArray()) {
            StringBuilder b = new StringBuilder();
            source.forEach(l -> b.append(l.asText()));
            return b.toString();
        }
        return source.asText();
    }
}
