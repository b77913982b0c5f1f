package io.flightcontroller.benchmark;

import io.flightcontroller.adapters.parse.MeasuresYaml;
import io.flightcontroller.benchmark.FlightControllerScenario.Backend;
import io.flightcontroller.benchmark.FlightControllerScenario.Watermarks;
import io.flightcontroller.domain.measure.MeasuresConfig;
import io.flightcontroller.pipeline.PipelineOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * One Flight Controller row of {@link Benchmark} ({@code FC end-to-end, discard}, periodic watermarks, from a JSON
 * Lines file), run several times in one process: for before / after pairs of one change, a process per job jar, in
 * turn, where the whole benchmark's rows of 2-7 s move by up to half between invocations. The first runs of a process
 * warm the JIT (on this machine the first two are 1.5-3x the later ones), so compare the later runs.
 *
 * <p>Shape: prints one line per run, {@code run <i> <row> p=<p> cpu <µs> us/event, <n> events/s, <counters>}, CPU per
 * event as {@link FlightControllerScenario} measures it (the process's CPU time over the run, per input line: the job
 * on the mini-cluster started before the first run and reused, not the cluster's start, which gets a line of its own
 * from {@link SharedMiniCluster}); the counters let a pair check that both jars did the same work. RocksDB as in the
 * benchmark: 1024 MiB of managed memory, timers in RocksDB.
 *
 * <p>On Linux each line also splits that CPU per event into the JIT compiler's threads, the garbage collector's
 * threads and the rest ({@code jit}, {@code gc}, {@code rest}: µs per event, from {@code /proc/self/task/<tid>/stat},
 * user plus system time in clock ticks of 10 ms): the JIT goes on compiling for many runs after the first ones and
 * moves a run's CPU per event by up to half (2026-12-03: runs 7-12 of one process still 12.5-15.2 µs), so a pair of
 * jars compares {@code rest} (the task threads and Flink's own, whose threads end with each job, so they are the
 * process's CPU minus the other two) besides the total.
 */
@Command(
        name = "repeat-row",
        mixinStandardHelpOptions = true,
        description = "One Flight Controller benchmark row, run several times in one process (before / after pairs).")
public final class RepeatRow implements Callable<Integer> {

    @Option(names = "--input", required = true, description = "JSON Lines workload (p=2 reads its two shards)")
    Path input;

    @Option(names = "--measures", required = true, description = "measures file")
    Path measures;

    @Option(names = "--backend", description = "heap or rocksdb (default ${DEFAULT-VALUE})")
    String backend = "heap";

    @Option(names = "--parallelism", description = "1 or 2 (default ${DEFAULT-VALUE})")
    int parallelism = 1;

    @Option(names = "--runs", description = "runs in this process (default ${DEFAULT-VALUE})")
    int runs = 5;

    @Option(names = "--state-layout", description = "per_measure or per_correlation_id (default ${DEFAULT-VALUE})")
    PipelineOptions.StateLayout stateLayout = PipelineOptions.StateLayout.PER_CORRELATION_ID;

    public static void main(String[] args) {
        System.exit(new CommandLine(new RepeatRow())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Backend b;
        if ("heap".equals(backend)) {
            b = Backend.HEAP;
        } else if ("rocksdb".equals(backend)) {
            b = Backend.ROCKSDB;
        } else {
            throw new CommandLine.ParameterException(
                    new CommandLine(this), "--backend: heap or rocksdb, was " + backend);
        }
        if (parallelism != 1 && parallelism != 2) {
            throw new CommandLine.ParameterException(
                    new CommandLine(this), "--parallelism: 1 or 2, was " + parallelism);
        }
        MeasuresConfig m;
        try (InputStream in = Files.newInputStream(measures)) {
            m = MeasuresYaml.read(in);
        }
        FlightControllerScenario fc =
                new FlightControllerScenario(m, 0, 0).rocksdbManagedMemory(1024).stateLayout(stateLayout);
        List<Path> files = parallelism == 1 ? List.of(input) : Shards.byCase(input, 2);
        try {
            for (int i = 1; i <= runs; i++) {
                long[] before = jitAndGcTicks();
                Row r = fc.run("FC end-to-end, discard", parallelism, files, null, null, false, Watermarks.PERIODIC, b);
                System.out.printf(
                        Locale.ROOT,
                        "run %d %s p=%d cpu %.2f us/event, %.0f events/s, %s%n",
                        i,
                        r.scenario,
                        parallelism,
                        r.cpuUsPerEvent,
                        r.eventsPerS,
                        r.counters);
                long[] after = jitAndGcTicks();
                if (after != null && before != null) {
                    double usPerTick = 1e6 / 100 / r.events;
                    double jit = (after[0] - before[0]) * usPerTick;
                    double gc = (after[1] - before[1]) * usPerTick;
                    System.out.printf(
                            Locale.ROOT,
                            "  split run %d: jit %.2f gc %.2f rest %.2f us/event%n",
                            i,
                            jit,
                            gc,
                            r.cpuUsPerEvent - jit - gc);
                }
            }
        } finally {
            SharedMiniCluster.closeAll();
        }
        return 0;
    }

    /**
     * @return user plus system clock ticks of the JIT compiler's threads and of the garbage collector's threads (G1's
     *     workers, refinement and concurrent threads, the VM thread) so far, or null where {@code /proc} has none
     */
    static long[] jitAndGcTicks() {
        long[] t = new long[2];
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                String stat;
                try {
                    stat = new String(Files.readAllBytes(task.resolve("stat")), StandardCharsets.US_ASCII);
                } catch (IOException ended) {
                    continue; // the thread ended meanwhile
                }
                int open = stat.indexOf('(');
                int close = stat.lastIndexOf(')');
                String name = stat.substring(open + 1, close);
                String[] f = stat.substring(close + 2).split(" ");
                long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14 and 15)
                if (name.contains("CompilerThre")) {
                    t[0] += ticks;
                } else if (name.startsWith("GC Thread")
                        || name.startsWith("G1 ")
                        || name.startsWith("GC Conc")
                        || name.startsWith("VM Thread")) {
                    t[1] += ticks;
                }
            }
        } catch (IOException | RuntimeException none) {
            return null;
        }
        return t;
    }
}
