package io.flightcontroller.app;

import static io.flightcontroller.app.FlightControllerCliTest.assertOneLineError;
import static io.flightcontroller.app.FlightControllerCliTest.cli;
import static org.assertj.core.api.Assertions.assertThat;

import io.flightcontroller.adapters.eventlog.EventLogConverter;
import io.flightcontroller.adapters.eventlog.EventLogOptions;
import io.flightcontroller.testing.SharedData;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code backtest} on the sepsis log (ER Registration -> IV Antibiotics): one replay with eight SLO variants
 * (threshold x objective x timeout), checked against plain runs of the measures file with those values, table by
 * table; the CSV against the printed table; the figures against the tables; and the refusal of bad {@code --set}.
 */
class BacktestTest {
    static final String MEASURE = "registration_to_antibiotics";
    static final String[] SETS = {
        MEASURE + ".slo.threshold=PT1H,PT4H", MEASURE + ".slo.objective=0.8,0.95", MEASURE + ".timeout=PT6H,P2D"
    };

    @TempDir
    static Path dir;

    static Path events;
    static Path csv;
    static String printed;
    static String db;

    /** The measures file: the backtested measure with the given values, and a second SLO measure left as it is. */
    static String yaml(String threshold, String objective, String timeout) {
        return "measures:\n"
                + "  - name: " + MEASURE + "\n    start: ER Registration\n    end: IV Antibiotics\n"
                + "    timeout: " + timeout + "\n"
                + "    slo: {threshold: " + threshold + ", objective: " + objective + ", window: P28D}\n"
                + "  - name: registration_to_triage\n    start: ER Registration\n    end: ER Triage\n"
                + "    slo: {threshold: PT15M, objective: 0.9, window: P7D}\n";
    }

    static Path write(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.write(p, text.getBytes(StandardCharsets.UTF_8));
        return p;
    }

