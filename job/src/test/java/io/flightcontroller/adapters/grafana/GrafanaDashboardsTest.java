package io.flightcontroller.adapters.grafana;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flightcontroller.adapters.grafana.GrafanaDashboards.Datasource;
import io.flightcontroller.adapters.metrics.MetricNames;
import io.flightcontroller.adapters.metrics.MetricPoint;
import io.flightcontroller.adapters.metrics.MetricPoints;
import io.flightcontroller.adapters.parse.MeasuresYaml;
import io.flightcontroller.domain.event.DeadLetter;
import io.flightcontroller.domain.measure.BurnRateRule;
import io.flightcontroller.domain.measure.MeasureDefinition;
import io.flightcontroller.domain.measure.MeasureKind;
import io.flightcontroller.domain.measure.MeasuresConfig;
import io.flightcontroller.domain.result.Alert;
import io.flightcontroller.domain.result.ErrorBudget;
import io.flightcontroller.domain.result.Measurement;
import io.flightcontroller.domain.result.OpenCase;
import io.flightcontroller.domain.result.Severity;
import io.flightcontroller.domain.result.WindowAggregate;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.util.TablesNamesFinder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The generated dashboards: valid Grafana dashboard models, every query parsed by a real SQL parser (JSqlParser) after
 * the data source's macros are replaced by what the plugins expand them to, every name a query uses one the metric
 * sinks write, every measure with its panels.
 */
class GrafanaDashboardsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final MeasuresConfig MEASURES = MeasuresYaml.parse("aggregate_windows: [PT15M, P1D]\n"
            + "measures:\n"
            + "  - name: deployment_approval_lead_time\n"
            + "    start: deployment_requested\n"
            + "    end: deployment_approved\n"
            + "    timeout: P2D\n"
            + "    dimensions: [environment]\n"
            + "    slo: { threshold: PT4H, objective: 0.95, window: P28D }\n"
            + "  - name: incident.ack-time\n"
            + "    start: opened\n"
            + "    end: acknowledged\n"
            + "    slo:\n"
            + "      threshold: PT10M\n"
            + "      objective: 0.99\n"
            + "      window: P7D\n"
            + "      burn_rate_alerts:\n"
            + "        - {severity: page, long_window: PT5M, short_window: PT1M, burn_rate: 10}\n"
            + "        - {severity: ticket, long_window: P1D, short_window: PT2H, burn_rate: 2}\n"
            + "  - name: a_measure_with_a_rather_long_name_for_a_grafana_uid\n"
            + "    start: a\n"
            + "    end: b\n"
            + "    timeout: PT1H\n"
            + "  - name: reopened_per_cycle\n"
            + "    kind: cycle_count\n"
            + "    start: opened\n"
            + "    end: reopened\n"
            + "  - name: patch_compliance_percent\n"
            + "    kind: value\n"
            + "    events: patch_run_summary\n"
            + "    expression: 100 * count(ok) / (count(ok) + count(failed))\n");
    private static final Pattern QUOTED = Pattern.compile("(AS\\s+)?\"([^\"]+)\"");
    private static final Set<String> PANEL_TYPES = new HashSet<>(List.of("timeseries", "table", "stat", "barchart"));

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Datasource.class)
    void everyFileIsAGrafanaDashboardModelWithADatasourceVariable(Datasource ds) throws Exception {
        List<Path> files = GrafanaDashboards.of(MEASURES, ds).write(dir);

        assertThat(files).hasSize(1 + MEASURES.getMeasures().size());
        Set<String> uids = new HashSet<>();
        for (Path f : files) {
            JsonNode d = JSON.readTree(f.toFile());
            String where = f.getFileName().toString();
            assertThat(d.path("schemaVersion").isInt()).as(where).isTrue();
            assertThat(d.path("schemaVersion").asInt()).as(where).isGreaterThanOrEqualTo(36);
            assertThat(d.path("title").asText()).as(where).isNotBlank();
            assertThat(d.path("uid").asText()).as(where).matches("[A-Za-z0-9_-]{1,40}");
            assertThat(uids.add(d.path("uid").asText()))
                    .as("unique uid " + where)
                    .isTrue();
            assertThat(d.path("tags").toString()).contains(GrafanaDashboards.TAG);
            JsonNode vars = d.path("templating").path("list");
            JsonNode dsVar = null;
            for (JsonNode v : vars) {
                if ("datasource".equals(v.path("type").asText())) {
                    dsVar = v;
                }
            }
            assertThat(dsVar).as(where + " datasource variable").isNotNull();
            assertThat(dsVar.path("name").asText()).isEqualTo("datasource");
            assertThat(dsVar.path("query").asText())
                    .isEqualTo(
                            ds == Datasource.TIMESTREAM
                                    ? GrafanaDashboards.TIMESTREAM_PLUGIN
                                    : GrafanaDashboards.INFLUXDB_PLUGIN);

            JsonNode panels = d.path("panels");
            assertThat(panels.size()).as(where).isGreaterThanOrEqualTo(2);
            Set<Integer> ids = new HashSet<>();
            List<int[]> boxes = new ArrayList<>();
            for (JsonNode p : panels) {
                String pw = where + " panel " + p.path("title").asText();
                assertThat(p.path("id").isInt()).as(pw).isTrue();
                assertThat(ids.add(p.path("id").asInt())).as(pw + " unique id").isTrue();
                assertThat(PANEL_TYPES).as(pw).contains(p.path("type").asText());
                JsonNode g = p.path("gridPos");
                int x = g.path("x").asInt(-1);
                int y = g.path("y").asInt(-1);
                int w = g.path("w").asInt(0);
                int h = g.path("h").asInt(0);
                assertThat(x).as(pw).isBetween(0, 23);
                assertThat(y).as(pw).isGreaterThanOrEqualTo(0);
                assertThat(w).as(pw).isBetween(1, 24 - x);
                assertThat(h).as(pw).isPositive();
                for (int[] o : boxes) {
                    boolean overlap = x < o[0] + o[2] && o[0] < x + w && y < o[1] + o[3] && o[1] < y + h;
                    assertThat(overlap).as(pw + " overlaps another panel").isFalse();
                }
                boxes.add(new int[] {x, y, w, h});
                assertThat(p.path("datasource").path("uid").asText()).as(pw).isEqualTo("${datasource}");
                assertThat(p.path("targets").size()).as(pw).isPositive();
                Set<String> refIds = new HashSet<>();
                for (JsonNode t : p.path("targets")) {
                    assertThat(refIds.add(t.path("refId").asText()))
                            .as(pw + " unique refId")
                            .isTrue();
                    assertThat(query(t, ds)).as(pw).startsWith("SELECT ");
                    if (ds == Datasource.TIMESTREAM) {
                        assertThat(t.path("database").asText()).isEqualTo("${database}");
                        assertThat(t.path("table").asText()).isEqualTo("${table}");
                    } else {
                        assertThat(t.path("format").asText()).isIn("table", "time_series");
                    }
                }
                if (p.has("fieldConfig")
                        && p.path("fieldConfig").path("defaults").has("thresholds")) {
                    JsonNode steps = p.path("fieldConfig")
                            .path("defaults")
                            .path("thresholds")
                            .path("steps");
                    assertThat(steps.get(0).path("value").isNull())
                            .as(pw + " base step")
                            .isTrue();
                }
            }
        }
    }

    @Test
    void everyTimestreamQueryParsesOnceTheMacrosAreExpanded() throws Exception {
        int n = 0;
        for (String q : queries(Datasource.TIMESTREAM)) {
            assertThat(q).contains("$__timeFilter").contains("\"$__database\".\"$__table\"");
            String sql = q.replace("$__database", "flight_controller")
                    .replace("$__table", "measurements")
                    // the plugin's own expansions (grafana/timestream-datasource pkg/timestream/macros.go); its
                    // $__interval_ms becomes a literal like 60000ms, written here as the equal parse_duration call
                    .replace(
                            "$__timeFilter",
                            "time BETWEEN from_milliseconds(1709251200000) AND from_milliseconds(1709856000000)")
                    .replace("$__interval_ms", "parse_duration('60000ms')");
            assertThat(sql).as(q).doesNotContain("$__").doesNotContain("${");
            Statement st = CCJSqlParserUtil.parse(sql);
            assertThat(st).as(q).isInstanceOf(Select.class);
            assertThat(new TablesNamesFinder<>().getTables(st))
                    .as(q)
                    .containsExactly("\"flight_controller\".\"measurements\"");
            assertThat(sql).containsPattern("measure_name = '(" + String.join("|", records()) + ")'");
            n++;
        }
        assertThat(n).isGreaterThan(20);
    }

    @Test
    void everyInfluxDbQueryParsesOnceTheMacrosAreExpanded() throws Exception {
        int n = 0;
        for (String q : queries(Datasource.INFLUXDB)) {
            assertThat(q).contains("$__timeFilter(time)");
            String sql = q
                    // Grafana's FlightSQL macros (pkg/tsdb/influxdb/fsql/macro.go and the SDK's sqlutil)
                    .replace("$__timeFilter(time)", "time >= '2024-03-01T00:00:00Z' AND time <= '2024-03-08T00:00:00Z'")
                    .replace(
                            "$__dateBin(time)",
                            "date_bin(interval '60 second', time, timestamp '1970-01-01T00:00:00Z')");
            assertThat(sql).as(q).doesNotContain("$__").doesNotContain("${");
            Statement st = CCJSqlParserUtil.parse(sql);
            assertThat(st).as(q).isInstanceOf(Select.class);
            Set<String> tables = new TreeSet<>();
            for (String t : new TablesNamesFinder<>().getTables(st)) {
                tables.add(t.replace("\"", ""));
            }
            assertThat(records()).as(q).containsAll(tables);
            assertThat(tables).as(q).hasSize(1);
            n++;
        }
        assertThat(n).isGreaterThan(20);
    }

    @ParameterizedTest
    @EnumSource(Datasource.class)
    void everyNameAQueryUsesIsOneTheMetricSinksWrite(Datasource ds) {
        Set<String> written = writtenNames();
        for (String q : queries(ds)) {
            Matcher m = QUOTED.matcher(q);
            while (m.find()) {
                String name = m.group(2);
                if (m.group(1) != null || name.startsWith("$__")) {
                    continue; // an alias the query defines, or the Timestream database / table macro
                }
                assertThat(written).as("name " + name + " in " + q).contains(name);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Datasource.class)
    void everyMeasureHasItsPanels(Datasource ds) {
        Map<String, ObjectNode> boards = GrafanaDashboards.of(MEASURES, ds).build();
        for (MeasureDefinition d : MEASURES.getMeasures()) {
            JsonNode board = boards.get(GrafanaDashboards.measureFile(d.getName()));
            assertThat(board).as(d.getName()).isNotNull();
            String selects = "\"measure\" = '" + d.getName() + "'";
            List<String> titles = new ArrayList<>();
            for (JsonNode p : board.path("panels")) {
                titles.add(p.path("title").asText());
                for (JsonNode t : p.path("targets")) {
                    assertThat(query(t, ds))
                            .as(d.getName() + " / " + p.path("title").asText())
                            .contains(selects);
                }
            }
            boolean lead = d.getKind() == io.flightcontroller.domain.measure.MeasureKind.LEAD_TIME;
            assertThat(titles).as(d.getName()).contains((lead ? "Lead time" : "Value") + " p50 / p90 / p95");
            JsonNode pct = panel(board, (lead ? "Lead time" : "Value") + " p50 / p90 / p95");
            assertThat(query(pct.path("targets").get(0), ds))
                    .contains("AS p50")
                    .contains("AS p90")
                    .contains("AS p95");
            if (d.getSlo() != null) {
                assertThat(titles)
                        .anyMatch(t -> t.startsWith("SLO compliance vs objective"))
                        .anyMatch(t -> t.startsWith("Error budget remaining"))
                        .contains("Burn rate vs alert thresholds", "Alerts per kind", "Open cases");
                assertThat(thresholdValues(pct))
                        .containsExactly(d.getSlo().getThreshold().getSeconds() * 1.0);
                JsonNode comp = board.path("panels")
                        .get(titles.indexOf(titles.stream()
                                .filter(t -> t.startsWith("SLO compliance"))
                                .findFirst()
                                .get()));
                assertThat(thresholdValues(comp)).containsExactly(d.getSlo().getObjective());
                Set<Double> rules = new TreeSet<>();
                Set<Long> windows = new TreeSet<>();
                for (BurnRateRule r : d.getSlo().getBurnRateRules()) {
                    rules.add(r.getBurnRate());
                    windows.add(Math.max(r.getLongWindow().getSeconds(), 15 * 60L));
                }
                JsonNode burn = panel(board, "Burn rate vs alert thresholds");
                assertThat(thresholdValues(burn)).containsExactlyElementsOf(rules);
                assertThat(burn.path("targets").size()).isEqualTo(windows.size());
                assertThat(panel(board, "Alerts per kind")
                                .path("targets")
                                .get(0)
                                .toString())
                        .contains("'BREACH'", "'TIMEOUT'", "'BURN_RATE_FIRING'", "'BURN_RATE_RESOLVED'");
            } else {
                assertThat(titles).noneMatch(t -> t.startsWith("SLO compliance") || t.startsWith("Burn rate"));
                if (d.getTimeout() != null) {
                    assertThat(titles).contains("Alerts per kind (timeouts)");
                }
            }
        }
        JsonNode overview = boards.get(GrafanaDashboards.OVERVIEW_FILE);
        List<String> titles = new ArrayList<>();
        overview.path("panels").forEach(p -> titles.add(p.path("title").asText()));
        assertThat(titles)
                .contains(
                        "Alerts per kind, all measures",
                        "Open cases per measure",
                        "Dead letters by reason",
                        "Dead letters over time",
                        "SLO compliance per measure over the range");
    }

    @Test
    void burnRateBinsFollowTheRulesLongWindowsButNeverUndercutTheSmallestAggregate() {
        JsonNode board = GrafanaDashboards.of(MEASURES, Datasource.TIMESTREAM)
                .build()
                .get(GrafanaDashboards.measureFile("incident.ack-time"));
        JsonNode burn = panel(board, "Burn rate vs alert thresholds");
        // rules of 5 minutes and 1 day over 15-minute aggregates: bins of 15 minutes and 1 day, objective 0.99
        assertThat(burn.path("targets").get(0).path("rawQuery").asText())
                .contains("bin(time, parse_duration('900s'))")
                .contains("/ 0.01 AS \"burn rate 15m\"")
                .contains("\"window\" = 'PT15M'");
        assertThat(burn.path("targets").get(1).path("rawQuery").asText())
                .contains("bin(time, parse_duration('86400s'))");
    }

    @Test
    void uidsStayWithinGrafanasFortyCharactersAndApart() {
        Map<String, ObjectNode> boards =
                GrafanaDashboards.of(MEASURES, Datasource.INFLUXDB).build();
        String uid = boards.get(GrafanaDashboards.measureFile("a_measure_with_a_rather_long_name_for_a_grafana_uid"))
                .path("uid")
                .asText();
        assertThat(uid).hasSizeLessThanOrEqualTo(40).startsWith("fc-ix-a_measure_with");
        assertThat(boards.get(GrafanaDashboards.measureFile("incident.ack-time"))
                        .path("uid")
                        .asText())
                .matches("fc-ix-incident_ack-time-[0-9a-f]{8}");
    }

    @Test
    void anUnknownDatasourceIsRefusedByName() {
        assertThatThrownBy(() -> Datasource.parse("prometheus"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--datasource")
                .hasMessageContaining("prometheus");
    }

    // -------------------------------------------------------------------------------------------------- helpers

    private static List<String> queries(Datasource ds) {
        List<String> out = new ArrayList<>();
        for (ObjectNode board : GrafanaDashboards.of(MEASURES, ds).build().values()) {
            for (JsonNode p : board.path("panels")) {
                for (JsonNode t : p.path("targets")) {
                    out.add(query(t, ds));
                }
            }
        }
        return out;
    }

    private static String query(JsonNode target, Datasource ds) {
        return target.path(ds == Datasource.TIMESTREAM ? "rawQuery" : "rawSql").asText();
    }

    private static JsonNode panel(JsonNode board, String title) {
        for (JsonNode p : board.path("panels")) {
            if (title.equals(p.path("title").asText())) {
                return p;
            }
        }
        throw new AssertionError("no panel " + title);
    }

    private static List<Double> thresholdValues(JsonNode panel) {
        List<Double> v = new ArrayList<>();
        for (JsonNode s :
                panel.path("fieldConfig").path("defaults").path("thresholds").path("steps")) {
            if (!s.path("value").isNull()) {
                v.add(s.path("value").asDouble());
            }
        }
        return v;
    }

    private static Set<String> records() {
        Set<String> r = new TreeSet<>();
        for (io.flightcontroller.domain.measure.MeasureKind k :
                io.flightcontroller.domain.measure.MeasureKind.values()) {
            r.add(MetricNames.measurementRecord(k));
        }
        r.addAll(List.of(
                MetricNames.WINDOW_AGGREGATE,
                MetricNames.ERROR_BUDGET,
                MetricNames.ALERT,
                MetricNames.OPEN_CASE,
                MetricNames.DEAD_LETTER));
        return r;
    }

    /** Record, dimension and field names of points the sinks' mapper produces for every kind of output. */
    private static Set<String> writtenNames() {
        MetricPoints points = MetricPoints.of(MEASURES);
        List<MetricPoint> all = new ArrayList<>();
        for (String kind : List.of("lead_time", "cycle_count", "value")) {
            Measurement m = new Measurement();
            m.setMeasure("deployment_approval_lead_time");
            m.setKind(MeasureKind.parse(kind));
            m.setCaseKey("k");
            m.setCorrelationId("c");
            m.setEndMs(1L);
            m.setValue(1.0);
            m.setGood(true);
            m.setMaxValue(2.0);
            all.add(points.fromMeasurement(m, 1L));
        }
        WindowAggregate a = new WindowAggregate();
        a.setMeasure("deployment_approval_lead_time");
        a.setWindow("PT15M");
        a.setCompliance(1.0);
        a.setP50(1.0);
        all.add(points.fromAggregate(a, 1L));
        all.add(points.fromErrorBudget(
                ErrorBudget.of(
                        "deployment_approval_lead_time",
                        1L,
                        MEASURES.getMeasures().get(0).getSlo(),
                        9,
                        1),
                1L));
        Alert alert = new Alert();
        alert.setKind(Alert.Kind.BREACH);
        alert.setMeasure("deployment_approval_lead_time");
        alert.setSeverity(Severity.TICKET);
        alert.setCaseKey("k");
        alert.setObservedLeadMs(5L);
        alert.setBurnRate(1.0);
        alert.setWindow("PT1H/PT5M");
        all.add(points.fromAlert(alert, 1L));
        all.add(points.fromOpenCase(OpenCase.of("deployment_approval_lead_time", "k", "c", 1L, 2L), 1L));
        DeadLetter dl = DeadLetter.of("parse", DeadLetter.REASON_LATE, "late", "{}");
        all.add(points.fromDeadLetter(dl, 1L, 1L));
        Set<String> names = new HashSet<>();
        for (MetricPoint p : all) {
            names.add(p.getName());
            names.addAll(p.getDimensions().keySet());
            names.addAll(p.getFields().keySet());
        }
        return names;
    }
}
