package io.flightcontroller.adapters.metrics;

import io.flightcontroller.adapters.parse.MeasuresYaml;
import io.flightcontroller.domain.Measurement;
import io.flightcontroller.domain.WindowAggregate;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

/** The shared record model: what a measurement and an aggregate become for Timestream and InfluxDB. */
class MetricPointsTest {
    private static final MetricPoints POINTS = MetricPoints.of(MeasuresYaml.parse(
            "measures:\n"
                    + "  - name: assign\n"
                    + "    process: support\n"
                    + "    start: opened\n"
                    + "    end: assigned\n"
                    + "    slo: {threshold: PT1H, objective: 0.9, window: P28D}\n"
                    + "  - name: reopened\n"
                    + "    kind: cycle_count\n"
                    + "    start: opened\n"
                    + "    end: reopened\n"));

    static Measurement leadTime() {
        Measurement m = new Measurement();
        m.setMeasure("assign");
        m.setKind("lead_time");
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
        assertThat(p.getDimensions()).containsExactly(entry("case_key", "case-1"), entry("correlation_id", "case-1"),
                entry("dim_good", "payload-good"), entry("dim_measure", "payload-measure"), entry("measure", "assign"),
                entry("process", "support"),
                entry("team", "blue"));
        assertThat(p.getFields()).containsExactly(entry("duration_ms", 3_600_000L), entry("good", true),
                entry("cycle", 2L), entry("late", false), entry("after_timeout", true));
    }

    @Test
    void countMeasurementWithoutSloOrCorrelationIdKeepsOnlyWhatApplies() {
        Measurement m = new Measurement();
        m.setMeasure("reopened");
        m.setKind("cycle_count");
        m.setCaseKey("k|x");
        m.setCycle(1);
        m.setEndMs(5L);
        m.setValue(3);
        m.setMaxValue(4.0);
        m.setLate(true);

        MetricPoint p = POINTS.fromMeasurement(m, 1L);

        assertThat(p.getName()).isEqualTo("cycle_count");
        assertThat(p.getDimensions()).containsExactly(entry("case_key", "k|x"), entry("measure", "reopened"),
                entry("process", "reopened")); // a measure without a process is its own process
        assertThat(p.getFields()).containsExactly(entry("value", 3.0), entry("cycle", 1L), entry("late", true),
                entry("after_timeout", false), entry("max_value", 4.0));
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
        assertThat(p.getDimensions()).containsExactly(entry("measure", "assign"), entry("process", "support"),
                entry("window", "PT1H"));
        assertThat(p.getFields()).containsExactly(entry("completed", 10L), entry("good", 9L), entry("bad", 1L),
                entry("compliance", 0.9), entry("p50", 1_000.0), entry("p90", 2_000.0));
    }

    @Test
    void pointNeedsAFieldAndAPositiveVersion() {
        assertThatThrownBy(() -> MetricPoint.builder("x", 0).build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one field");
        assertThatThrownBy(() -> MetricPoint.builder("x", 0).version(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MetricPoint.builder("", 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
