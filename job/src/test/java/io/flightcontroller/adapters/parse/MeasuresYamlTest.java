package io.flightcontroller.adapters.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flightcontroller.domain.measure.InvalidMeasureException;
import io.flightcontroller.domain.measure.MeasureDefinition;
import io.flightcontroller.domain.measure.MeasureKind;
import io.flightcontroller.domain.measure.MeasuresConfig;
import io.flightcontroller.testing.LoopbackServers;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
                        + "    slo: {threshold: PT1H, objective: 0.95, window: P28D}\n")
                .getMeasures()
                .get(0);
        assertThat(d.getStart()).containsExactly("a", "b");
        assertThat(d.getSlo().getObjective()).isEqualTo(0.95);
        assertThat(d.getSlo().getBurnRateRules()).hasSize(3);
    }

    @Test
    void theShippedDefaultFileIsValid() throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/measures.yaml")) {
            MeasuresConfig c = MeasuresYaml.read(in);
            // the seed's project process is one sequence; its first hop keeps the name project_assigned_lead_time
            MeasureDefinition project = c.getMeasures().get(c.indexOf("project_lead_time"));
            assertThat(project.getKind()).isEqualTo(MeasureKind.SEQUENCE);
            assertThat(project.outputMeasures())
                    .containsExactly("project_lead_time", "project_assigned_lead_time", "project_lead_time#3");
        }
    }

    void invalid(String measures, String measure, String field) {
        assertThatThrownBy(() -> MeasuresYaml.parse("measures:\n" + measures))
                .isInstanceOf(InvalidMeasureException.class)
                .hasMessageContaining("'" + measure + "'")
                .hasMessageContaining("'" + field + "'")
                .satisfies(e ->
                        assertThat(((InvalidMeasureException) e).getField()).isEqualTo(field));
    }

    @Test
    void invalidFilesNameTheMeasureAndTheField() {
        invalid("  - name: m\n    end: b\n", "m", "start");
        invalid("  - name: m\n    start: a\n", "m", "end");
        invalid("  - name: m\n    start: a\n    end: b\n    timeout: 7 days\n", "m", "timeout");
        invalid("  - name: m\n    start: a\n    end: b\n    timeout: -PT1H\n", "m", "timeout");
        invalid(
                "  - name: m\n    start: a\n    end: b\n    slo: {threshold: PT1H, objective: 1.5, window: P28D}\n",
                "m",
                "slo.objective");
        invalid(
                "  - name: m\n    start: a\n    end: b\n    slo: {threshold: PT0S, objective: 0.9, window: P28D}\n",
                "m",
                "slo.threshold");
        invalid(
                "  - name: m\n    start: a\n    end: b\n    slo: {threshold: P30D, objective: 0.9, window: P28D}\n",
                "m",
                "slo.window");
        invalid("  - name: m\n    start: a\n    end: b\n    strat: x\n", "m", "strat");
        invalid("  - name: m\n    start: a\n    end: b\n    key: [account]\n", "m", "key[0]");
        invalid("  - name: m\n    kind: value\n    events: x\n    expression: 1 +\n", "m", "expression");
        invalid("  - name: m\n    kind: lead\n    start: a\n    end: b\n", "m", "kind");
        invalid("  - start: a\n    end: b\n", "#1", "name");
        invalid("  - {name: m, start: a, end: b}\n  - {name: m, start: a, end: c}\n", "m", "name");
    }

    static final String M = "measures:\n  - name: m\n    start: a\n    end: b\n";

    /** The error of an invalid file, whose offending line is marked {@code #<}; asserts the line is named. */
    static InvalidMeasureException errorAtMarkedLine(String yaml) {
        List<String> lines = Arrays.asList(yaml.split("\n", -1));
        int marked = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains("#<")) {
                marked = i + 1;
            }
        }
        assertThat(marked).as("test YAML marks its offending line with #<").isPositive();
        InvalidMeasureException e = null;
        try {
            MeasuresYaml.parse(yaml);
        } catch (InvalidMeasureException x) {
            e = x;
        }
        assertThat(e).as("error for:%n%s", yaml).isNotNull();
        assertThat(e.getLine()).as(e.getMessage()).isEqualTo(marked);
        assertThat(e.getMessage()).startsWith("line " + marked + ": measure '");
        return e;
    }

    @Test
    void aSecondTopLevelMeasuresKeyIsAnErrorNotADroppedList() {
        InvalidMeasureException e = errorAtMarkedLine("measures:\n  - {name: first, start: a, end: b}\n"
                + "measures:   #<\n  - {name: second, start: a, end: b}\n");
        assertThat(e.getField()).isEqualTo("measures");
        assertThat(e.getMessage()).contains("duplicate key 'measures' (first at line 1)");
    }

    @Test
    void aDuplicateKeyInsideAMeasureIsAnError() {
        InvalidMeasureException e = errorAtMarkedLine(M + "    end: c   #<\n");
        assertThat(e.getMeasure()).isEqualTo("m");
        assertThat(e.getField()).isEqualTo("end");
        assertThat(e.getMessage()).contains("duplicate key 'end' (first at line 4)");
    }

    @Test
    void aDuplicateKeyAnywhereIsAnErrorWithItsDottedPath() {
        assertThat(errorAtMarkedLine(
                                M + "    slo: {threshold: PT1H, objective: 0.9, window: P28D, threshold: PT2H} #<\n")
                        .getField())
                .isEqualTo("slo.threshold");
        assertThat(errorAtMarkedLine(M + "    slo:\n      threshold: PT1H\n      objective: 0.9\n      window: P28D\n"
                                + "      burn_rate_alerts:\n        - long_window: PT1H\n          short_window: PT5M\n"
                                + "          burn_rate: 14.4\n          short_window: PT10M   #<\n")
                        .getField())
                .isEqualTo("slo.burn_rate_alerts[0].short_window");
        assertThat(errorAtMarkedLine("aggregate_windows: [PT1H]\naggregate_windows: [P1D] #<\n" + M)
                        .getField())
                .isEqualTo("aggregate_windows");
    }

    @Test
    void anEmptyTimeoutIsAnError() {
        InvalidMeasureException e = errorAtMarkedLine(M + "    timeout:   #<\n");
        assertThat(e.getMeasure()).isEqualTo("m");
        assertThat(e.getField()).isEqualTo("timeout");
        assertThat(e.getMessage()).contains("has no value");
        assertThat(errorAtMarkedLine(M + "    timeout: ~   #<\n").getField()).isEqualTo("timeout");
    }

    @Test
    void aRepeatedTimeoutIsAnError() {
        InvalidMeasureException e = errorAtMarkedLine(M + "    timeout: P7D\n    timeout: P1D   #<\n");
        assertThat(e.getField()).isEqualTo("timeout");
        assertThat(e.getMessage()).contains("duplicate key 'timeout' (first at line 5)");
        // an empty repeat used to remove the limit
        assertThat(errorAtMarkedLine(M + "    timeout: P7D\n    timeout:   #<\n")
                        .getMessage())
                .contains("duplicate key 'timeout'");
    }

    @Test
    void anEmptyValueOrAnEmptyListWhereOneIsNeededIsAnError() {
        assertThat(errorAtMarkedLine("measures:\n  - name: m\n    start:   #<\n    end: b\n")
                        .getField())
                .isEqualTo("start");
        assertThat(errorAtMarkedLine("measures:\n  - name: m\n    start: []   #<\n    end: b\n")
                        .getMessage())
                .contains("field 'start'")
                .contains("needs at least one event type");
        assertThat(errorAtMarkedLine(M + "    slo:   #<\n").getField()).isEqualTo("slo");
        InvalidMeasureException noName = errorAtMarkedLine("measures:\n  - name:   #<\n    start: a\n    end: b\n");
        assertThat(noName.getMeasure()).isEqualTo("#1");
        assertThat(noName.getField()).isEqualTo("name");
        assertThat(errorAtMarkedLine("aggregate_windows: []   #<\n" + M).getMessage())
                .contains("field 'aggregate_windows'")
                .contains("empty list");
    }

    @Test
    void aThresholdGreaterThanTheTimeoutIsAnErrorNamingBothValues() {
        InvalidMeasureException e = errorAtMarkedLine(M + "    timeout: PT1H\n"
                + "    slo:\n      threshold: PT90M   #<\n      objective: 0.9\n      window: P28D\n");
        assertThat(e.getField()).isEqualTo("slo.threshold");
        assertThat(e.getMessage()).contains("PT1H30M is greater than timeout PT1H");
        MeasureDefinition equal = MeasuresYaml.parse(
                        M + "    timeout: PT1H\n" + "    slo: {threshold: PT60M, objective: 0.9, window: P28D}\n")
                .getMeasures()
                .get(0);
        assertThat(equal.getSlo().getThreshold()).isEqualTo(equal.getTimeout());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "    timeout: PT9223372036854775807S   #<\n",
                "    timeout: PT9223372036854775808S   #<\n",
                "    timeout: P36501D   #<\n",
                "    timeout: P5215W   #<\n",
                "    slo:\n      threshold: PT1H\n      objective: 0.9\n      window: P40000D   #<\n",
                "    slo:\n      threshold: PT1H\n      objective: 0.9\n      window: P28D\n      burn_rate_alerts:\n"
                        + "        - {long_window: P99999D, short_window: PT5M, burn_rate: 2}   #<\n"
            })
    void anOverflowingDurationIsRefusedAtStartNamingTheMaximum(String measureTail) {
        assertThat(errorAtMarkedLine(M + measureTail).getMessage()).contains("P36500D (100 years)");
    }

    @Test
    void anOverflowingAggregateWindowIsRefusedNamingTheMaximum() {
        assertThat(errorAtMarkedLine("aggregate_windows: [PT1H, PT9223372036854775807S]   #<\n" + M)
                        .getMessage())
                .contains("field 'aggregate_windows'")
                .contains("P36500D (100 years)");
    }

    @Test
    void theMaximumDurationItselfIsAccepted() {
        assertThat(MeasuresYaml.parse(M + "    timeout: P36500D\n")
                        .getMeasures()
                        .get(0)
                        .getTimeout())
                .isEqualTo(io.flightcontroller.domain.measure.DurationLimits.MAX);
    }

    @Test
    void p1wIsAcceptedAndEqualToP7d() {
        MeasureDefinition weeks = MeasuresYaml.parse(
                        M + "    timeout: P1W\n" + "    slo: {threshold: P1W, objective: 0.9, window: P4W}\n")
                .getMeasures()
                .get(0);
        MeasureDefinition days = MeasuresYaml.parse(
                        M + "    timeout: P7D\n" + "    slo: {threshold: P7D, objective: 0.9, window: P28D}\n")
                .getMeasures()
                .get(0);
        assertThat(weeks.getTimeout()).isEqualTo(days.getTimeout()).isEqualTo(Duration.ofDays(7));
        assertThat(weeks.getSlo().getWindow()).isEqualTo(days.getSlo().getWindow());
        assertThat(MeasuresYaml.parse(M + "    timeout: P1W2D\n")
                        .getMeasures()
                        .get(0)
                        .getTimeout())
                .isEqualTo(Duration.ofDays(9));
        assertThat(MeasuresYaml.parse("aggregate_windows: [P1W]\n" + M).getAggregateWindows())
                .containsExactly(Duration.ofDays(7));
    }

    @ParameterizedTest
    @ValueSource(strings = {"P1M", "P1Y", "P1Y6M", "P1MT12H"})
    void monthsAndYearsAreRefusedWithTheReason(String duration) {
        InvalidMeasureException e = errorAtMarkedLine(M + "    timeout: " + duration + "   #<\n");
        assertThat(e.getField()).isEqualTo("timeout");
        assertThat(e.getMessage()).contains("'" + duration + "'").contains("no fixed length");
        // PT1M is a minute, not a month
        assertThat(MeasuresYaml.parse(M + "    timeout: PT1M\n")
                        .getMeasures()
                        .get(0)
                        .getTimeout())
                .isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void aSecondYamlDocumentIsAnError() {
        assertThat(errorAtMarkedLine(M + "---\nmeasures:   #<\n  - {name: n, start: a, end: b}\n")
                        .getMessage())
                .contains("second YAML document");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "measures:\n  - name: m   #<\n    end: b\n",
                "measures:\n  - name: m\n    start: a\n    end: b\n    timeout: 7 days   #<\n",
                "measures:\n  - name: m\n    start: a\n    end: b\n    timeout: -PT1H   #<\n",
                "measures:\n  - name: m\n    start: a\n    end: b\n    slo:\n      threshold: PT1H\n"
                        + "      objective: 1.5   #<\n      window: P28D\n",
                "measures:\n  - name: m\n    start: a\n    end: b\n    slo:\n      threshold: PT0S   #<\n"
                        + "      objective: 0.9\n      window: P28D\n",
                "measures:\n  - name: m\n    start: a\n    end: b\n    slo:\n      threshold: P30D\n"
                        + "      objective: 0.9\n      window: P28D   #<\n",
                "measures:\n  - name: m\n    start: a\n    end: b\n    slo:\n      threshold: PT1H\n"
                        + "      objective: 0.9\n      window: P28D\n      burn_rate_alerts:\n"
                        + "        - {long_window: PT1H, short_window: PT5M, burn_rate: 14.4}\n"
                        + "        - {long_window: PT1H, short_window: PT2H, burn_rate: 6}   #<\n",
                "measures:\n  - name: m\n    start: a\n    end: b\n    strat: x   #<\n",
                "measures:\n  - name: m\n    start: a\n    end: b\n    key: [account]   #<\n",
                "measures:\n  - name: m\n    start: a\n    end: b\n    dimensions:\n      - account\n      - ''   #<\n",
                "measures:\n  - name: m\n    kind: value\n    events: x\n    expression: 1 +   #<\n",
                "measures:\n  - name: m\n    kind: lead   #<\n    start: a\n    end: b\n",
                "measures:\n  - start: a   #<\n    end: b\n",
                "measures:\n  - name: 1m   #<\n    start: a\n    end: b\n",
                "measures:\n  - {name: m, start: a, end: b}\n  - {name: m, start: a, end: c}   #<\n",
                "measures:\n  - {name: m, start: a, end: b}\n  - 42   #<\n",
                "measures: []   #<\n",
                "measures: 3   #<\n",
                "# a comment\nmeasure:   #<\n  - {name: m, start: a, end: b}\n",
                "measures:\n  - {name: m, start: a, end: b}\nspeling: 1   #<\n",
                "aggregate_windows: [PT1H, P1M]   #<\nmeasures:\n  - {name: m, start: a, end: b}\n",
                "measures:\n  - name: m\n    start: a\n   end: b   #<\n"
            })
    void everyErrorNamesItsLine(String yaml) {
        errorAtMarkedLine(yaml);
    }

    @Test
    void aFileReadFromDiskNamesTheFileAndTheLine(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("bad-measures.yaml");
        Files.write(
                f,
                (M + "    timeout: P1D\n    slo: {threshold: P2D, objective: 0.9, window: P28D}\n")
                        .getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> MeasuresYaml.read(f))
                .hasMessageStartingWith("bad-measures.yaml line 6: measure 'm', field 'slo.threshold': "
                        + "P2D is greater than timeout P1D");
    }

    @Test
    void everyMeasuresExampleInTheReadmeLoads() throws Exception {
        String readme =
                new String(Files.readAllBytes(LoopbackServers.repoRoot().resolve("README.md")), StandardCharsets.UTF_8);
        Matcher block =
                Pattern.compile("(?m)^( *)```yaml\n(.*?)^ *```", Pattern.DOTALL).matcher(readme);
        List<String> examples = new ArrayList<>();
        while (block.find()) {
            String text = block.group(2).replaceAll("(?m)^" + block.group(1), "");
            examples.add(text.startsWith("measures:") ? text : "measures:\n" + text);
        }
        assertThat(examples).hasSizeGreaterThanOrEqualTo(4);
        for (String yaml : examples) {
            assertThat(MeasuresYaml.parse(yaml).getMeasures()).as(yaml).isNotEmpty();
        }
    }
}