    static String capture(Runnable r) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            r.run();
        } finally {
            System.setOut(old);
        }
        return new String(buf.toByteArray(), StandardCharsets.UTF_8);
    }

    @BeforeAll
    static void backtest() throws Exception {
        events = dir.resolve("sepsis.jsonl");
        EventLogConverter.convert(
                SharedData.path("sepsis_cases_eventdataR.csv"),
                events,
                EventLogOptions.builder()
                        .delimiter(';')
                        .caseColumn("Case ID")
                        .activityColumn("Activity")
                        .timeColumn("Complete Timestamp")
                        .build());
        Path measures = write("measures.yaml", yaml("PT1H", "0.9", "P1D"));
        csv = dir.resolve("bt").resolve("table.csv");
        db = "jdbc:sqlite:" + dir.resolve("bt").resolve("backtest.db");
        List<String> args = new ArrayList<>(Arrays.asList(
                "backtest",
                "--no-progress",
                "--measures",
                measures.toString(),
                "--input",
                events.toString(),
                "--out-dir",
                dir.resolve("bt").toString(),
                "-o",
                csv.toString()));
        for (String s : SETS) {
            args.add("--set");
            args.add(s);
        }
        int[] code = new int[1];
        printed = capture(() -> code[0] = FlightControllerCli.execute(args.toArray(new String[0])));
        assertThat(code[0]).as(printed).isZero();
    }

    /** A plain {@code run} of the measures file with the given values; its database URL. */
    static String plainRun(String threshold, String objective, String timeout) throws Exception {
        String name = "plain-" + threshold + "-" + objective + "-" + timeout;
        Path measures = write(name + ".yaml", yaml(threshold, objective, timeout));
        int[] code = new int[1];
        String out = capture(() -> code[0] = FlightControllerCli.execute(
                "run",
                "--no-progress",
                "--measures",
                measures.toString(),
                "--input",
                events.toString(),
                "--out-dir",
                dir.resolve(name).toString()));
        assertThat(code[0]).as(out).isZero();
        return "jdbc:sqlite:" + dir.resolve(name).resolve("flight-controller.db");
    }

    /** Every row of a table for one measure, in key order, as text with {@code name} renamed to {@code as}. */
    static List<List<String>> rows(String url, String table, String order, String name, String as) throws Exception {
        List<List<String>> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url);
                PreparedStatement ps =
                        c.prepareStatement("SELECT * FROM " + table + " WHERE measure = ? ORDER BY " + order)) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                ResultSetMetaData md = rs.getMetaData();
                while (rs.next()) {
                    List<String> row = new ArrayList<>();
                    for (int i = 1; i <= md.getColumnCount(); i++) {
                        String v = rs.getString(i);
                        row.add(v == null ? null : v.replace(name, as));
                    }
                    out.add(row);
                }
            }
        }
        return out;
    }

    static final String[][] TABLES = {
        {"lead_times", "case_key, cycle"},
        {"alerts", "alert_id"},
        {"window_aggregates", "\"window\", window_start"},
        {"error_budgets", "time"},
        {"open_cases", "case_key"}
    };

    @Test
    void eachVariantEqualsThePlainRunOfTheFileWithItsValues_tableByTable() throws Exception {
        // two variants that differ from the file (PT1H, 0.9, P1D) in every field, and the file's own values
        String[][] variants = {{"PT4H", "0.95", "PT6H"}, {"PT1H", "0.8", "P2D"}, {"PT1H", "0.9", "P1D"}};
        for (String[] v : variants) {
            String plain = plainRun(v[0], v[1], v[2]);
            String name = v[2].equals("P1D")
                    ? MEASURE
                    : MEASURE + "[threshold=" + v[0] + ",objective=" + v[1] + ",timeout=" + v[2] + "]";
            for (String[] t : TABLES) {
                List<List<String>> expected = rows(plain, t[0], t[1], MEASURE, MEASURE);
                List<List<String>> actual = rows(db, t[0], t[1], name, MEASURE);
                assertThat(actual).as(name + " " + t[0]).isEqualTo(expected);
                if (!t[0].equals("open_cases")) { // with a timeout no case is open at the end
                    assertThat(actual).as(name + " " + t[0] + " has rows").isNotEmpty();
                }
            }
        }
        // the variants really differ: a 4-hour threshold breaches fewer cases, a 6-hour timeout times out more
        long breachesAt4h = count(
                db,
                "SELECT COUNT(*) FROM alerts WHERE kind = 'BREACH' AND measure = '" + MEASURE
                        + "[threshold=PT4H,objective=0.95,timeout=PT6H]'");
        long breachesAt1h =
                count(db, "SELECT COUNT(*) FROM alerts WHERE kind = 'BREACH' AND measure = '" + MEASURE + "'");
        assertThat(breachesAt4h).isPositive().isLessThan(breachesAt1h);
    }

    static long count(String url, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(url);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The printed table: header and rows, split on the column gaps. */
    static List<List<String>> printedTable() {
        List<String> lines = Arrays.asList(printed.split("\\R"));
        int start = 0;
        while (!lines.get(start).startsWith("Backtest: ")) {
            start++;
        }
        List<List<String>> table = new ArrayList<>();
        for (int i = start + 1; i < lines.size() && !lines.get(i).isEmpty(); i++) {
            table.add(Arrays.asList(lines.get(i).trim().split(" {2,}")));
        }
        return table;
    }

    static List<CSVRecord> csvRecords() throws Exception {
        try (Reader r = Files.newBufferedReader(csv, StandardCharsets.UTF_8);
                CSVParser p = CSVFormat.DEFAULT
                        .builder()
                        .setHeader()
                        .setSkipHeaderRecord(true)
                        .build()
                        .parse(r)) {
            return p.getRecords();
        }
    }

    static List<String> csvHeader() throws Exception {
        try (Reader r = Files.newBufferedReader(csv, StandardCharsets.UTF_8);
                CSVParser p = CSVFormat.DEFAULT
                        .builder()
                        .setHeader()
                        .setSkipHeaderRecord(true)
                        .build()
                        .parse(r)) {
            return p.getHeaderNames();
        }
    }

    @Test
    void theCsvHasTheColumnsAndRowsOfThePrintedTable() throws Exception {
        List<List<String>> table = printedTable();
        List<CSVRecord> records = csvRecords();
        assertThat(csvHeader()).isEqualTo(table.get(0));
        assertThat(csvHeader())
                .contains(
                        "measure",
                        "variant",
                        "cases",
                        "good",
                        "bad",
                        "compliance",
                        "worst_window_compliance",
                        "breach_alerts",
                        "page_alerts",
                        "page_alerts_per_week",
                        "ticket_alerts",
                        "ticket_alerts_per_week",
                        "ticket_alerts_max_week",
                        "longest_firing",
                        "budget_remaining_end",
                        "budget_remaining_min",
                        "budget_exhausted_first");
        // the file's two SLO measures plus 2 x 2 x 2 variants of the first
        assertThat(records).hasSize(table.size() - 1).hasSize(2 + 8);
        for (int i = 0; i < records.size(); i++) {
            List<String> csvRow = new ArrayList<>();
            records.get(i).forEach(v -> csvRow.add(v.isEmpty() ? "-" : v));
            assertThat(csvRow).isEqualTo(table.get(i + 1));
        }
    }

    static Map<String, String> row(String variant) throws Exception {
        for (CSVRecord r : csvRecords()) {
            if (r.get("measure").equals(MEASURE) && r.get("variant").equals(variant)) {
                return r.toMap();
            }
        }
        throw new AssertionError("no row " + variant);
    }

    @Test
    void everyCombinationOfTheSetValuesIsOneRowLabelledByWhatWasSet() throws Exception {
        List<String> labels = csvRecords().stream()
                .filter(r -> r.get("measure").equals(MEASURE))
                .map(r -> r.get("variant"))
                .collect(Collectors.toList());
        assertThat(labels)
                .containsExactly(
                        Backtest.FILE_VARIANT,
                        "threshold=PT1H,objective=0.8,timeout=PT6H",
                        "threshold=PT1H,objective=0.8,timeout=P2D",
                        "threshold=PT1H,objective=0.95,timeout=PT6H",
                        "threshold=PT1H,objective=0.95,timeout=P2D",
                        "threshold=PT4H,objective=0.8,timeout=PT6H",
                        "threshold=PT4H,objective=0.8,timeout=P2D",
                        "threshold=PT4H,objective=0.95,timeout=PT6H",
                        "threshold=PT4H,objective=0.95,timeout=P2D");
        Map<String, String> r = row("threshold=PT4H,objective=0.95,timeout=PT6H");
        assertThat(r)
                .containsEntry("threshold", "PT4H")
                .containsEntry("objective", "0.95")
                .containsEntry("timeout", "PT6H")
                .containsEntry("window", "P28D");
        // the measure nobody set is reported as in the file
        assertThat(csvRecords().stream()
                        .filter(x -> x.get("measure").equals("registration_to_triage"))
                        .map(x -> x.get("variant")))
                .containsExactly(Backtest.FILE_VARIANT);
    }

    @Test
    void theFiguresOfARowAreThoseOfItsTables() throws Exception {
        for (String variant : new String[] {Backtest.FILE_VARIANT, "threshold=PT4H,objective=0.95,timeout=PT6H"}) {
            String name = variant.equals(Backtest.FILE_VARIANT) ? MEASURE : MEASURE + "[" + variant + "]";
            String m = " measure = '" + name + "'";
            Map<String, String> r = row(variant);
            long good = count(db, "SELECT COUNT(*) FROM lead_times WHERE good = 1 AND" + m);
            long breaches = count(db, "SELECT COUNT(*) FROM alerts WHERE kind = 'BREACH' AND" + m);
            // every case with a verdict is a good lead or a breach (the threshold is at most the timeout)
            assertThat(r.get("good")).isEqualTo(String.valueOf(good));
            assertThat(r.get("bad")).isEqualTo(String.valueOf(breaches)).isEqualTo(r.get("breach_alerts"));
            assertThat(r.get("cases")).isEqualTo(String.valueOf(good + breaches));
            assertThat(r.get("compliance"))
                    .isEqualTo(String.format(Locale.ROOT, "%.4f", (double) good / (good + breaches)));
            assertThat(r.get("timeouts"))
                    .isEqualTo(String.valueOf(count(db, "SELECT COUNT(*) FROM alerts WHERE kind = 'TIMEOUT' AND" + m)));
            // weeks (Monday 00:00 UTC) with an hour holding a verdict, over all the measure's rows
            long weeks = count(
                    db,
                    "SELECT COUNT(DISTINCT date(time, '-1 hour', '-6 days', 'weekday 1'))"
                            + " FROM error_budgets WHERE measure LIKE '" + MEASURE + "%'");
            for (String severity : new String[] {"page", "ticket"}) {
                String fired = " FROM alerts WHERE kind = 'BURN_RATE_FIRING' AND severity = '" + severity + "' AND" + m;
                long n = count(db, "SELECT COUNT(*)" + fired);
                assertThat(r.get(severity + "_alerts")).isEqualTo(String.valueOf(n));
                assertThat(r.get(severity + "_alerts_per_week"))
                        .isEqualTo(String.format(Locale.ROOT, "%.2f", (double) n / weeks));
                assertThat(r.get(severity + "_alerts_max_week"))
                        .isEqualTo(String.valueOf(count(
                                db,
                                "SELECT COALESCE(MAX(n), 0) FROM (SELECT COUNT(*) AS n" + fired
                                        + " GROUP BY date(deadline, '-6 days', 'weekday 1'))")));
            }
            assertThat(Long.parseLong(r.get("ticket_alerts"))).isPositive();
            assertThat(Long.parseLong(r.get("ticket_alerts_max_week"))).isPositive();

            // the period: from the hour of the first verdict to the last hourly budget, over all the measure's rows
            long first = epoch(string(db, "SELECT MIN(time) FROM error_budgets WHERE measure LIKE '" + MEASURE + "%'"))
                    - 3_600_000L;
            long last = epoch(string(db, "SELECT MAX(time) FROM error_budgets WHERE measure LIKE '" + MEASURE + "%'"));

            // longest firing: FIRING joined to its RESOLVED on the alert id, in SQL
            long longest = count(
                    db,
                    "SELECT ROUND(MAX((julianday(r.deadline) - julianday(f.deadline)) * 86400000))"
                            + " FROM alerts f JOIN alerts r ON r.alert_id = substr(f.alert_id, 1, length(f.alert_id) - 6)"
                            + " || 'resolved' WHERE f.kind = 'BURN_RATE_FIRING' AND f." + m.trim());
            String stillFiring = string(
                    db,
                    "SELECT MIN(f.deadline) FROM alerts f WHERE f.kind = 'BURN_RATE_FIRING'"
                            + " AND f." + m.trim() + " AND NOT EXISTS (SELECT 1 FROM alerts r"
                            + " WHERE r.alert_id = substr(f.alert_id, 1, length(f.alert_id) - 6) || 'resolved')");
            if (stillFiring != null) { // counted up to the end of the period
                longest = Math.max(longest, last - epoch(stillFiring));
            }
            assertThat(Duration.parse(r.get("longest_firing")).toMillis())
                    .isCloseTo(longest, org.assertj.core.api.Assertions.within(1L));

            // budget: the last row's remaining; the lowest and the first exhausted among full windows (inside the
            // period, at least min_events = 10 verdicts)
            long fullFrom = first + Duration.ofDays(28).toMillis();
            assertThat(Double.parseDouble(r.get("budget_remaining_end")))
                    .isEqualTo(round4(Double.parseDouble(string(
                            db,
                            "SELECT remaining_fraction FROM error_budgets WHERE" + m + " ORDER BY time DESC"
                                    + " LIMIT 1"))));
            String full = " AND time >= '" + Instant.ofEpochMilli(fullFrom) + "' AND events >= 10";
            assertThat(Double.parseDouble(r.get("budget_remaining_min")))
                    .isEqualTo(round4(Double.parseDouble(
                            string(db, "SELECT MIN(remaining_fraction) FROM error_budgets WHERE" + m + full))));
            String exhausted =
                    string(db, "SELECT MIN(time) FROM error_budgets WHERE remaining_fraction <= 0 AND" + m + full);
            assertThat(r.get("budget_exhausted_first")).isEqualTo(exhausted == null ? "" : exhausted);
            assertThat(Double.parseDouble(r.get("worst_window_compliance")))
                    .isEqualTo(round4(Double.parseDouble(string(
                            db,
                            "SELECT MIN(1.0 * good / events) FROM error_budgets WHERE events > 0 AND" + m + full))));
        }
    }

    static double round4(double d) {
        return Double.parseDouble(String.format(Locale.ROOT, "%.4f", d));
    }

    static long epoch(String iso) {
        return Instant.parse(iso).toEpochMilli();
    }

    static String string(String url, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(url);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    // --------------------------------------------------------------------------------------------- bad --set values

    static Stream<Arguments> badSets() {
        String m = "m";
        return Stream.of(
                Arguments.of(
                        "an objective outside (0, 1)",
                        m + ".slo.objective=0.9,1.5",
                        List.of("measure 'm'", "field 'slo.objective'", "value '1.5'", "(0, 1)")),
                Arguments.of(
                        "an objective that is not a number",
                        m + ".slo.objective=high",
                        List.of("measure 'm'", "field 'slo.objective'", "value 'high'")),
                Arguments.of(
                        "months",
                        m + ".slo.threshold=PT1H,P1M",
                        List.of("measure 'm'", "field 'slo.threshold'", "value 'P1M'", "months")),
                Arguments.of(
                        "a threshold above the timeout",
                        m + ".slo.threshold=PT1H,P3D",
                        List.of("measure 'm'", "field 'slo.threshold'", "value 'P3D'", "greater than timeout P2D")),
                Arguments.of(
                        "a timeout below the threshold",
                        m + ".timeout=PT30M",
                        List.of("measure 'm'", "field 'slo.threshold'", "value 'PT1H'", "timeout PT30M")),
                Arguments.of(
                        "a zero threshold",
                        m + ".slo.threshold=PT0S",
                        List.of("measure 'm'", "field 'slo.threshold'", "value 'PT0S'", "positive")),
                Arguments.of(
                        "an unknown measure", "nope.slo.threshold=PT1H", List.of("unknown measure 'nope'", "m, plain")),
                Arguments.of(
                        "an unknown field",
                        m + ".slo.treshold=PT1H",
                        List.of("measure 'm'", "unknown field 'slo.treshold'", "slo.threshold")),
                Arguments.of("no field at all", "m=PT1H", List.of("expected MEASURE.FIELD=V1,V2")),
                Arguments.of(
                        "a measure without an slo", "plain.slo.threshold=PT1H", List.of("measure 'plain' has no slo")),
                Arguments.of(
                        "a value given twice",
                        m + ".slo.threshold=PT1H,PT60M",
                        List.of("measure 'm'", "field 'slo.threshold'", "value 'PT60M'", "given twice")),
                Arguments.of(
                        "an empty value",
                        m + ".slo.objective=0.9,",
                        List.of("measure 'm'", "field 'slo.objective'", "value ''", "empty")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badSets")
    void aBadSetIsRefusedAtStartOnOneLineNamingMeasureFieldAndValue(String what, String set, List<String> parts)
            throws Exception {
        Path measures = write(
                "small.yaml",
                "measures:\n  - name: m\n    start: a\n    end: b\n    timeout: P2D\n"
                        + "    slo: {threshold: PT1H, objective: 0.9, window: P28D}\n"
                        + "  - name: plain\n    start: a\n    end: c\n");
        Path out = dir.resolve("refused");
        FlightControllerCliTest.Outcome o = cli(
                "backtest",
                "--measures",
                measures.toString(),
                "--input",
                FlightControllerCliTest.events(),
                "--out-dir",
                out.toString(),
                "--set",
                set);
        assertOneLineError(o, "backtest", "--set " + set + ": ");
        for (String p : parts) {
            assertThat(o.err).contains(p);
        }
        assertThat(out).as("refused before anything is written").doesNotExist();
    }

    @Test
    void aFieldSetTwiceIsRefusedNamingBoth() throws Exception {
        Path measures = write(
                "small2.yaml",
                "measures:\n  - name: m\n    start: a\n    end: b\n"
                        + "    slo: {threshold: PT1H, objective: 0.9, window: P28D}\n");
        FlightControllerCliTest.Outcome o = cli(
                "backtest",
                "--measures",
                measures.toString(),
                "--input",
                FlightControllerCliTest.events(),
                "--out-dir",
                dir.resolve("refused2").toString(),
                "--set",
                "m.slo.threshold=PT1H",
                "--set",
                "m.slo.threshold=PT2H");
        assertOneLineError(o, "backtest", "--set m.slo.threshold=PT2H: ");
        assertThat(o.err)
                .contains("measure 'm'")
                .contains("field 'slo.threshold'")
                .contains("set twice")
                .contains("m.slo.threshold=PT1H");
    }
}
