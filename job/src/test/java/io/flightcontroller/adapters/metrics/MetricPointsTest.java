package io.flightcontroller.adapters.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.within;

import io.flightcontroller.adapters.parse.MeasuresYaml;
import io.flightcontroller.domain.measure.MeasureKind;
import io.flightcontroller.domain.result.Measurement;
import io.flightcontroller.domain.result.Severity;
import io.flightcontroller.domain.result.WindowAggregate;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The shared record model: what a measurement and an aggregate become for Timestream and InfluxDB. */
class MetricPointsTest {
    private static final MetricPoints POINTS = MetricPoints.of(MeasuresYaml.parse("measures:\n"
            + "  - name: assign\n"
            + "    process: support\n"
            + "    start: opened\n"
            + "    end: assigned\n"
            + "    slo: {threshold: PT1H, objective: 0.9, window: P28D}\n"
            + "  - name: reopened\n"
            + "    kind: cycle_count\n"
            + "    start: opened\n"
            + "    end: reopened\n"));
    private static final io.flightcontroller.domain.measure.Slo POINTS_SLO = MeasuresYaml.parse(
                    "measures:\n  - name: assign\n    start: opened\n    end: assigned\n"
                            + "    slo: {threshold: PT1H, objective: 0.9, window: P28D}\n")
            .getMeasures()
            .get(0)
            .getSlo();

    static Measurement leadTime() {
        Measurement m = new Measurement();
        m.setMeasure("assign");
        m.setKind(MeasureKind.LEAD_TIME);
        m.setCaseKey("case-1");
        m.setCorrelationId("case-1");
        m.setCycle(2);
        m.setStartMs(1_000L);
        m.setEndMs(3_601_000L);
        m.setValue(3_600_000.0);
        m.setGood(true);
        m.setAfterTimeout(true);
        Map<String, String> dims = new LinkedHashMap<>();
        dims.put("team", "blue");
        dims.put("measure", "payload-measure");
        dims.put("good", "payload-good");
        dims.put("empty", "");
        m.setDimensions(dims);
        return m;
    }

    @Test
    void leadTimeMeasurementBecomesALeadTimePointAtTheEndEventTime() {
        MetricPoint p = POINTS.fromMeasurement(leadTime(), 42L);

        assertThat(p.getName()).isEqualTo("lead_time");
        assertThat(p.getTimeMs()).isEqualTo(3_601_000L);
        assertThat(p.getVersion()).isEqualTo(42L);
        assertThat(p.getDimensions())
                .containsExactly(
                        entry("case_key", "case-1"),
                        entry("correlation_id", "case-1"),
                        entry("dim_good", "payload-good"),
                        entry("dim_measure", "payload-measure"),
                        entry("measure", "assign"),
                        entry("process", "support"),
                        entry("team", "blue"));
        assertThat(p.getFields())
                .containsExactly(
                        entry("duration_ms", 3_600_000L),
                        entry("good", true),
                        entry("cycle", 2L),
                        entry("late", false),
                        entry("after_timeout", true));
    }

    @Test
    void countMeasurementWithoutSloOrCorrelationIdKeepsOnlyWhatApplies() {
        Measurement m = new Measurement();
        m.setMeasure("reopened");
        m.setKind(MeasureKind.CYCLE_COUNT);
        m.setCaseKey("k|x");
        m.setCycle(1);
        m.setEndMs(5L);
        m.setValue(3);
        m.setMaxValue(4.0);
        m.setLate(true);

        MetricPoint p = POINTS.fromMeasurement(m, 1L);

        assertThat(p.getName()).isEqualTo("cycle_count");
        assertThat(p.getDimensions())
                .containsExactly(
                        entry("case_key", "k|x"),
                        entry("measure", "reopened"),
                        entry("process", "reopened")); // a measure without a process is its own process
        assertThat(p.getFields())
                .containsExactly(
                        entry("value", 3.0),
                        entry("cycle", 1L),
                        entry("late", true),
                        entry("after_timeout", false),
                        entry("max_value", 4.0));
    }

    @Test
    void aggregateBecomesAWindowAggregatePointAtTheWindowEnd() {
        WindowAggregate a = new WindowAggregate();
        a.setMeasure("assign");
        a.setWindow("PT1H");
        a.setWindowStartMs(0L);
        a.setWindowEndMs(3_600_000L);
        a.setCompleted(10);
        a.setGood(9);
        a.setBad(1);
        a.setCompliance(0.9);
        a.setP50(1_000.0);
        a.setP90(2_000.0);
        a.setP95(Double.NaN);

        MetricPoint p = POINTS.fromAggregate(a, 7L);

        assertThat(p.getName()).isEqualTo(MetricPoints.AGGREGATE_NAME);
        assertThat(p.getTimeMs()).isEqualTo(3_600_000L);
        assertThat(p.getDimensions())
                .containsExactly(entry("measure", "assign"), entry("process", "support"), entry("window", "PT1H"));
        assertThat(p.getFields())
                .containsExactly(
                        entry("completed", 10L),
                        entry("good", 9L),
                        entry("bad", 1L),
                        entry("compliance", 0.9),
                        entry("p50", 1_000.0),
                        entry("p90", 2_000.0));
    }

