package io.flightcontroller.app;

import io.flightcontroller.adapters.parse.IsoDurations;
import io.flightcontroller.domain.measure.BurnRateRule;
import io.flightcontroller.domain.measure.DurationLimits;
import io.flightcontroller.domain.measure.InvalidMeasureException;
import io.flightcontroller.domain.measure.MeasureDefinition;
import io.flightcontroller.domain.measure.MeasuresConfig;
import io.flightcontroller.domain.measure.Slo;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * Backtests SLOs: replays history once with every candidate SLO of a measure as an extra measure beside it, and
 * reports per measure and variant what that SLO would have done (cases, compliance, alerts, error budget).
 *
 * <p>Shape: {@code --set MEASURE.FIELD=V1,V2,...} (FIELD one of {@link #FIELDS}) gives the candidate values;
 * a measure's variants are every combination of the values set for it (the first {@code --set} varies slowest), the
 * other fields as in the file. A variant is a copy of the measure ({@link MeasureDefinition#variant}) named
 * {@code NAME[LABEL]}, LABEL what was set, e.g. {@code queued_to_accepted[threshold=PT2H,objective=0.95]}; it runs in
 * the same replay as the file's measures, and since measures share no state (each is keyed by its own name) its rows
 * are exactly those of a plain run of the file with those values, under the variant's name. Every measure with an SLO
 * also gets a row as in the file (variant {@value #FILE_VARIANT}, its rows under its own name).
 *
 * <p>Columns, computed from the result tables of the replay, per measure and variant:
 * <ul>
 *   <li>{@code cases}, {@code good}, {@code bad}: SLO verdicts (sums of {@code window_aggregates} over the first
 *       aggregate window; a case open at the end whose threshold had not yet passed has none); {@code compliance} =
 *       good / cases.</li>
 *   <li>The <b>period</b> of a measure runs from the start of the first hour with a verdict to the last hourly
 *       {@code error_budgets} row (the job writes one at the end of every hour with a verdict), over all its
 *       variants, so they share it; its <b>weeks</b> are the weeks (Monday 00:00 UTC) holding an hour with a
 *       verdict. A <b>full window</b> is an {@code error_budgets} row whose SLO window ({@code time - slo.window},
 *       {@code time}] lies inside the period and holds at least {@code slo.min_events} verdicts (the guard the
 *       burn-rate rules use): the first windows of a replay hold only the first cases of the log (history before it
 *       is unknown) and a quiet stretch a handful, where one bad case reads as 0% compliance, so they are left out of
 *       the worst-window and budget figures below.</li>
 *   <li>{@code worst_window_compliance} / {@code worst_window_end}: the lowest good / events of a full window (the
 *       job evaluates the window at every hour boundary after an hour with a verdict) and its end, the first if
 *       several.</li>
 *   <li>{@code breach_alerts}, {@code timeouts}: the alerts of kind BREACH and TIMEOUT.</li>
 *   <li>{@code <severity>_alerts}, {@code <severity>_alerts_per_week}, {@code <severity>_alerts_max_week}:
 *       BURN_RATE_FIRING alerts per severity (columns per severity in the measures' burn-rate rules, {@code page}
 *       and {@code ticket} by default), the same divided by the number of weeks of the period, and the most in one
 *       week (Monday 00:00 UTC, by the alert's evaluation time).</li>
 *   <li>{@code longest_firing}: the longest time any burn-rate rule of the variant was firing, from a FIRING alert to
 *       its RESOLVED alert (same rule and firing time, the alert id up to {@code /firing} or {@code /resolved}); a
 *       rule still firing when the replay ends counts up to the period's end. ISO-8601, empty when none fired.</li>
 *   <li>{@code budget_remaining_end}: the remaining error-budget fraction of the last {@code error_budgets} row
 *       (1 = untouched, 0 = spent, negative = overspent); {@code budget_remaining_min}: the lowest of a full window;
 *       {@code budget_exhausted_first}: the first full window with nothing left (remaining at most 0).</li>
 * </ul>
 * Fractions have 4 decimals, rates 2; times are ISO-8601 UTC as in the tables. The printed table and the CSV have the
 * same columns and values (a missing value is {@code -} in the table and empty in the CSV).
 */
public final class Backtest {
    private Backtest() {}

    /** The fields {@code --set} may change. */
    public static final List<String> FIELDS =
            Collections.unmodifiableList(Arrays.asList("slo.threshold", "slo.objective", "slo.window", "timeout"));

    private static final String FIELDS_TEXT = String.join(", ", FIELDS);
    /** The variant label of a measure as in the file. */
    public static final String FILE_VARIANT = "(file)";

    private static final String OPTION = "--set";
    private static final Pattern SET =
            Pattern.compile("(.+)\\.(" + String.join("|", FIELDS).replace(".", "\\.") + ")");
    private static final long HOUR_MS = 3_600_000L;
    private static final long WEEK_MS = 7 * 86_400_000L;
    /** 1970-01-05, the first Monday of epoch time. */
    private static final long MONDAY_MS = 4 * 86_400_000L;

    /** One row of the backtest: a measure as in the file, or one of its variants. */
    public static final class Variant {
        /** The measure's name in the file. */
        public final String measure;
        /** What was set, e.g. {@code threshold=PT2H,objective=0.95}, or {@link #FILE_VARIANT}. */
        public final String label;
        /** The definition replayed; its name is the measure's name in the result tables. */
        public final MeasureDefinition definition;

        Variant(String measure, String label, MeasureDefinition definition) {
            this.measure = measure;
            this.label = label;
            this.definition = definition;
        }
    }

    /** What to replay: the file's measures plus every variant, and the rows to report. */
    public static final class Plan {
        /** The measures of the one replay. */
        public final MeasuresConfig replay;
        /** The rows, per measure in file order: the file's SLO first, then its variants. */
        public final List<Variant> variants;

        Plan(MeasuresConfig replay, List<Variant> variants) {
            this.replay = replay;
            this.variants = Collections.unmodifiableList(variants);
        }
    }

    /** One parsed {@code --set}. */
    private static final class Setting {
        final String arg;
        final String measure;
        final String field;
        final List<Object> values = new ArrayList<>();
        final List<String> texts = new ArrayList<>();

        Setting(String arg, String measure, String field) {
            this.arg = arg;
            this.measure = measure;
            this.field = field;
        }
    }

    /**
     * Builds the replay's measures from the file's and the {@code --set} options, validating every variant.
     *
     * @param file the measures file
     * @param sets the {@code --set} values, {@code MEASURE.FIELD=V1,V2,...}
     * @return the plan
     * @throws UsageException naming {@code --set}, the argument, the measure, the field and the value: a malformed
     *     argument, an unknown measure or field, a measure without an SLO, a value that is not a duration or number, a
     *     value given twice, a field set twice, or a variant the measure could not have (e.g. an objective outside
     *     (0, 1), months, a threshold above the timeout)
     */
    public static Plan plan(MeasuresConfig file, List<String> sets) {
        Map<String, List<Setting>> byMeasure = new LinkedHashMap<>();
        for (String arg : sets) {
            Setting s = parse(file, arg);
            String measure = s.measure;
            List<Setting> list = byMeasure.computeIfAbsent(measure, k -> new ArrayList<>());
            for (Setting other : list) {
                if (other.field.equals(s.field)) {
                    throw new UsageException(
                            OPTION,
                            arg + ": measure '" + measure + "', field '" + s.field + "' is set twice (also by "
                                    + other.arg + "); give every value in one list");
                }
            }
            list.add(s);
        }
        List<MeasureDefinition> replay = new ArrayList<>(file.getMeasures());
        List<Variant> variants = new ArrayList<>();
        for (MeasureDefinition d : file.getMeasures()) {
            if (d.getSlo() == null) {
                continue;
            }
            variants.add(new Variant(d.getName(), FILE_VARIANT, d));
            List<Setting> settings = byMeasure.get(d.getName());
            if (settings == null) {
                continue;
            }
            for (int[] combination : combinations(settings)) {
                MeasureDefinition v = variant(d, settings, combination);
                replay.add(v);
                variants.add(new Variant(
                        d.getName(),
                        v.getName()
                                .substring(d.getName().length() + 1, v.getName().length() - 1),
                        v));
            }
        }
        return new Plan(new MeasuresConfig(replay, file.getAggregateWindows()), variants);
    }

    private static Setting parse(MeasuresConfig file, String arg) {
        int eq = arg.indexOf('=');
        String key = eq < 0 ? arg.trim() : arg.substring(0, eq).trim();
        Matcher m = SET.matcher(key);
        if (eq < 0 || !m.matches()) {
            for (MeasureDefinition d : file.getMeasures()) {
                if (key.startsWith(d.getName() + ".")) {
                    throw new UsageException(
                            OPTION,
                            arg + ": measure '" + d.getName() + "', unknown field '"
                                    + key.substring(d.getName().length() + 1) + "' (known: " + FIELDS_TEXT + ")");
                }
            }
            throw new UsageException(
                    OPTION,
                    arg + ": expected MEASURE.FIELD=V1,V2,... with FIELD one of " + FIELDS_TEXT + " and MEASURE one of "
                            + names(file));
        }
        String measure = m.group(1);
        String field = m.group(2);
        int i = file.indexOf(measure);
        if (i < 0) {
            throw new UsageException(
                    OPTION, arg + ": unknown measure '" + measure + "' (the measures file has " + names(file) + ")");
        }
        MeasureDefinition d = file.getMeasures().get(i);
        if (d.getSlo() == null) {
            throw new UsageException(
                    OPTION,
                    arg + ": measure '" + measure + "' has no slo, and a backtest compares"
                            + " SLOs; give it an slo (threshold, objective, window) in the measures file");
        }
        Setting s = new Setting(arg, measure, field);
        Map<String, String> seen = new HashMap<>();
        for (String text : arg.substring(eq + 1).split(",", -1)) {
            String t = text.trim();
            Object value;
            try {
                if (t.isEmpty()) {
                    throw new IllegalArgumentException("is empty");
                }
                value = field.equals("slo.objective") ? objective(t) : IsoDurations.parse(t);
            } catch (IllegalArgumentException e) {
                throw new UsageException(
                        OPTION,
                        arg + ": measure '" + measure + "', field '" + field + "', value '" + t + "': "
                                + e.getMessage(),
                        e);
            }
            String shown = show(value);
            String before = seen.put(shown, t);
            if (before != null) {
                throw new UsageException(
                        OPTION,
                        arg + ": measure '" + measure + "', field '" + field + "', value '" + t + "': given twice"
                                + (before.equals(t) ? "" : " (as '" + before + "')"));
            }
            s.values.add(value);
            s.texts.add(t);
        }
        return s;
    }

    private static Double objective(String t) {
        try {
            return Double.valueOf(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("must be a number in (0, 1), e.g. 0.95", e);
        }
    }

    private static String names(MeasuresConfig file) {
        List<String> n = new ArrayList<>();
        for (MeasureDefinition d : file.getMeasures()) {
            n.add(d.getName());
        }
        return String.join(", ", n);
    }

    /** Every combination of value indexes, the first setting varying slowest. */
    private static List<int[]> combinations(List<Setting> settings) {
        List<int[]> out = new ArrayList<>();
        out.add(new int[0]);
        for (Setting s : settings) {
            List<int[]> next = new ArrayList<>();
            for (int[] prefix : out) {
                for (int v = 0; v < s.values.size(); v++) {
                    int[] c = Arrays.copyOf(prefix, prefix.length + 1);
                    c[prefix.length] = v;
                    next.add(c);
                }
            }
            out = next;
        }
        return out;
    }

    private static MeasureDefinition variant(MeasureDefinition d, List<Setting> settings, int[] combination) {
        Slo slo = d.getSlo();
        Duration threshold = slo.getThreshold();
        double objective = slo.getObjective();
        Duration window = slo.getWindow();
        Duration timeout = d.getTimeout();
        Map<String, Setting> byField = new HashMap<>();
        Map<String, String> valueOf = new HashMap<>();
        StringBuilder label = new StringBuilder();
        for (int i = 0; i < settings.size(); i++) {
            Setting s = settings.get(i);
            Object v = s.values.get(combination[i]);
            byField.put(s.field, s);
            valueOf.put(s.field, s.texts.get(combination[i]));
            label.append(label.length() == 0 ? "" : ",")
                    .append(s.field.replace("slo.", ""))
                    .append('=')
                    .append(show(v));
            switch (s.field) {
                case "slo.threshold":
                    threshold = (Duration) v;
                    break;
                case "slo.objective":
                    objective = (Double) v;
                    break;
                case "slo.window":
                    window = (Duration) v;
                    break;
                default:
                    timeout = (Duration) v;
                    break;
            }
        }
        try {
            return d.variant(
                    label.toString(),
                    timeout,
                    new Slo(threshold, objective, window, slo.getBurnRateRules(), slo.getMinEvents()));
        } catch (InvalidMeasureException e) {
            // name the --set of the field at fault, else (a field from the file, e.g. a window now shorter than
            // the threshold) the first --set of the measure
            Setting s = byField.getOrDefault(e.getField(), settings.get(0));
            String value = valueOf.containsKey(e.getField()) ? valueOf.get(e.getField()) : fileValue(d, e.getField());
            throw new UsageException(
                    OPTION,
                    s.arg + ": measure '" + d.getName() + "', field '" + e.getField() + "', value '" + value
                            + "' (variant " + label + "): " + e.getProblem(),
                    e);
        }
    }

    private static String fileValue(MeasureDefinition d, String field) {
        switch (field) {
            case "slo.threshold":
                return show(d.getSlo().getThreshold());
            case "slo.objective":
                return show(d.getSlo().getObjective());
            case "slo.window":
                return show(d.getSlo().getWindow());
            case "timeout":
                return d.getTimeout() == null ? "none" : show(d.getTimeout());
            default:
                return "as in the file";
        }
    }

    /** A value as labels show it: durations with days as days ({@code P1D}, {@code PT2H}), numbers plainly. */
    static String show(Object v) {
        if (v instanceof Duration) {
            return DurationLimits.format((Duration) v);
        }
        return BigDecimal.valueOf((Double) v).stripTrailingZeros().toPlainString();
    }

    /**
     * Replays the plan's measures once and reports every variant: prints the table and writes the CSV.
     *
     * @param plan the plan
     * @param run the replay's settings: inputs, database, and {@code measures} and {@code pipeline} built on
     *     {@link Plan#replay}
     * @param csv the CSV file to write
     * @param console where the replay's summary and the table go
     * @return the report
     * @throws Exception when the replay fails or the results cannot be read or written
     */
    public static Report run(Plan plan, LocalRun.Settings run, Path csv, PrintStream console) throws Exception {
        LocalRun.run(run, console);
        Report report = read(io.flightcontroller.adapters.jdbc.JdbcOutputs.effectiveUrl(run.jdbcUrl), plan);
        writeCsv(csv, report);
        console.println();
        console.println("Backtest: " + plan.variants.size() + " rows (each SLO as in the file and its variants), "
                + plan.replay.getMeasures().size() + " measures replayed in one pass");
        print(console, report);
        console.println();
        console.println("backtest table: " + csv.toAbsolutePath());
        return report;
    }

    // ------------------------------------------------------------------------------------------------- the figures

    /** The report: its columns and one row per variant, values as text (null when missing). */
    public static final class Report {
        /** Column names. */
        public final List<String> columns;
        /** Rows, each a column-to-value map in column order. */
        public final List<Map<String, String>> rows;

        Report(List<String> columns, List<Map<String, String>> rows) {
            this.columns = Collections.unmodifiableList(columns);
            this.rows = Collections.unmodifiableList(rows);
        }
    }

    /**
     * The severities of the burn-rate rules of the plan's SLOs, in order of first appearance.
     *
     * @param plan the plan
     * @return e.g. {@code [page, ticket]}
     */
    static List<String> severities(Plan plan) {
        Set<String> s = new LinkedHashSet<>();
        for (Variant v : plan.variants) {
            for (BurnRateRule r : v.definition.getSlo().getBurnRateRules()) {
                s.add(r.getSeverity().label());
            }
        }
        return new ArrayList<>(s);
    }

    /**
     * The report's columns.
     *
     * @param severities burn-rate severities, one column pair each
     * @return the column names
     */
    static List<String> columns(List<String> severities) {
        List<String> c = new ArrayList<>(Arrays.asList(
                "measure",
                "variant",
                "threshold",
                "objective",
                "window",
                "timeout",
                "cases",
                "good",
                "bad",
                "compliance",
                "worst_window_compliance",
                "worst_window_end",
                "breach_alerts",
                "timeouts"));
        for (String s : severities) {
            c.add(s + "_alerts");
            c.add(s + "_alerts_per_week");
            c.add(s + "_alerts_max_week");
        }
        c.addAll(Arrays.asList(
                "longest_firing", "budget_remaining_end", "budget_remaining_min", "budget_exhausted_first"));
        return c;
    }

    /** One {@code error_budgets} row. */
    private static final class BudgetRow {
        long timeMs;
        String time;
        long events;
        long good;
        Double remaining;
    }

    /**
     * Reads the figures of every variant from the replay's result tables.
     *
     * @param jdbcUrl the database the replay wrote
     * @param plan the plan that was replayed
     * @return the report
     * @throws SQLException when the database cannot be read
     */
    public static Report read(String jdbcUrl, Plan plan) throws SQLException {
        List<String> severities = severities(plan);
        List<String> columns = columns(severities);
        String aggregateWindow = plan.replay.getAggregateWindows().get(0).toString();
        List<Map<String, String>> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(jdbcUrl)) {
            Map<String, List<BudgetRow>> budgets = new HashMap<>();
            Map<String, long[]> periods = new HashMap<>(); // per measure of the file: [start, end]
            Map<String, Set<Long>> weeks = new HashMap<>(); // per measure of the file: weeks with a verdict
            for (Variant v : plan.variants) {
                List<BudgetRow> b = budgets(c, v.definition.getName());
                budgets.put(v.definition.getName(), b);
                if (!b.isEmpty()) {
                    long[] p = periods.computeIfAbsent(v.measure, k -> new long[] {Long.MAX_VALUE, Long.MIN_VALUE});
                    p[0] = Math.min(p[0], b.get(0).timeMs - HOUR_MS);
                    p[1] = Math.max(p[1], b.get(b.size() - 1).timeMs);
                }
                Set<Long> w = weeks.computeIfAbsent(v.measure, k -> new java.util.HashSet<>());
                for (BudgetRow row : b) {
                    w.add(week(row.timeMs - HOUR_MS));
                }
            }
            for (Variant v : plan.variants) {
                String name = v.definition.getName();
                Slo slo = v.definition.getSlo();
                Map<String, String> r = new LinkedHashMap<>();
                for (String col : columns) {
                    r.put(col, null);
                }
                r.put("measure", v.measure);
                r.put("variant", v.label);
                r.put("threshold", show(slo.getThreshold()));
                r.put("objective", show(slo.getObjective()));
                r.put("window", show(slo.getWindow()));
                r.put("timeout", v.definition.getTimeout() == null ? null : show(v.definition.getTimeout()));
                long[] gb = longs(
                        c,
                        "SELECT COALESCE(SUM(good), 0), COALESCE(SUM(bad), 0) FROM window_aggregates"
                                + " WHERE measure = ? AND \"window\" = ?",
                        name,
                        aggregateWindow);
                long cases = gb[0] + gb[1];
                r.put("cases", String.valueOf(cases));
                r.put("good", String.valueOf(gb[0]));
                r.put("bad", String.valueOf(gb[1]));
                r.put("compliance", cases == 0 ? null : fraction((double) gb[0] / cases));
                r.put(
                        "breach_alerts",
                        String.valueOf(longs(
                                c, "SELECT COUNT(*) FROM alerts WHERE measure = ? AND kind = 'BREACH'", name)[0]));
                r.put(
                        "timeouts",
                        String.valueOf(longs(
                                c, "SELECT COUNT(*) FROM alerts WHERE measure = ? AND kind = 'TIMEOUT'", name)[0]));
                long[] period = periods.get(v.measure);
                int weekCount = weeks.get(v.measure).size();
                Map<String, Map<Long, Long>> fired = firingsBySeverityAndWeek(c, name);
                for (String s : severities) {
                    Map<Long, Long> perWeek = fired.getOrDefault(s, Collections.emptyMap());
                    long n = 0;
                    long max = 0;
                    for (long k : perWeek.values()) {
                        n += k;
                        max = Math.max(max, k);
                    }
                    r.put(s + "_alerts", String.valueOf(n));
                    r.put(
                            s + "_alerts_per_week",
                            weekCount == 0 ? null : String.format(Locale.ROOT, "%.2f", (double) n / weekCount));
                    r.put(s + "_alerts_max_week", String.valueOf(max));
                }
                Long longest = longestFiring(c, name, period == null ? Long.MIN_VALUE : period[1]);
                r.put("longest_firing", longest == null ? null : DurationLimits.format(Duration.ofMillis(longest)));
                List<BudgetRow> b = budgets.get(name);
                if (!b.isEmpty()) {
                    BudgetRow last = b.get(b.size() - 1);
                    r.put("budget_remaining_end", last.remaining == null ? null : fraction(last.remaining));
                    BudgetRow worst = null;
                    Double min = null;
                    String exhausted = null;
                    for (BudgetRow row : b) {
                        if (row.timeMs - slo.getWindow().toMillis() < period[0]
                                || row.events == 0
                                || row.events < slo.getMinEvents()) {
                            continue; // not a full window
                        }
                        if (worst == null || row.good * worst.events < worst.good * row.events) {
                            worst = row;
                        }
                        if (row.remaining != null && (min == null || row.remaining < min)) {
                            min = row.remaining;
                        }
                        if (exhausted == null && row.remaining != null && row.remaining <= 0) {
                            exhausted = row.time;
                        }
                    }
                    if (worst != null) {
                        r.put("worst_window_compliance", fraction((double) worst.good / worst.events));
                        r.put("worst_window_end", worst.time);
                    }
                    r.put("budget_remaining_min", min == null ? null : fraction(min));
                    r.put("budget_exhausted_first", exhausted);
                }
                rows.add(r);
            }
        }
        return new Report(columns, rows);
    }

    private static String fraction(double d) {
        return String.format(Locale.ROOT, "%.4f", d);
    }

    private static List<BudgetRow> budgets(Connection c, String measure) throws SQLException {
        List<BudgetRow> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT time, events, good, remaining_fraction"
                + " FROM error_budgets WHERE measure = ? ORDER BY time")) {
            ps.setString(1, measure);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    BudgetRow b = new BudgetRow();
                    b.time = rs.getString(1);
                    b.timeMs = Instant.parse(b.time).toEpochMilli();
                    b.events = rs.getLong(2);
                    b.good = rs.getLong(3);
                    double rem = rs.getDouble(4);
                    b.remaining = rs.wasNull() ? null : rem;
                    out.add(b);
                }
            }
        }
        return out;
    }

    /** The start of the week (Monday 00:00 UTC) holding an instant, epoch ms. */
    static long week(long ms) {
        return Math.floorDiv(ms - MONDAY_MS, WEEK_MS) * WEEK_MS + MONDAY_MS;
    }

    /** Burn-rate FIRING alerts: severity to week start to count. */
    private static Map<String, Map<Long, Long>> firingsBySeverityAndWeek(Connection c, String measure)
            throws SQLException {
        Map<String, Map<Long, Long>> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT severity, deadline FROM alerts" + " WHERE measure = ? AND kind = 'BURN_RATE_FIRING'")) {
            ps.setString(1, measure);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getString(1), k -> new TreeMap<>())
                            .merge(week(Instant.parse(rs.getString(2)).toEpochMilli()), 1L, Long::sum);
                }
            }
        }
        return out;
    }

    /**
     * The longest FIRING to RESOLVED time of any burn-rate rule, in ms; a rule still firing counts up to
     * {@code endMs}. A RESOLVED alert's id is its FIRING alert's id with {@code /resolved} for {@code /firing}; the
     * deadline of either is its evaluation time.
     */
    private static Long longestFiring(Connection c, String measure, long endMs) throws SQLException {
        Map<String, Long> firing = new TreeMap<>();
        Map<String, Long> resolved = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT alert_id, kind, deadline FROM alerts"
                + " WHERE measure = ? AND kind IN ('BURN_RATE_FIRING', 'BURN_RATE_RESOLVED')")) {
            ps.setString(1, measure);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String id = rs.getString(1);
                    long t = Instant.parse(rs.getString(3)).toEpochMilli();
                    if ("BURN_RATE_FIRING".equals(rs.getString(2))) {
                        firing.put(id.substring(0, id.length() - "/firing".length()), t);
                    } else {
                        resolved.put(id.substring(0, id.length() - "/resolved".length()), t);
                    }
                }
            }
        }
        Long longest = null;
        for (Map.Entry<String, Long> f : firing.entrySet()) {
            long end = resolved.getOrDefault(f.getKey(), Math.max(endMs, f.getValue()));
            long d = end - f.getValue();
            longest = longest == null ? d : Math.max(longest, d);
        }
        return longest;
    }

    private static long[] longs(Connection c, String sql, String... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setString(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long[] v = new long[rs.getMetaData().getColumnCount()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = rs.getLong(i + 1);
                }
                return v;
            }
        }
    }

    // ------------------------------------------------------------------------------------------------- the output

    /**
     * Prints the report as a table, one line per variant, columns as wide as their longest value.
     *
     * @param out where to print
     * @param report the report
     */
    public static void print(PrintStream out, Report report) {
        int[] width = new int[report.columns.size()];
        for (int i = 0; i < width.length; i++) {
            width[i] = report.columns.get(i).length();
            for (Map<String, String> r : report.rows) {
                width[i] =
                        Math.max(width[i], shown(r.get(report.columns.get(i))).length());
            }
        }
        StringBuilder header = new StringBuilder();
        for (int i = 0; i < width.length; i++) {
            header.append(i == 0 ? "" : "  ").append(pad(report.columns.get(i), width[i], i < 2));
        }
        out.println(header.toString().trim());
        for (Map<String, String> r : report.rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < width.length; i++) {
                line.append(i == 0 ? "" : "  ").append(pad(shown(r.get(report.columns.get(i))), width[i], i < 2));
            }
            out.println(line.toString().trim());
        }
    }

    private static String shown(String v) {
        return v == null ? "-" : v;
    }

    private static String pad(String s, int width, boolean left) {
        StringBuilder sb = new StringBuilder();
        if (!left) {
            for (int i = s.length(); i < width; i++) {
                sb.append(' ');
            }
        }
        sb.append(s);
        if (left) {
            for (int i = s.length(); i < width; i++) {
                sb.append(' ');
            }
        }
        return sb.toString();
    }

    /**
     * Writes the report as CSV (RFC 4180, a header line with the column names, a missing value empty).
     *
     * @param file the CSV file, replaced
     * @param report the report
     * @throws IOException when it cannot be written
     */
    public static void writeCsv(Path file, Report report) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
                CSVPrinter csv = new CSVPrinter(
                        w,
                        CSVFormat.DEFAULT
                                .builder()
                                .setHeader(report.columns.toArray(new String[0]))
                                .setRecordSeparator('\n')
                                .build())) {
            for (Map<String, String> r : report.rows) {
                List<String> values = new ArrayList<>();
                for (String col : report.columns) {
                    values.add(r.get(col));
                }
                csv.printRecord(values);
            }
        }
    }
}
