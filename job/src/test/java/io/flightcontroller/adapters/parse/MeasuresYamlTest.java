package io.flightcontroller.adapters.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flightcontroller.domain.InvalidMeasureException;
import io.flightcontroller.domain.MeasureDefinition;
import io.flightcontroller.domain.MeasureKind;
import io.flightcontroller.domain.MeasuresConfig;
import java.io.InputStream;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class MeasuresYamlTest {

    @Test
    void theMinimumAUserWrites() {
        MeasuresConfig c = MeasuresYaml.parse("measures:\n  - name: project_lead_time\n    start: project_requested\n"
                + "    end: project_created\n    timeout: P7D\n");
        MeasureDefinition d = c.getMeasures().get(0);
        assertThat(d.getStart()).containsExactly("project_requested");
        assertThat(d.getTimeout()).isEqualTo(Duration.ofDays(7));
        assertThat(d.getKind()).isEqualTo(MeasureKind.LEAD_TIME);
        assertThat(c.getAggregateWindows()).containsExactly(Duration.ofHours(1), Duration.ofDays(1));
    }

    @Test
    void listsOfTypesAndAnSlo() {
        MeasureDefinition d = MeasuresYaml.parse("measures:\n  - name: m\n    start: [a, b]\n    end: [c]\n"
                + "    slo: {threshold: PT1H, objective: 0.95, window: P28D}\n").getMeasures().get(0);
        assertThat(d.getStart()).containsExactly("a", "b");
        assertThat(d.getSlo().getObjective()).isEqualTo(0.95);
        assertThat(d.getSlo().getBurnRateRules()).hasSize(3);
    }

    @Test
    void theShippedDefaultFileIsValid() throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/measures.yaml")) {
            MeasuresConfig c = MeasuresYaml.read(in);
            assertThat(c.indexOf("project_assigned_lead_time")).isGreaterThanOrEqualTo(0);
            assertThat(c.indexOf("project_lead_time")).isGreaterThanOrEqualTo(0);
        }
    }

    void invalid(String measures, String measure, String field) {
        assertThatThrownBy(() -> MeasuresYaml.parse("measures:\n" + measures))
                .isInstanceOf(InvalidMeasureException.class)
                .hasMessageContaining("'" + measure + "'").hasMessageContaining("'" + field + "'")
                .satisfies(e -> assertThat(((InvalidMeasureException) e).getField()).isEqualTo(field));
    }

    @Test
    void invalidFilesNameTheMeasureAndTheField() {
        invalid("  - name: m\n    end: b\n", "m", "start");
        invalid("  - name: m\n    start: a\n", "m", "end");
        invalid("  - name: m\n    start: a\n    end: b\n    timeout: 7 days\n", "m", "timeout");
        invalid("  - name: m\n    start: a\n    end: b\n    timeout: -PT1H\n", "m", "timeout");
        invalid("  - name: m\n    start: a\n    end: b\n    slo: {threshold: PT1H, objective: 1.5, window: P28D}\n",
                "m", "slo.objective");
        invalid("  - name: m\n    start: a\n    end: b\n    slo: {threshold: PT0S, objective: 0.9, window: P28D}\n",
                "m", "slo.threshold");
        invalid("  - name: m\n    start: a\n    end: b\n    slo: {threshold: P30D, objective: 0.9, window: P28D}\n",
                "m", "slo.window");
        invalid("  - name: m\n    start: a\n    end: b\n    strat: x\n", "m", "strat");
        invalid("  - name: m\n    start: a\n    end: b\n    key: [account]\n", "m", "key[0]");
        invalid("  - name: m\n    kind: value\n    events: x\n    expression: 1 +\n", "m", "expression");
        invalid("  - name: m\n    kind: lead\n    start: a\n    end: b\n", "m", "kind");
        invalid("  - start: a\n    end: b\n", "#1", "name");
        invalid("  - {name: m, start: a, end: b}\n  - {name: m, start: a, end: c}\n", "m", "name");
    }
}
