package io.flightcontroller.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import io.flightcontroller.adapters.parse.MeasuresYaml;
import io.flightcontroller.benchmark.FlightControllerScenario.Backend;
import io.flightcontroller.benchmark.FlightControllerScenario.Watermarks;
import io.flightcontroller.domain.measure.MeasuresConfig;
import io.flightcontroller.pipeline.FlightControllerTopology;
import io.flightcontroller.pipeline.PipelineOptions;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The rows compared side by side do the same work: on the same file read by one reader, today's periodic watermarks
 * and the file replay's data-driven watermarks give the same matches, timeouts and duplicates; read as two shards
 * (sorted, RocksDB) the same records, duplicates and no late event (the workload is out of order by less than the
 * out-of-orderness); and every row the benchmark gives a RocksDB twin does its heap row's work there.
 */
class FlightControllerScenarioTest {
    private static final Pattern COUNTERS = Pattern.compile(
            "records_in \\d+, matched \\d+, timed_out \\d+, open_at_end \\d+, duplicate \\d+, late \\d+, orphan \\d+,"
                    + " late_applied \\d+"); // not held_back_at_end: per source reader, 0 by design on sorted input

    @AfterAll
    static void closeClusters() {
        SharedMiniCluster.closeAll();
    }

    @Test
    void everyWatermarkModeAndBackendDoesTheSameWorkOnTheSameFile(@TempDir Path dir) throws Exception {
        MeasuresConfig measures;
        try (InputStream in = FlightControllerTopology.class.getResourceAsStream("/measures.yaml")) {
            measures = MeasuresYaml.read(in);
        }
        Path single = dir.resolve("events.jsonl");
        long lines = WorkloadGenerator.writeJsonLines(
                new WorkloadGenerator.Settings().cases(2_000).seed(11), single);
        List<Path> shards = Shards.byCase(single, 2);
        FlightControllerScenario fc = new FlightControllerScenario(measures, 2_000, 11);

        Row periodic = fc.run("periodic", 1, List.of(single), null, lines, false);
        Row arrival = fc.run("arrival", 1, List.of(single), null, lines, false, Watermarks.FILE_ARRIVAL, Backend.HEAP);
        Row sorted = fc.run("sorted", 2, shards, null, lines, false, Watermarks.FILE_SORTED, Backend.HEAP);
        Row rocks = fc.run("rocksdb", 2, shards, null, lines, false, Watermarks.PERIODIC, Backend.ROCKSDB);

        String expected = counters(periodic);
        assertThat(expected)
                .as("the workload matches, times out and de-duplicates")
                .doesNotContain("matched 0,")
                .doesNotContain("duplicate 0,")
                .contains("late 0,");
        // one reader: the same file, the same end of input, so every counter is equal
        assertThat(counters(arrival)).isEqualTo(expected);
        // two readers end their input each at its own last event time, and which cases are still open when the
        // slower one ends differs with the watermark mode (known, benchmark README "Results: 2026-12-01, evening"):
        // what the input is and what was de-duplicated or late must still be equal
        for (Row r : List.of(sorted, rocks)) {
            assertThat(inputSide(counters(r))).as(r.scenario).isEqualTo(inputSide(expected));
        }
        assertThat(periodic.notes).contains("periodic watermarkStrategy; hashmap");
        assertThat(arrival.notes).contains("fileWatermarkStrategy, arrival order; hashmap");
        assertThat(sorted.notes)
                .contains("fileWatermarkStrategy, sorted; hashmap; sort ")
                .contains("2 of 2 file(s) sorted");
        assertThat(rocks.notes).contains("periodic watermarkStrategy; rocksdb (managed memory 128 MiB");
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString()).collect(Collectors.toList()))
                    .as("the sorted copies are deleted after the run")
                    .containsExactlyInAnyOrder("events.jsonl", "events.jsonl.shard0of2", "events.jsonl.shard1of2");
        }
    }

    @ParameterizedTest
    @EnumSource(PipelineOptions.StateLayout.class)
    void everyRowsRocksDbTwinDoesTheWorkOfItsHeapRow(PipelineOptions.StateLayout layout, @TempDir Path dir)
            throws Exception {
        MeasuresConfig measures;
        try (InputStream in = FlightControllerTopology.class.getResourceAsStream("/measures.yaml")) {
            measures = MeasuresYaml.read(in);
        }
        Path single = dir.resolve("events.jsonl");
        long lines = WorkloadGenerator.writeJsonLines(
                new WorkloadGenerator.Settings().cases(1_000).seed(13), single);
        List<Path> shards = Shards.byCase(single, 2);
        FlightControllerScenario fc = new FlightControllerScenario(measures, 1_000, 13).stateLayout(layout);
        FlightControllerScenario seq = new FlightControllerScenario(
                        Benchmark.measures(Benchmark.SEQUENCE_YAML), 1_000, 13)
                .stateLayout(layout);
        FlightControllerScenario lt = new FlightControllerScenario(
                        Benchmark.measures(Benchmark.LEAD_TIMES_YAML), 1_000, 13)
                .stateLayout(layout);
        // the rows exactly as the benchmark twins them (its throughput groups, pre-parsed, issue 14's, streamed)
        List<Benchmark.BackendRun> rows = new ArrayList<>();
        rows.addAll(Benchmark.fileRows(fc, 1, single, List.of(single), lines));
        rows.addAll(Benchmark.fileRows(fc, 2, single, shards, lines));
        rows.addAll(Benchmark.preParsedRows(fc, lines));
        rows.addAll(Benchmark.engineRows(seq, lt, single, shards, lines));
        rows.add(b -> fc.runStreamed("FC streamed JSON, discard, 1000 cases", 2, 1_000, false, b));

        int oneReader = 0;
        for (Benchmark.BackendRun r : rows) {
            Row heap = r.run(Backend.HEAP);
            Row rocks = r.run(Backend.ROCKSDB);
            // fails when the twin read other input, or with one reader ended with other outputs
            Row ratio = Ratios.rocksdbOverHeap(rocks, heap);

            assertThat(heap.counters.get("matched")).as(heap.scenario).isPositive();
            assertThat(rocks.scenario).isEqualTo(Backend.ROCKSDB.rowName(heap.scenario));
            assertThat(rocks.notes).as(rocks.scenario).contains("; rocksdb (managed memory");
            assertThat(heap.notes).as(heap.scenario).contains("; hashmap");
            assertThat(ratio.scenario).endsWith("RocksDB / heap: " + heap.scenario);
            assertThat(ratio.eventsPerS).isPositive();
            if (heap.sourceReaders == 1) {
                assertThat(ratio.notes).as(ratio.scenario).endsWith("; same counters");
                oneReader++;
            }
        }
        assertThat(oneReader)
                .as("rows with one reader, compared counter by counter")
                .isEqualTo(8);
    }

    @Test
    void aRocksDbTwinIsNamedAfterItsHeapRowWithRocksDbBeforeTheSink() {
        assertThat(Backend.ROCKSDB.rowName("FC end-to-end, discard")).isEqualTo("FC end-to-end, RocksDB, discard");
        assertThat(Backend.ROCKSDB.rowName("FC streamed JSON, discard, 1000 cases"))
                .isEqualTo("FC streamed JSON, RocksDB, discard, 1000 cases");
        assertThat(Backend.ROCKSDB.rowName("FC as run: sort, 1 reader"))
                .isEqualTo("FC as run: sort, 1 reader, RocksDB");
        assertThat(Backend.HEAP.rowName("FC pre-parsed, discard")).isEqualTo("FC pre-parsed, discard");
    }

    /** @return the counters that depend on the input alone: records read, duplicates, late events */
    private static String inputSide(String counters) {
        return counters.replaceAll("matched \\d+, timed_out \\d+, open_at_end \\d+, ", "")
                .replaceAll(", orphan \\d+, late_applied \\d+", "");
    }

    @Test
    void rocksDbWithItsTimersOnTheHeapDoesTheSameWorkAndSaysSo(@TempDir Path dir) throws Exception {
        MeasuresConfig measures;
        try (InputStream in = FlightControllerTopology.class.getResourceAsStream("/measures.yaml")) {
            measures = MeasuresYaml.read(in);
        }
        Path single = dir.resolve("events.jsonl");
        long lines = WorkloadGenerator.writeJsonLines(
                new WorkloadGenerator.Settings().cases(1_000).seed(12), single);
        FlightControllerScenario fc = new FlightControllerScenario(measures, 1_000, 12);
        Row heap = fc.run("heap", 1, List.of(single), null, lines, false);
        Row rocks = fc.rocksdbHeapTimers(true)
                .run("rocksdb", 1, List.of(single), null, lines, false, Watermarks.PERIODIC, Backend.ROCKSDB);

        assertThat(counters(rocks)).isEqualTo(counters(heap));
        assertThat(rocks.notes).contains("rocksdb").contains("timers on the heap");
        assertThat(heap.notes).doesNotContain("timers on the heap");
    }

    @Test
    void streamedRunsDoTheSameWorkAsTheFileRunOnTheSameSeedAndCount(@TempDir Path dir) throws Exception {
        MeasuresConfig measures;
        try (InputStream in = FlightControllerTopology.class.getResourceAsStream("/measures.yaml")) {
            measures = MeasuresYaml.read(in);
        }
        Path single = dir.resolve("events.jsonl");
        long lines = WorkloadGenerator.writeJsonLines(
                new WorkloadGenerator.Settings().cases(2_000).seed(11), single);
        FlightControllerScenario fc = new FlightControllerScenario(measures, 2_000, 11);

        Row file = fc.run("file", 1, List.of(single), null, lines, false);
        Row streamed1 = fc.runStreamed("streamed", 1, 2_000, false);
        Row streamed2 = fc.runStreamed("streamed", 2, 2_000, false);

        assertThat(counters(streamed1)).isEqualTo(counters(file));
        // at p=2 each reader ends its input at its own shard's last event time and the keyed operators take the
        // earlier of the two (as with one file per reader): a few cases of the other shard are still open there
        assertThat(field(streamed2, "matched")).isBetween(field(file, "matched") * 99 / 100, field(file, "matched"));
        for (String same : List.of("records_in", "duplicate", "late", "orphan", "late_applied")) {
            assertThat(field(streamed2, same)).as(same).isEqualTo(field(file, same));
        }
        assertThat(List.of(streamed1.events, streamed2.events))
                .as("events are the job's records_in, every line")
                .containsOnly(lines);
        assertThat(streamed2.input).isEqualTo("2 streamed JSON shard(s)");
        assertThat(streamed2.notes).contains("periodic watermarkStrategy; hashmap");
    }

    @Test
    void esperOnTheStreamedLinesMatchesAsOnTheFile(@TempDir Path dir) throws Exception {
        Path single = dir.resolve("events.jsonl");
        long lines = WorkloadGenerator.writeJsonLines(
                new WorkloadGenerator.Settings().cases(2_000).seed(11), single);
        EsperScenario esper = new EsperScenario(2_000, 11);

        Row file = esper.run(true, single);
        Row streamed = esper.runStreamed(2_000, false);

        assertThat(file.notes).doesNotContain("matched 0,");
        assertThat(streamed.notes).startsWith(file.notes.substring(0, file.notes.indexOf(';')));
        assertThat(streamed.events).isEqualTo(lines);
    }

    private static long field(Row r, String name) {
        Matcher m = Pattern.compile("\\b" + name + " (\\d+)").matcher(r.notes);
        assertThat(m.find()).as("%s in %s", name, r.notes).isTrue();
        return Long.parseLong(m.group(1));
    }

    private static String counters(Row r) {
        Matcher m = COUNTERS.matcher(r.notes);
        assertThat(m.find()).as("counters in %s", r.notes).isTrue();
        return m.group();
    }
}