    @Test
    void errorBudgetBecomesAnErrorBudgetPointThatCanGoNegative() {
        io.flightcontroller.domain.result.ErrorBudget b =
                io.flightcontroller.domain.result.ErrorBudget.of("assign", 7_200_000L, POINTS_SLO, 80, 20);

        MetricPoint p = POINTS.fromErrorBudget(b, 3L);

        assertThat(p.getName()).isEqualTo(MetricNames.ERROR_BUDGET);
        assertThat(p.getTimeMs()).isEqualTo(7_200_000L);
        assertThat(p.getDimensions())
                .containsExactly(entry("measure", "assign"), entry("process", "support"), entry("window", "PT672H"));
        // budget = (1 - 0.9) x 100 = 10 bad allowed, 20 spent: remaining 1 - 20/10 = -1, burn rate 0.2/0.1 = 2
        assertThat(p.getFields())
                .containsOnlyKeys("events", "good", "bad", "budget", "remaining_fraction", "burn_rate");
        assertThat((Double) p.getFields().get("remaining_fraction")).isCloseTo(-1.0, within(1e-9));
        assertThat((Double) p.getFields().get("burn_rate")).isCloseTo(2.0, within(1e-9));
        assertThat(p.getFields().get("events")).isEqualTo(100L);
    }

    @Test
    void breachAndBurnRateAlertsBecomeAlertPointsKeptApartByCaseOrRule() {
        io.flightcontroller.domain.result.Alert breach = new io.flightcontroller.domain.result.Alert();
        breach.setKind(io.flightcontroller.domain.result.Alert.Kind.BREACH);
        breach.setSeverity(Severity.INFO);
        breach.setMeasure("assign");
        breach.setCaseKey("case-1");
        breach.setStartMs(0L);
        breach.setDeadlineMs(3_600_000L);
        breach.setObservedLeadMs(3_600_000L);
        breach.setObjective(0.9);
        io.flightcontroller.domain.result.Alert burn = new io.flightcontroller.domain.result.Alert();
        burn.setKind(io.flightcontroller.domain.result.Alert.Kind.BURN_RATE_FIRING);
        burn.setSeverity(Severity.PAGE);
        burn.setMeasure("assign");
        burn.setDeadlineMs(3_600_000L);
        burn.setBurnRate(15.0);
        burn.setWindow("PT1H/PT5M");

        MetricPoint b = POINTS.fromAlert(breach, 1L);
        MetricPoint f = POINTS.fromAlert(burn, 1L);

        assertThat(b.getName()).isEqualTo(MetricNames.ALERT);
        assertThat(b.getTimeMs()).isEqualTo(3_600_000L);
        assertThat(b.getDimensions())
                .containsExactly(
                        entry("case_key", "case-1"),
                        entry("kind", "BREACH"),
                        entry("measure", "assign"),
                        entry("process", "support"),
                        entry("severity", "info"));
        assertThat(b.getFields())
                .containsExactly(entry("count", 1L), entry("objective", 0.9), entry("observed_lead_ms", 3_600_000L));
        assertThat(f.getDimensions())
                .containsEntry("kind", "BURN_RATE_FIRING")
                .containsEntry("window", "PT1H/PT5M")
                .doesNotContainKey("case_key");
        assertThat(f.getFields()).containsEntry("burn_rate", 15.0);
    }

    @Test
    void openCaseIsWrittenAtTheEndOfTheInputWithItsAge() {
        io.flightcontroller.domain.result.OpenCase o =
                io.flightcontroller.domain.result.OpenCase.of("assign", "case-9", null, 1_000L, 59_000L);

        MetricPoint p = POINTS.fromOpenCase(o, 1L);

        assertThat(p.getName()).isEqualTo(MetricNames.OPEN_CASE);
        assertThat(p.getTimeMs()).isEqualTo(60_000L);
        assertThat(p.getDimensions())
                .containsExactly(entry("case_key", "case-9"), entry("measure", "assign"), entry("process", "support"));
        assertThat(p.getFields()).containsExactly(entry("age_ms", 59_000L));
    }

    @Test
    void deadLetterIsWrittenAtItsEventTimeOrElseTheFallbackTime() {
        io.flightcontroller.domain.event.DeadLetter late =
                io.flightcontroller.domain.event.DeadLetter.of("dedup", "late", "behind the watermark", "{\"a\":1}");
        late.setEventTimeMs(5_000L);
        io.flightcontroller.domain.event.DeadLetter notJson =
                io.flightcontroller.domain.event.DeadLetter.of("parse", "not_json", "not JSON", "garbage");
        io.flightcontroller.domain.event.DeadLetter otherNotJson =
                io.flightcontroller.domain.event.DeadLetter.of("parse", "not_json", "not JSON", "other garbage");

        MetricPoint l = POINTS.fromDeadLetter(late, 99_000L, 1L);
        MetricPoint n = POINTS.fromDeadLetter(notJson, 99_000L, 1L);
        MetricPoint o = POINTS.fromDeadLetter(otherNotJson, 99_000L, 1L);

        assertThat(l.getName()).isEqualTo(MetricNames.DEAD_LETTER);
        assertThat(l.getTimeMs()).isEqualTo(5_000L);
        assertThat(l.getDimensions()).containsEntry("reason", "late").containsEntry("stage", "dedup");
        assertThat(l.getFields()).containsExactly(entry("count", 1L));
        assertThat(n.getTimeMs()).isEqualTo(99_000L);
        // two dead letters of one reason at one instant stay two records
        assertThat(n.getDimensions().get("dead_letter_id"))
                .hasSize(16)
                .isNotEqualTo(o.getDimensions().get("dead_letter_id"));
    }

    @Test
    void pointNeedsAFieldAndAPositiveVersion() {
        assertThatThrownBy(() -> MetricPoint.builder("x", 0).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one field");
        assertThatThrownBy(() -> MetricPoint.builder("x", 0).version(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MetricPoint.builder("", 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
