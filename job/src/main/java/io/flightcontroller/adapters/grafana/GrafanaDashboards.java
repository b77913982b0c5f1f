package io.flightcontroller.adapters.grafana;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flightcontroller.adapters.metrics.MetricNames;
import io.flightcontroller.domain.measure.BurnRateRule;
import io.flightcontroller.domain.measure.MeasureDefinition;
import io.flightcontroller.domain.measure.MeasuresConfig;
import io.flightcontroller.domain.measure.Slo;
import io.flightcontroller.domain.result.Alert;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Grafana dashboards generated from the measures file, over the records the Timestream or InfluxDB metric sink writes
 * (every record, dimension and field name from {@link MetricNames}).
 *
 * <p>Shape: one overview dashboard ({@value #OVERVIEW_FILE}: per measure completed cases and lead p50 / p95, SLO
 * compliance, alerts per kind, open cases, dead letters by reason and over time) and one dashboard per measure
 * ({@code flight-controller-measure-<name>.json}): lead (or value) p50 / p90 / p95 over time with the SLO threshold
 * as a line, completed per interval, and with an SLO: compliance per interval against the objective (red below it),
 * error budget remaining (red below 0), burn rate per rule's long window with every rule's threshold as a dashed
 * line, alerts per kind, open cases. Times are UTC; leads in seconds; compliance and budget as fractions (Grafana
 * unit {@code percentunit}). Burn rates here are bad / (good + bad) / (1 - objective) over tumbling bins of each
 * rule's long window (at least the smallest aggregate window), computed from the {@code window_aggregate} records of
 * the smallest aggregate window; the job's own alerts use sliding windows in 1-minute buckets, so the alerts panel is
 * the authority on what fired.
 *
 * <p>Data sources: a {@code datasource} template variable of the plugin type ({@value #TIMESTREAM_PLUGIN} or
 * {@value #INFLUXDB_PLUGIN}) makes each dashboard importable into any Grafana. Timestream queries use the plugin's
 * macros {@code $__database}, {@code $__table} (from the dashboard variables {@code database} and {@code table}, set
 * in each query's database and table fields), {@code $__timeFilter} and {@code $__interval_ms} (the plugin expands it
 * to a millisecond interval literal such as {@code 60000ms}; Grafana's {@code $__interval} can expand to units
 * Timestream does not know), {@code bin(time, ...)} and {@code approx_percentile}. InfluxDB queries are InfluxDB 3
 * SQL (Grafana's InfluxDB data source with query language SQL) with {@code $__timeFilter(time)},
 * {@code $__dateBin(time)} and {@code approx_percentile_cont}; each record name is a table.
 */
public final class GrafanaDashboards {
    /** Grafana's dashboard JSON schema version written (Grafana 10; later versions migrate it on load). */
    public static final int SCHEMA_VERSION = 38;
    /** Plugin id of the Amazon Timestream data source. */
    public static final String TIMESTREAM_PLUGIN = "grafana-timestream-datasource";
    /** Plugin id of Grafana's InfluxDB data source. */
    public static final String INFLUXDB_PLUGIN = "influxdb";
    /** File name of the overview dashboard. */
    public static final String OVERVIEW_FILE = "flight-controller-overview.json";
    /** Tag of every generated dashboard (the dashboards link to each other by it). */
    public static final String TAG = "flight-controller";
    /** Default Timestream database (the CDK stack's default). */
    public static final String DEFAULT_TIMESTREAM_DATABASE = "flight_controller";
    /** Default Timestream table (the CDK stack's default). */
    public static final String DEFAULT_TIMESTREAM_TABLE = "measurements";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String RED = "red";
    private static final String GREEN = "green";

    /** The metric store the dashboards query. */
    public enum Datasource {
        /** Amazon Timestream for LiveAnalytics, Grafana plugin {@value GrafanaDashboards#TIMESTREAM_PLUGIN}. */
        TIMESTREAM,
        /** InfluxDB 3 (e.g. Timestream for InfluxDB) through Grafana's InfluxDB data source in SQL mode. */
        INFLUXDB;

        /**
         * @param s {@code timestream} or {@code influxdb}
         * @return the data source
         * @throws IllegalArgumentException for another value
         */
        public static Datasource parse(String s) {
            for (Datasource d : values()) {
                if (d.name().equalsIgnoreCase(s == null ? "" : s.trim())) {
                    return d;
                }
            }
            throw new IllegalArgumentException("--datasource must be timestream or influxdb, was '" + s + "'");
        }

        /** @return lower-case name, e.g. {@code timestream} */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final MeasuresConfig measures;
    private final Datasource datasource;
    private final Dialect sql;
    private final String database;
    private final String table;

    /**
     * @param measures the measures file
     * @param datasource the metric store
     * @param timestreamDatabase default of the {@code database} variable (Timestream only)
     * @param timestreamTable default of the {@code table} variable (Timestream only)
     */
    public GrafanaDashboards(
            MeasuresConfig measures, Datasource datasource, String timestreamDatabase, String timestreamTable) {
        this.measures = measures;
        this.datasource = datasource;
        this.sql = datasource == Datasource.TIMESTREAM ? new TimestreamSql() : new InfluxSql();
        this.database = timestreamDatabase;
        this.table = timestreamTable;
    }

    /**
     * @param measures the measures file
     * @param datasource the metric store
     * @return a generator with the CDK stack's default Timestream database and table
     */
    public static GrafanaDashboards of(MeasuresConfig measures, Datasource datasource) {
        return new GrafanaDashboards(measures, datasource, DEFAULT_TIMESTREAM_DATABASE, DEFAULT_TIMESTREAM_TABLE);
    }

    /** @return file name -&gt; dashboard, the overview first, then one per measure in file order */
    public Map<String, ObjectNode> build() {
        Map<String, ObjectNode> out = new LinkedHashMap<>();
        out.put(OVERVIEW_FILE, overview());
        for (MeasureDefinition d : measures.getMeasures()) {
            out.put(measureFile(d.getName()), measureDashboard(d));
        }
        return out;
    }

    /**
     * Writes every dashboard into a folder (created when missing).
     *
     * @param dir the folder
     * @return the files written
     * @throws IOException when a file cannot be written
     */
    public List<Path> write(Path dir) throws IOException {
        Files.createDirectories(dir);
        List<Path> files = new ArrayList<>();
        for (Map.Entry<String, ObjectNode> e : build().entrySet()) {
            Path f = dir.resolve(e.getKey());
            Files.write(f, JSON.writeValueAsBytes(e.getValue()));
            files.add(f);
        }
        return files;
    }

    /**
     * @param measure a measure name
     * @return its dashboard's file name
     */
    public static String measureFile(String measure) {
        return "flight-controller-measure-" + measure.replaceAll("[^A-Za-z0-9_.-]", "_") + ".json";
    }

    // ------------------------------------------------------------------------------------------------- dashboards

    private ObjectNode overview() {
        Board b = new Board("Flight Controller: overview (" + datasource.id() + ")", uid("overview"));
        String lead = MetricNames.LEAD_TIME;
        b.add(
                table(
                        "Lead times per measure over the range",
                        "Completed cases and lead percentiles (seconds) per lead-time measure, over the dashboard's range.",
                        "SELECT " + sql.col(MetricNames.MEASURE) + ", COUNT(*) AS completed, "
                                + sql.percentile(MetricNames.DURATION_MS, 0.5) + " / 1000.0 AS p50_s, "
                                + sql.percentile(MetricNames.DURATION_MS, 0.95) + " / 1000.0 AS p95_s"
                                + sql.from(lead) + " WHERE " + sql.record(lead) + sql.timeFilter()
                                + " GROUP BY " + sql.col(MetricNames.MEASURE) + " ORDER BY "
                                + sql.col(MetricNames.MEASURE)),
                12,
                8);
        String agg = MetricNames.WINDOW_AGGREGATE;
        b.add(
                table(
                        "SLO compliance per measure over the range",
                        "good / (good + bad) of the cases decided in the range (window_aggregate records of the smallest "
                                + "aggregate window, " + smallestWindow() + ").",
                        "SELECT " + sql.col(MetricNames.MEASURE) + ", SUM(" + sql.col(MetricNames.GOOD)
                                + ") AS good, SUM("
                                + sql.col(MetricNames.BAD) + ") AS bad, " + compliance() + " AS compliance"
                                + sql.from(agg) + " WHERE " + sql.record(agg) + sql.col(MetricNames.WINDOW) + " = "
                                + literal(smallestWindow()) + " AND " + sql.timeFilter() + " GROUP BY "
                                + sql.col(MetricNames.MEASURE) + " ORDER BY " + sql.col(MetricNames.MEASURE)),
                12,
                8);
        b.add(alertsPanel("Alerts per kind, all measures", null), 12, 8);
        String open = MetricNames.OPEN_CASE;
        b.add(
                table(
                        "Open cases per measure",
                        "Cases still open at the end of a bounded run (a streaming job reports none), with the oldest age.",
                        "SELECT " + sql.col(MetricNames.MEASURE) + ", COUNT(*) AS open_cases, MAX("
                                + sql.col(MetricNames.AGE_MS) + ") / 1000.0 AS oldest_s" + sql.from(open) + " WHERE "
                                + sql.record(open) + sql.timeFilter() + " GROUP BY " + sql.col(MetricNames.MEASURE)
                                + " ORDER BY open_cases DESC"),
                12,
                8);
        String dead = MetricNames.DEAD_LETTER;
        ObjectNode byReason = panel(
                "barchart",
                "Dead letters by reason",
                "Records the job could not use (not JSON, missing fields, late, ...), counted per reason over the "
                        + "range.");
        byReason.set(
                "targets",
                targets(target(
                        "A",
                        "SELECT " + sql.col(MetricNames.REASON)
                                + ", COUNT(*) AS dead_letters" + sql.from(dead) + " WHERE " + sql.record(dead)
                                + sql.timeFilter()
                                + " GROUP BY " + sql.col(MetricNames.REASON) + " ORDER BY dead_letters DESC",
                        false)));
        byReason.putObject("options").put("orientation", "horizontal").put("xField", MetricNames.REASON);
        b.add(byReason, 12, 8);
        ObjectNode overTime = timeseries(
                "Dead letters over time",
                "Per interval, by the record's event time (or the time it was rejected when it had none); "
                        + "late events separately.",
                "short",
                true);
        overTime.set(
                "targets",
                targets(target(
                        "A",
                        "SELECT " + sql.bucket() + " AS time, COUNT(*) AS dead_letters, "
                                + "SUM(CASE WHEN " + sql.col(MetricNames.REASON)
                                + " = 'late' THEN 1 ELSE 0 END) AS late"
                                + sql.from(dead) + " WHERE " + sql.record(dead) + sql.timeFilter() + " GROUP BY "
                                + sql.bucket()
                                + " ORDER BY time",
                        true)));
        b.add(overTime, 12, 8);
        return b.json;
    }

    private ObjectNode measureDashboard(MeasureDefinition d) {
        String m = d.getName();
        Board b = new Board("Flight Controller: " + m + " (" + datasource.id() + ")", uid(m));
        String record = MetricNames.measurementRecord(d.getKind().rules().resultKind());
        boolean lead = d.getKind().rules().resultsAreLeads();
        String field = lead ? MetricNames.DURATION_MS : MetricNames.VALUE;
        String scale = lead ? " / 1000.0" : "";
        Slo slo = d.getSlo();

        ObjectNode pct = timeseries(
                (lead ? "Lead time" : "Value") + " p50 / p90 / p95",
                (lead ? "Lead time in seconds, start to end" : "Measured value") + ", percentiles of the "
                        + record + " records per interval (approx_percentile)"
                        + (slo != null ? "; red line: the SLO threshold " + label(slo.getThreshold()) : "") + ".",
                lead ? "s" : "short",
                false);
        pct.set(
                "targets",
                targets(target(
                        "A",
                        "SELECT " + sql.bucket() + " AS time, "
                                + sql.percentile(field, 0.5) + scale + " AS p50, " + sql.percentile(field, 0.9) + scale
                                + " AS p90, "
                                + sql.percentile(field, 0.95) + scale + " AS p95" + sql.from(record) + " WHERE "
                                + sql.record(record)
                                + measureIs(m) + sql.timeFilter() + " GROUP BY " + sql.bucket() + " ORDER BY time",
                        true)));
        if (slo != null) {
            thresholds(
                    pct, "line", step(GREEN, null), step(RED, slo.getThreshold().toMillis() / 1000.0));
        }
        b.add(pct, 12, 8);

        ObjectNode count = timeseries(
                lead ? "Completed cases" : "Measurements",
                "Number of " + record + " records per interval.",
                "short",
                true);
        count.set(
                "targets",
                targets(target(
                        "A",
                        "SELECT " + sql.bucket() + " AS time, COUNT(*) AS "
                                + (lead ? "completed" : "measurements") + sql.from(record) + " WHERE "
                                + sql.record(record)
                                + measureIs(m) + sql.timeFilter() + " GROUP BY " + sql.bucket() + " ORDER BY time",
                        true)));
        b.add(count, 12, 8);

        if (slo != null) {
            String agg = MetricNames.WINDOW_AGGREGATE;
            String aggWhere = sql.from(agg) + " WHERE " + sql.record(agg) + measureIs(m) + sql.col(MetricNames.WINDOW)
                    + " = " + literal(smallestWindow()) + " AND " + sql.timeFilter();
            ObjectNode comp = timeseries(
                    "SLO compliance vs objective " + percent(slo.getObjective()),
                    "good / (good + bad) of the cases decided per interval (window_aggregate, " + smallestWindow()
                            + "), against the objective: red below it.",
                    "percentunit",
                    true);
            comp.set(
                    "targets",
                    targets(target(
                            "A",
                            "SELECT " + sql.bucket() + " AS time, " + compliance()
                                    + " AS compliance, " + slo.getObjective() + " AS objective" + aggWhere
                                    + " GROUP BY "
                                    + sql.bucket() + " ORDER BY time",
                            true)));
            thresholds(comp, "line+area", step(RED, null), step(GREEN, slo.getObjective()));
            b.add(comp, 12, 8);

            String bud = MetricNames.ERROR_BUDGET;
            ObjectNode budget = timeseries(
                    "Error budget remaining (" + label(slo.getWindow()) + " window)",
                    "1 - bad / ((1 - objective) x outcomes) over the SLO window, hourly: 1 = untouched, "
                            + "below 0 (red) = overspent.",
                    "percentunit",
                    false);
            budget.set(
                    "targets",
                    targets(target(
                            "A",
                            "SELECT time, " + sql.col(MetricNames.REMAINING_FRACTION)
                                    + " AS remaining" + sql.from(bud) + " WHERE " + sql.record(bud) + measureIs(m)
                                    + sql.timeFilter() + " ORDER BY time",
                            true)));
            thresholds(budget, "line+area", step(RED, null), step(GREEN, 0.0));
            b.add(budget, 12, 8);

            b.add(burnRatePanel(slo, aggWhere), 12, 8);
            b.add(alertsPanel("Alerts per kind", m), 12, 8);
        } else if (d.getTimeout() != null) {
            b.add(alertsPanel("Alerts per kind (timeouts)", m), 12, 8);
        }
        if (d.getKind().rules().hasCycles()) {
            String open = MetricNames.OPEN_CASE;
            ObjectNode stat = panel(
                    "stat",
                    "Open cases",
                    "Cases still open at the end of a bounded run (a streaming job reports none) and the oldest "
                            + "age.");
            stat.set(
                    "targets",
                    targets(target(
                            "A",
                            "SELECT COUNT(*) AS open_cases, MAX("
                                    + sql.col(MetricNames.AGE_MS) + ") / 1000.0 AS oldest_s" + sql.from(open)
                                    + " WHERE "
                                    + sql.record(open) + measureIs(m) + sql.timeFilter(),
                            false)));
            ObjectNode reduce =
                    stat.putObject("options").put("graphMode", "none").putObject("reduceOptions");
            reduce.put("values", false).putArray("calcs").add("lastNotNull");
            ArrayNode overrides = ((ObjectNode) stat.get("fieldConfig")).putArray("overrides");
            ObjectNode age = overrides.addObject();
            age.putObject("matcher").put("id", "byName").put("options", "oldest_s");
            age.putArray("properties").addObject().put("id", "unit").put("value", "s");
            b.add(stat, 12, 8);
        }
        return b.json;
    }

    private ObjectNode burnRatePanel(Slo slo, String aggWhere) {
        ObjectNode p = timeseries(
                "Burn rate vs alert thresholds",
                "bad / (good + bad) / (1 - objective) per bin of each rule's long window (tumbling, from the "
                        + smallestWindow() + " aggregates); dashed: the rules' burn-rate thresholds. The job alerts "
                        + "on sliding windows (see the alerts panel).",
                "short",
                false);
        ArrayNode targets = JSON.createArrayNode();
        TreeSet<Duration> windows = new TreeSet<>();
        for (BurnRateRule r : slo.getBurnRateRules()) {
            windows.add(max(r.getLongWindow(), smallest()));
        }
        char ref = 'A';
        for (Duration w : windows) {
            String bin = sql.bucket(w);
            String good = "SUM(" + sql.col(MetricNames.GOOD) + ")";
            String bad = "SUM(" + sql.col(MetricNames.BAD) + ")";
            targets.add(target(
                    String.valueOf(ref++),
                    "SELECT " + bin + " AS time, CAST(" + bad + " AS DOUBLE) / "
                            + "NULLIF(" + good + " + " + bad + ", 0) / " + round(1 - slo.getObjective()) + " AS "
                            + sql.alias("burn rate " + label(w)) + aggWhere + " GROUP BY " + bin + " ORDER BY time",
                    true));
        }
        p.set("targets", targets);
        TreeMap<Double, String> steps = new TreeMap<>();
        for (BurnRateRule r : slo.getBurnRateRules()) {
            steps.merge(r.getBurnRate(), r.getSeverity().label(), (a, b) -> a.equals(b) ? a : a + "/" + b);
        }
        List<ObjectNode> s = new ArrayList<>();
        s.add(step(GREEN, null));
        String[] colors = {"yellow", "orange", RED, "dark-red"};
        int i = 0;
        for (Double v : steps.keySet()) {
            s.add(step(colors[Math.min(i++, colors.length - 1)], v));
        }
        thresholds(p, "dashed", s.toArray(new ObjectNode[0]));
        return p;
    }

    private ObjectNode alertsPanel(String title, String measure) {
        String alert = MetricNames.ALERT;
        StringBuilder q = new StringBuilder("SELECT ").append(sql.bucket()).append(" AS time");
        for (Alert.Kind k : Alert.Kind.values()) {
            q.append(", SUM(CASE WHEN ")
                    .append(sql.col(MetricNames.KIND))
                    .append(" = ")
                    .append(literal(k.name()))
                    .append(" THEN 1 ELSE 0 END) AS ")
                    .append(k.name().toLowerCase(Locale.ROOT));
        }
        q.append(sql.from(alert))
                .append(" WHERE ")
                .append(sql.record(alert))
                .append(measure == null ? "" : measureIs(measure))
                .append(sql.timeFilter())
                .append(" GROUP BY ")
                .append(sql.bucket())
                .append(" ORDER BY time");
        ObjectNode p = timeseries(
                title,
                "Alerts per interval by kind: breach (threshold passed without the end), "
                        + "timeout, burn rate firing and resolved.",
                "short",
                true);
        p.set("targets", targets(target("A", q.toString(), true)));
        return p;
    }

    // ---------------------------------------------------------------------------------------------- JSON builders

    private final class Board {
        final ObjectNode json = JSON.createObjectNode();
        final ArrayNode panels;
        int nextId = 1;
        int x;
        int y;
        int rowHeight;

        Board(String title, String uid) {
            json.put("uid", uid)
                    .put("title", title)
                    .put("timezone", "utc")
                    .put("schemaVersion", SCHEMA_VERSION)
                    .put("version", 1)
                    .put("editable", true)
                    .put("graphTooltip", 1)
                    .put("refresh", "")
                    .put(
                            "description",
                            "Generated by `flight-controller dashboards` from the measures file; "
                                    + "regenerate rather than edit.");
            json.putArray("tags").add(TAG).add(datasource.id());
            json.putObject("time").put("from", "now-7d").put("to", "now");
            ObjectNode link = json.putArray("links").addObject();
            link.put("type", "dashboards")
                    .put("title", "Flight Controller")
                    .put("asDropdown", true)
                    .put("includeVars", true)
                    .put("keepTime", true);
            link.putArray("tags").add(TAG).add(datasource.id());
            ObjectNode annotation =
                    json.putObject("annotations").putArray("list").addObject();
            annotation
                    .put("builtIn", 1)
                    .put("enable", true)
                    .put("hide", true)
                    .put("name", "Annotations & Alerts")
                    .put("type", "dashboard")
                    .put("iconColor", "rgba(0, 211, 255, 1)");
            annotation.putObject("datasource").put("type", "grafana").put("uid", "-- Grafana --");
            ArrayNode vars = json.putObject("templating").putArray("list");
            ObjectNode ds = vars.addObject();
            ds.put("name", "datasource")
                    .put("label", "Data source")
                    .put("type", "datasource")
                    .put("query", plugin())
                    .put("refresh", 1)
                    .put("hide", 0)
                    .put("regex", "");
            ds.putObject("current");
            ds.putArray("options");
            if (datasource == Datasource.TIMESTREAM) {
                textbox(vars, "database", "Timestream database", database);
                textbox(vars, "table", "Timestream table", table);
            }
            panels = json.putArray("panels");
        }

        void add(ObjectNode panel, int w, int h) {
            if (x + w > 24) {
                x = 0;
                y += rowHeight;
                rowHeight = 0;
            }
            panel.put("id", nextId++);
            panel.putObject("gridPos").put("h", h).put("w", w).put("x", x).put("y", y);
            x += w;
            rowHeight = Math.max(rowHeight, h);
            panels.add(panel);
        }
    }

    private static void textbox(ArrayNode vars, String name, String label, String value) {
        ObjectNode v = vars.addObject();
        v.put("name", name)
                .put("label", label)
                .put("type", "textbox")
                .put("query", value)
                .put("hide", 0);
        v.putObject("current").put("text", value).put("value", value);
        v.putArray("options")
                .addObject()
                .put("selected", true)
                .put("text", value)
                .put("value", value);
    }

    private ObjectNode panel(String type, String title, String description) {
        ObjectNode p = JSON.createObjectNode();
        p.put("type", type).put("title", title).put("description", description);
        p.set("datasource", dsRef());
        ObjectNode defaults = p.putObject("fieldConfig").putObject("defaults");
        defaults.putObject("custom");
        ((ObjectNode) p.get("fieldConfig")).putArray("overrides");
        return p;
    }

    private ObjectNode timeseries(String title, String description, String unit, boolean bars) {
        ObjectNode p = panel("timeseries", title, description);
        ObjectNode defaults = (ObjectNode) p.get("fieldConfig").get("defaults");
        defaults.put("unit", unit);
        ObjectNode custom = (ObjectNode) defaults.get("custom");
        custom.put("drawStyle", bars ? "bars" : "line")
                .put("fillOpacity", bars ? 60 : 0)
                .put("lineWidth", 1)
                .put("spanNulls", true)
                .put("showPoints", "auto");
        if (bars) {
            custom.putObject("stacking").put("mode", "normal").put("group", "A");
        }
        p.putObject("options")
                .putObject("legend")
                .put("displayMode", "list")
                .put("placement", "bottom")
                .put("showLegend", true);
        ((ObjectNode) p.get("options"))
                .putObject("tooltip")
                .put("mode", "multi")
                .put("sort", "none");
        return p;
    }

    private ObjectNode table(String title, String description, String query) {
        ObjectNode p = panel("table", title, description);
        p.set("targets", targets(target("A", query, false)));
        return p;
    }

    private static void thresholds(ObjectNode panel, String style, ObjectNode... steps) {
        ObjectNode defaults = (ObjectNode) panel.get("fieldConfig").get("defaults");
        ObjectNode t = defaults.putObject("thresholds");
        t.put("mode", "absolute");
        ArrayNode a = t.putArray("steps");
        for (ObjectNode s : steps) {
            a.add(s);
        }
        ((ObjectNode) defaults.get("custom")).putObject("thresholdsStyle").put("mode", style);
    }

    private static ObjectNode step(String color, Double value) {
        ObjectNode s = JSON.createObjectNode().put("color", color);
        if (value == null) {
            s.putNull("value");
        } else {
            s.put("value", value);
        }
        return s;
    }

    private ArrayNode targets(ObjectNode... targets) {
        ArrayNode a = JSON.createArrayNode();
        for (ObjectNode t : targets) {
            a.add(t);
        }
        return a;
    }

    private ObjectNode target(String refId, String query, boolean timeSeries) {
        ObjectNode t = JSON.createObjectNode().put("refId", refId);
        t.set("datasource", dsRef());
        if (datasource == Datasource.TIMESTREAM) {
            t.put("rawQuery", query).put("database", "${database}").put("table", "${table}");
        } else {
            t.put("rawSql", query).put("rawQuery", true).put("format", timeSeries ? "time_series" : "table");
        }
        return t;
    }

    private ObjectNode dsRef() {
        return JSON.createObjectNode().put("type", plugin()).put("uid", "${datasource}");
    }

    private String plugin() {
        return datasource == Datasource.TIMESTREAM ? TIMESTREAM_PLUGIN : INFLUXDB_PLUGIN;
    }

    /**
     * A stable Grafana uid of at most 40 characters: {@code fc-<ts|ix>-} plus the sanitized name, with a hash suffix
     * when the name had to be shortened or changed.
     */
    private String uid(String name) {
        String prefix = "fc-" + (datasource == Datasource.TIMESTREAM ? "ts" : "ix") + "-";
        String clean = name.replaceAll("[^A-Za-z0-9_-]", "_");
        if (clean.equals(name) && prefix.length() + clean.length() <= 40) {
            return prefix + clean;
        }
        String hash = sha1(name).substring(0, 8);
        return prefix + clean.substring(0, Math.min(clean.length(), 40 - prefix.length() - 9)) + "-" + hash;
    }

    private static String sha1(String s) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-1").digest(s.getBytes(StandardCharsets.UTF_8));
            StringBuilder sb = new StringBuilder();
            for (byte b : h) {
                sb.append(String.format("%02x", b));
            }
            return sb.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------------------------------------------- SQL

    private String measureIs(String measure) {
        return sql.col(MetricNames.MEASURE) + " = " + literal(measure) + " AND ";
    }

    private String compliance() {
        String good = "SUM(" + sql.col(MetricNames.GOOD) + ")";
        String bad = "SUM(" + sql.col(MetricNames.BAD) + ")";
        return "CAST(" + good + " AS DOUBLE) / NULLIF(" + good + " + " + bad + ", 0)";
    }

    private Duration smallest() {
        return Collections.min(measures.getAggregateWindows());
    }

    /** The smallest aggregate window as the sinks write it ({@link Duration#toString()}, e.g. PT1H). */
    private String smallestWindow() {
        return smallest().toString();
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /** PT72H -&gt; 3d, PT6H -&gt; 6h, PT5M -&gt; 5m, PT90S -&gt; 90s. */
    static String label(Duration d) {
        long s = d.getSeconds();
        if (s % 86_400 == 0) {
            return s / 86_400 + "d";
        }
        if (s % 3_600 == 0) {
            return s / 3_600 + "h";
        }
        return s % 60 == 0 ? s / 60 + "m" : s + "s";
    }

    private static String literal(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    private static String percent(double objective) {
        return round(objective * 100) + "%";
    }

    private static String round(double v) {
        String s = String.format(Locale.ROOT, "%.6f", v).replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    /** What differs between the Timestream and the InfluxDB 3 SQL of a query. */
    private interface Dialect {
        /** FROM clause of a record's rows, with a leading space. */
        String from(String record);

        /** Condition selecting a record's rows followed by AND, or empty. */
        String record(String record);

        String timeFilter();

        /** The time bucket of the panel's interval. */
        String bucket();

        /** A fixed time bucket. */
        String bucket(Duration width);

        String percentile(String column, double q);

        default String col(String name) {
            return "\"" + name + "\"";
        }

        default String alias(String name) {
            return "\"" + name.replace("\"", "") + "\"";
        }
    }

    /** Timestream for LiveAnalytics through the Grafana plugin: one table, the record name is measure_name. */
    private static final class TimestreamSql implements Dialect {
        @Override
        public String from(String record) {
            return " FROM \"$__database\".\"$__table\"";
        }

        @Override
        public String record(String record) {
            return "measure_name = " + literal(record) + " AND ";
        }

        @Override
        public String timeFilter() {
            return "$__timeFilter";
        }

        @Override
        public String bucket() {
            return "bin(time, $__interval_ms)";
        }

        @Override
        public String bucket(Duration width) {
            return "bin(time, parse_duration('" + width.getSeconds() + "s'))";
        }

        @Override
        public String percentile(String column, double q) {
            return "approx_percentile(" + col(column) + ", " + round(q) + ")";
        }
    }

    /** InfluxDB 3 SQL through Grafana's InfluxDB data source: the record name is the table. */
    private static final class InfluxSql implements Dialect {
        @Override
        public String from(String record) {
            return " FROM " + col(record);
        }

        @Override
        public String record(String record) {
            return "";
        }

        @Override
        public String timeFilter() {
            return "$__timeFilter(time)";
        }

        @Override
        public String bucket() {
            return "$__dateBin(time)";
        }

        @Override
        public String bucket(Duration width) {
            return "date_bin(INTERVAL '" + width.getSeconds() + " seconds', time, TIMESTAMP '1970-01-01T00:00:00Z')";
        }

        @Override
        public String percentile(String column, double q) {
            return "approx_percentile_cont(" + col(column) + ", " + round(q) + ")";
        }
    }
}
