package io.flightcontroller.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import io.flightcontroller.adapters.parse.MeasuresYaml;
import io.flightcontroller.benchmark.FlightControllerScenario.Backend;
import io.flightcontroller.domain.measure.MeasuresConfig;
import io.flightcontroller.pipeline.FlightControllerTopology;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The snapshot rows measure the job's state on disk: open cases take room in both savepoint formats on both backends,
 * finished cases after retention take less than within it (on RocksDB's SST files only once a compaction dropped the
 * deletes), and every savepoint folder is deleted after it was measured.
 */
class CheckpointScenarioTest {

    @Test
    void snapshotsGrowWithOpenCasesAndShrinkAfterRetentionOnBothBackends(@TempDir Path dir) throws Exception {
        MeasuresConfig measures;
        try (InputStream in = FlightControllerTopology.class.getResourceAsStream("/measures.yaml")) {
            measures = MeasuresYaml.read(in);
        }

        List<Row> rows = new CheckpointScenario(measures, null, dir)
                .rows(List.of(Backend.HEAP, Backend.ROCKSDB), List.of(1_000L));

        assertThat(rows).hasSize(13); // 2 backends x 3 states x 2 formats, and RocksDB's SST files after a compaction
        for (String backend : List.of("hashmap", "rocksdb")) {
            for (String format : List.of("canonical", "native")) {
                Row open = find(rows, "OPEN case, " + backend + " " + format);
                Row within = find(rows, "within retention, " + backend + " " + format);
                Row after = find(rows, "after retention, " + backend + " " + format);
                assertThat(open.eventsPerS)
                        .as("%s %s per open case", backend, format)
                        .isPositive();
                assertThat(within.eventsPerS)
                        .as("%s %s per finished case within retention", backend, format)
                        .isPositive();
                if (!(backend.equals("rocksdb") && format.equals("native"))) {
                    // RocksDB's SST files keep the tombstones of the deleted entries until a compaction
                    assertThat(after.eventsPerS)
                            .as("%s %s after retention below within", backend, format)
                            .isLessThan(within.eventsPerS);
                }
                assertThat(open.events).isEqualTo(1_000);
            }
        }
        Row deletes = find(rows, "FINISHED case, after retention, rocksdb native");
        Row compacted = find(rows, "after retention and a compaction, rocksdb native");
        assertThat(deletes.eventsPerS)
                .as("the deletes in the SST files before a compaction")
                .isPositive();
        // at 1,000 cases the totals are dominated by manifests and options files, which grow with the flushes and
        // compactions, not with the cases: the SST files are what the compaction is about
        java.util.regex.Matcher sst = java.util.regex.Pattern.compile("SST files ([\\d,]+) B .*, ([\\d,]+) B before")
                .matcher(compacted.notes);
        assertThat(sst.find()).as(compacted.notes).isTrue();
        long after = Long.parseLong(sst.group(1).replace(",", ""));
        long before = Long.parseLong(sst.group(2).replace(",", ""));
        assertThat(before).as("SST bytes of the deletes, before the compaction").isPositive();
        assertThat(after)
                .as("SST bytes once the compaction dropped the deletes")
                .isLessThan(before / 10);
        assertThat(compacted.notes).contains("benchmark only");
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left).as("savepoints deleted after measuring").isEmpty();
        }
    }

    private static Row find(List<Row> rows, String part) {
        return rows.stream()
                .filter(r -> r.scenario.contains(part))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no row with " + part + " in " + rows.size() + " rows"));
    }
}
