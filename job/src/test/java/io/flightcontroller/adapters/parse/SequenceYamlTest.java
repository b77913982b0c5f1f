package io.flightcontroller.adapters.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flightcontroller.domain.measure.InvalidMeasureException;
import io.flightcontroller.domain.measure.MeasureDefinition;
import io.flightcontroller.domain.measure.MeasureKind;
import io.flightcontroller.domain.measure.MeasuresConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Kind {@code sequence} in the measures file: what it reads, and every error naming its line, measure and field. */
class SequenceYamlTest {

    static final String PROJECT = "measures:\n"
            + "  - name: project_lead_time\n" // 2
            + "    kind: sequence\n" // 3
            + "    steps:\n" // 4
            + "      - event: project_requested\n" // 5
            + "      - event: project_assigned\n" // 6
            + "        within: PT1H\n" // 7
            + "        measure: project_assigned_lead_time\n" // 8
            + "      - event: [project_created, project_imported]\n" // 9
            + "        within: P7D\n" // 10
            + "    within: P7D\n" // 11
            + "    slo: { threshold: P2D, objective: 0.95, window: P28D }\n";

    @Test
    void theIssuesExampleReadsAsOneSequenceWithItsStepsLimitsAndHopNames() {
        MeasureDefinition d = MeasuresYaml.parse(PROJECT).getMeasures().get(0);
        assertThat(d.getKind()).isEqualTo(MeasureKind.SEQUENCE);
        assertThat(d.getSteps()).hasSize(3);
        assertThat(d.getSteps().get(0).getTypes()).containsExactly("project_requested");
        assertThat(d.getSteps().get(2).getTypes()).containsExactly("project_created", "project_imported");
        assertThat(d.getSteps().get(1).getWithin()).isEqualTo(Duration.ofHours(1));
        assertThat(d.getSteps().get(0).getWithin()).isNull();
        assertThat(d.getWithin()).isEqualTo(Duration.ofDays(7));
        assertThat(d.getSlo().getThreshold()).isEqualTo(Duration.ofDays(2));
        assertThat(d.outputMeasures())
                .containsExactly("project_lead_time", "project_assigned_lead_time", "project_lead_time#3");
        assertThat(d.relevantTypes())
                .containsExactlyInAnyOrder(
                        "project_requested", "project_assigned", "project_created", "project_imported");
    }

    /** The file with line {@code line} (1-based) replaced by {@code text}. */
    static String with(int line, String text) {
        String[] lines = PROJECT.split("\n", -1);
        lines[line - 1] = text;
        return String.join("\n", lines);
    }

    static void refused(String yaml, int line, String field, String problem) {
        assertThatThrownBy(() -> MeasuresYaml.parse(yaml))
                .isInstanceOf(InvalidMeasureException.class)
                .hasMessageStartingWith("line " + line + ": measure 'project_lead_time', field '" + field + "': ")
                .hasMessageContaining(problem);
    }

    @Test
    void aLimitOrAMetricNameOnTheFirstStepIsRefused_noHopEndsThere() {
        refused(with(5, "      - {event: project_requested, within: PT1H}"), 5, "steps[0].within", "first step");
        refused(with(5, "      - {event: project_requested, measure: x}"), 5, "steps[0].measure", "first step");
    }

    @Test
    void aHopLimitLongerThanTheWholeSequencesIsRefused() {
        refused(with(10, "        within: P8D"), 10, "steps[2].within", "longer than the sequence's within");
    }

    @Test
    void anEventTypeMayMakeOneStepOnly() {
        refused(
                with(9, "      - event: [project_created, project_requested]"),
                9,
                "steps[2].event",
                "'project_requested' is also the event of step 1");
    }

    @Test
    void aSequenceNeedsTwoStepsEachWithAnEvent() {
        refused(
                PROJECT.replace(
                                "      - event: project_assigned\n        within: PT1H\n"
                                        + "        measure: project_assigned_lead_time\n",
                                "")
                        .replace("      - event: [project_created, project_imported]\n        within: P7D\n", ""),
                4,
                "steps",
                "at least two steps");
        refused(with(6, "      - measure_typo: project_assigned"), 6, "steps[1].measure_typo", "unknown field");
        refused(
                PROJECT.replace("      - event: project_assigned\n", "      - measure: assigned\n")
                        .replace("        measure: project_assigned_lead_time\n", ""),
                6,
                "steps[1].event",
                "is required");
    }

    @Test
    void fieldsOfOtherKindsAreRefusedOnASequence_andSequenceFieldsOnOtherKinds() {
        refused(with(11, "    timeout: P7D"), 11, "timeout", "use within");
        refused(with(11, "    start: project_requested"), 11, "start", "list the events in steps");
        assertThatThrownBy(() ->
                        MeasuresYaml.parse("measures:\n  - name: m\n    start: a\n    end: b\n" + "    within: PT1H\n"))
                .hasMessageStartingWith("line 5: measure 'm', field 'within': ")
                .hasMessageContaining("sequence only");
        assertThatThrownBy(() -> MeasuresYaml.parse(
                        "measures:\n  - name: m\n    start: a\n    end: b\n" + "    steps: [{event: a}, {event: b}]\n"))
                .hasMessageStartingWith("line 5: measure 'm', field 'steps'");
    }

    @Test
    void theSloThresholdMayNotExceedTheSequencesWithin() {
        refused(
                with(11, "    within: P1D").replace("        within: P7D\n", "        within: PT12H\n"),
                12,
                "slo.threshold",
                "greater than within");
    }

    @Test
    void hopNamesAreMeasureNames_validAndUniqueAcrossTheFile() {
        refused(with(8, "        measure: 'not a name'"), 8, "steps[1].measure", "must start with a letter");
        refused(with(8, "        measure: project_lead_time"), 8, "steps[1].measure", "another lead of this sequence");
        String clash = PROJECT + "  - name: project_assigned_lead_time\n    start: a\n    end: b\n";
        assertThatThrownBy(() -> MeasuresYaml.parse(clash))
                .isInstanceOf(InvalidMeasureException.class)
                .hasMessageContaining("'project_assigned_lead_time' is also the name of another measure");
    }

    @Test
    void limitsAreDurationsOfFixedLength() {
        refused(with(7, "        within: P1M"), 7, "steps[1].within", "months or years");
        refused(with(7, "        within: -PT1H"), 7, "steps[1].within", "positive");
    }

    @Test
    void theDefaultMeasuresFileDeclaresTheProjectProcessAsOneSequence() throws Exception {
        MeasuresConfig c;
        try (java.io.InputStream in = getClass().getResourceAsStream("/measures.yaml")) {
            c = MeasuresYaml.read(in);
        }
        MeasureDefinition d = c.getMeasures().get(c.indexOf("project_lead_time"));
        assertThat(d.getKind()).isEqualTo(MeasureKind.SEQUENCE);
        assertThat(d.getSteps())
                .extracting(s -> s.typesText())
                .containsExactly("project_requested", "project_assigned", "project_created");
        assertThat(d.hopMeasure(2)).isEqualTo("project_assigned_lead_time");
        assertThat(c.indexOf("project_assigned_lead_time"))
                .as("no lead_time measure of that name any more")
                .isEqualTo(-1);
    }
}
