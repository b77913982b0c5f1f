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
 * finished cases after retention take less than within it, and every savepoint folder is deleted after it was
 * measured.
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

        assertThat(rows).hasSize(12); // 2 backends x 3 states x 2 formats
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
