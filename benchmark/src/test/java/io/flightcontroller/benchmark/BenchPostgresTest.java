package io.flightcontroller.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PostgreSQL row's server CPU comes from {@code /proc/PID/stat}: parent id and the four CPU times, read after the
 * command name, which may hold spaces and parentheses; a JDBC row that cannot run is reported, not failed.
 */
class BenchPostgresTest {

    @TempDir
    Path dir;

    @Test
    void statFieldsAreReadAfterACommandNameWithSpacesAndParentheses() throws Exception {
        Path stat = dir.resolve("stat");
        Files.writeString(
                stat, "4242 (postgres: wal (x) writer) S 4200 4200 4200 0 -1 4194368 10 0 0 0 7 3 11 13 20 0 1 0\n");

        long[] f = BenchPostgres.stat(stat);

        assertThat(f).containsExactly(4200, 7, 3, 11, 13);
    }

    @Test
    void statOfThisProcessNamesItsParent() {
        long[] f = BenchPostgres.stat(Path.of("/proc/self/stat"));

        assertThat(f[0])
                .isEqualTo(ProcessHandle.current().parent().orElseThrow().pid());
        assertThat(f[1] + f[2]).isPositive();
    }

    @Test
    void statOfAProcessThatIsGoneIsNull() {
        assertThat(BenchPostgres.stat(dir.resolve("no-such-process/stat"))).isNull();
    }

    @Test
    void aSkippedRowHasNoFiguresAndSaysWhy() {
        Row r = Benchmark.skipped("FC end-to-end, PostgreSQL sink (20000 cases)", "binaries not found");

        assertThat(r.scenario).isEqualTo("FC end-to-end, PostgreSQL sink (20000 cases)");
        assertThat(r.eventsPerS).isNaN();
        assertThat(r.cpuUsPerEvent).isNaN();
        assertThat(r.notes).isEqualTo("skipped: binaries not found");
    }
}
