package io.flightcontroller.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.flightcontroller.adapters.parse.MeasuresYaml;
import io.flightcontroller.domain.measure.MeasuresConfig;
import io.flightcontroller.pipeline.PipelineOptions;
import io.flightcontroller.testing.ResultTables;
import io.flightcontroller.testing.StateBackends;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code sample-data/README.md} tells what the sample shows and prints the summary of its two replays (sorted, the
 * default, and {@code --arrival-order}); this runs both through {@link LocalRun} and checks that the summary printed
 * from the result tables is the documented one, line by line, and a few of the documented rows; on the heap state
 * backend and on RocksDB (the one Managed Flink uses).
 */
class SampleDataTest {
    @TempDir
    Path dir;

    /** @return the non-blank lines of the code block after {@code <!-- summary: MODE -->} in the sample's README */
    static List<String> documented(String mode) throws Exception {
        List<String> readme =
                Files.readAllLines(DeterministicReplayTest.repo("sample-data/README.md"), StandardCharsets.UTF_8);
        int at = readme.indexOf("<!-- summary: " + mode + " -->");
        assertThat(at)
                .as("summary block for " + mode + " in sample-data/README.md")
                .isNotNegative();
        assertThat(readme.get(at + 1)).isEqualTo("```");
        List<String> block = new ArrayList<>();
        for (int i = at + 2; !readme.get(i).equals("```"); i++) {
            if (!readme.get(i).trim().isEmpty()) {
                block.add(readme.get(i));
            }
        }
        assertThat(block).as("summary block for " + mode).hasSizeGreaterThan(20);
        return block;
    }

    static Stream<Arguments> modesAndBackends() {
        return Stream.of("sorted", "arrival-order")
                .flatMap(mode -> StateBackends.both().map(backend -> Arguments.of(mode, backend)));
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("modesAndBackends")
    void theSampleGivesTheSummaryAndRowsItsReadmeDocuments(String mode, String backend) throws Exception {
        MeasuresConfig measures =
                MeasuresYaml.read(DeterministicReplayTest.repo("job/src/main/resources/measures.yaml"));
        LocalRun.Settings s = new LocalRun.Settings();
        s.measures = measures;
        s.inputs.add(DeterministicReplayTest.repo("sample-data/events.jsonl"));
        s.jdbcUrl = "jdbc:sqlite:" + dir.resolve("sample.db");
        s.pipeline = PipelineOptions.builder(measures).caseRetention(Duration.ofDays(3650)); // as the command line
        s.arrivalOrder = mode.equals("arrival-order");
        s.workDir = dir;
        s.progress = false;
        s.flinkOptions = backend == null ? null : StateBackends.configuration(backend);
        String probe = "sample-" + mode + "-" + backend;
        s.extraSinks = out -> StateBackends.probe(out.measurements, probe);
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (PrintStream console = new PrintStream(buf, true, "UTF-8")) {
            LocalRun.run(s, console);
        }
        StateBackends.assertRanOn(probe, backend);
        List<String> printed = Arrays.stream(new String(buf.toByteArray(), StandardCharsets.UTF_8).split("\\R"))
                .filter(l -> !l.trim().isEmpty())
                .collect(Collectors.toList());
        assertThat(printed).as(String.join("\n", printed)).containsSubsequence(documented(mode));

        Map<String, List<String>> t = ResultTables.dump(s.jdbcUrl);
        List<String> reasons = t.get("dead_letters").stream()
                .map(r -> r.replaceAll(".*\\|reason=([a-z_]+)\\|.*", "$1"))
                .sorted()
                .collect(Collectors.toList());
        // lines 21, 24, 17, 14; and in arrival order 156 and 157
        List<String> expected =
                new ArrayList<>(Arrays.asList("bad_time", "missing_correlation_id", "not_json", "truncated_json"));
        if (s.arrivalOrder) {
            expected.addAll(Arrays.asList("late", "late"));
        }
        assertThat(reasons).containsExactlyInAnyOrderElementsOf(expected);
        // lines 1 and 20: a correction after the P7D timeout of project_lead_time
        assertThat(t.get("lead_times"))
                .anyMatch(r -> r.startsWith("measure=project_lead_time|case_key=project-000|")
                        && r.contains("|duration_ms=619200000|")
                        && r.contains("|after_timeout=1|"));
        // line 156: an ordinary assignment, or (arrival order) a late end applied to the open case's hop
        assertThat(t.get("lead_times").stream()
                        .anyMatch(r -> r.startsWith("measure=project_assigned_lead_time|case_key=project-037|")
                                && r.contains("|duration_ms=5400000|")
                                && r.contains("|late=" + (s.arrivalOrder ? 1 : 0) + "|")))
                .isTrue();
        // line 155: applied, or held back at the end so project-039 stays open
        assertThat(t.get("open_cases").stream()
                        .anyMatch(r -> r.startsWith("measure=project_lead_time|case_key=project-039|")))
                .isEqualTo(s.arrivalOrder);
        // line 157: a request, or a late start that starts nothing
        // (the default measures' sequence gives its first hop P1D: a request that nothing follows times out)
        assertThat(t.get("open_cases").stream().anyMatch(r -> r.contains("|case_key=project-041|"))
                        || t.get("alerts").stream().anyMatch(r -> r.contains("|case_key=project-041|")))
                .isEqualTo(!s.arrivalOrder);
    }
}
