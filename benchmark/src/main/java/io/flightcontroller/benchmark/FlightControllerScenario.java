package io.flightcontroller.benchmark;

import io.flightcontroller.adapters.file.EventTimeSorter;
import io.flightcontroller.adapters.file.JsonLinesFormat;
import io.flightcontroller.adapters.jdbc.JdbcOutputs;
import io.flightcontroller.adapters.parse.EventParser;
import io.flightcontroller.app.JobWiring;
import io.flightcontroller.domain.event.ParsedRecord;
import io.flightcontroller.domain.measure.MeasuresConfig;
import io.flightcontroller.pipeline.FlightControllerTopology;
import io.flightcontroller.pipeline.PipelineCounters;
import io.flightcontroller.pipeline.PipelineOptions;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.contrib.streaming.state.EmbeddedRocksDBStateBackend;
import org.apache.flink.contrib.streaming.state.RocksDBOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Flight Controller end to end on a Flink mini-cluster in this JVM, started once and reused
 * ({@link SharedMiniCluster}): the job's whole topology
 * ({@code FlightControllerTopology.build}) from JSON Lines files through {@code JsonLinesFormat(EventParser)}, or from
 * the generator's pre-parsed events, into sinks that drop everything (or the job's JDBC sinks).
 *
 * <p>Shape: one source reader per file (p=1 reads one file; p=N reads N files, one per reader, see {@link Shards}; N
 * keyed subtasks reading one file is the shape of the job's {@code run}); events/s counts input lines over the wall
 * time of the job on the running cluster (its stream and job graphs, submission, deployment, the run and the job's
 * end; not the cluster's start or stop, which has its own report row, {@link SharedMiniCluster#startRows()}), and for
 * {@link Watermarks#FILE_SORTED} the sort before it. The row's notes carry the job's own counters ({@code records_in},
 * {@code matched}, {@code timed_out}, {@code open_at_end}, {@code duplicate}, {@code late}, {@code orphan},
 * {@code late_applied}, {@code held_back_at_end}), the watermarks, the state backend and the sort's own time.
 */
final class FlightControllerScenario {
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    /** Where a file run's watermarks come from (issue 11: a replay's watermarks are a function of the data). */
    enum Watermarks {
        /**
         * Today's reference: {@code FlightControllerTopology.watermarkStrategy} (what a live source uses): emitted on
         * Flink's auto-watermark interval (200 ms of wall clock), corroborated clock with the default out-of-orderness;
         * the files are read as they are.
         */
        PERIODIC("periodic watermarkStrategy"),
        /**
         * {@code fileWatermarkStrategy} in arrival order ({@code run --arrival-order}): a watermark on every event that
         * moves the corroborated clock, default out-of-orderness; files read as they are, parser with the future-time
         * guard as in {@code run}.
         */
        FILE_ARRIVAL("fileWatermarkStrategy, arrival order"),
        /**
         * {@code fileWatermarkStrategy} on sorted input ({@code run}'s default): each input file first goes through
         * {@link EventTimeSorter} (inside the measured time), then a watermark on every event at its time - 1 ms; parser
         * with the future-time guard as in {@code run}.
         */
        FILE_SORTED("fileWatermarkStrategy, sorted");

        final String label;

        Watermarks(String label) {
            this.label = label;
        }
    }

    /** The state backend of a run, as {@code state.backend.type} in the job's configuration. */
    enum Backend {
        /** Flink's heap backend ({@code hashmap}, the default). */
        HEAP("hashmap"),
        /**
         * Embedded RocksDB with Flink 1.20's defaults (its memory from managed memory, timers in RocksDB) and the
         * mini-cluster's managed memory set by {@link #rocksdbManagedMemory}: what Managed Flink runs.
         */
        ROCKSDB("rocksdb");

        final String type;

        Backend(String type) {
            this.type = type;
        }

        /**
         * The one naming of a row's twin on another backend: heap rows keep their name; a RocksDB twin gets
         * {@code RocksDB} before the sink ({@code "FC pre-parsed, discard"} -> {@code "FC pre-parsed, RocksDB,
         * discard"}), or at the end when the name has no {@code ", discard"}.
         *
         * @param name the heap row's name
         * @return this backend's row name
         */
        String rowName(String name) {
            if (this == HEAP) {
                return name;
            }
            int sink = name.lastIndexOf(", discard");
            return sink < 0 ? name + ", RocksDB" : name.substring(0, sink) + ", RocksDB" + name.substring(sink);
        }
    }

    private final MeasuresConfig measures;
    private final long cases;
    private final long seed;
    /**
     * Managed memory of the mini-cluster of every run (shared by its slots; only RocksDB uses it); null = Flink's local
     * 128 MiB.
     */
    private MemorySize rocksdbManagedMemory;
    /** Whether the RocksDB runs keep their timers on the heap. */
    private boolean rocksdbHeapTimers;

    private PipelineOptions.StateLayout stateLayout = PipelineOptions.StateLayout.PER_MEASURE;

    /**
     * @param measures the measures the job runs
     * @param cases cases of the generator source (pre-parsed runs)
     * @param seed seed of the generator source
     */
    FlightControllerScenario(MeasuresConfig measures, long cases, long seed) {
        this.measures = measures;
        this.cases = cases;
        this.seed = seed;
    }

    /**
     * @param mib managed memory of the mini-clusters, MiB (shared by the slots: the RocksDB runs' block cache
     *     and write buffers come from it); null = Flink's local default (128 MiB)
     * @return this
     */
    FlightControllerScenario rocksdbManagedMemory(Integer mib) {
        this.rocksdbManagedMemory = mib == null ? null : MemorySize.ofMebiBytes(mib);
        return this;
    }

    /**
     * @param heap whether the RocksDB runs keep their timers on the heap ({@code
     *     state.backend.rocksdb.timer-service.factory: HEAP}) instead of in RocksDB (Flink's default, Managed Flink's
     *     unless a support case changes it)
     * @return this
     */
    FlightControllerScenario rocksdbHeapTimers(boolean heap) {
        this.rocksdbHeapTimers = heap;
        return this;
    }

    /**
     * @param layout the job's {@code state.layout} in every run of this scenario
     * @return this
     */
    FlightControllerScenario stateLayout(PipelineOptions.StateLayout layout) {
        this.stateLayout = layout;
        return this;
    }

    /**
     * Warms up (JIT, class loading, the p=1 mini-cluster's start) on a 20,000-case workload at p=1; not reported.
     *
     * @param workDir where the warm-up file goes
     * @throws Exception when the job fails
     */
    void warmUp(Path workDir) throws Exception {
        warmUp(workDir, List.of(Watermarks.PERIODIC), List.of(Backend.HEAP));
    }

    /**
     * Warms up as {@link #warmUp(Path)}, once per watermark mode and once per state backend (on the periodic
     * watermarks); not reported.
     *
     * @param workDir where the warm-up file goes
     * @param watermarks the watermark modes to warm up
     * @param backends the state backends to warm up
     * @throws Exception when the job fails
     */
    void warmUp(Path workDir, List<Watermarks> watermarks, List<Backend> backends) throws Exception {
        Path warm = workDir.resolve("warmup.jsonl");
        WorkloadGenerator.writeJsonLines(
                new WorkloadGenerator.Settings().cases(20_000).seed(1), warm);
        for (Watermarks wm : watermarks) {
            run("warm-up", 1, List.of(warm), null, null, false, wm, Backend.HEAP);
        }
        for (Backend b : backends) {
            if (b != Backend.HEAP) {
                run("warm-up", 1, List.of(warm), null, null, false, Watermarks.PERIODIC, b);
            }
        }
    }

    /**
     * One run.
     *
     * @param name scenario name of the row
     * @param p parallelism
     * @param files JSON Lines inputs, one per source reader; null reads the generator's events (no JSON)
     * @param jdbcUrl JDBC URL of the job's sinks; null discards every output
     * @param lines input lines (the events column); null takes the job's {@code records_in}
     * @param report whether to print a progress line
     * @return the row
     * @throws Exception when the job fails
     */
    Row run(String name, int p, List<Path> files, String jdbcUrl, Long lines, boolean report) throws Exception {
        return run(name, p, files, jdbcUrl, lines, report, Watermarks.PERIODIC, Backend.HEAP);
    }

    /**
     * One run with the given watermarks and state backend.
     *
     * @param name scenario name of the row
     * @param p parallelism of the keyed operators
     * @param files JSON Lines inputs, one per source reader; null reads the generator's events (no JSON, periodic
     *     watermarks only)
     * @param jdbcUrl JDBC URL of the job's sinks; null discards every output
     * @param lines input lines (the events column); null takes the job's {@code records_in}
     * @param report whether to print a progress line
     * @param wm where the watermarks come from
     * @param backend the state backend; the row's name is {@link Backend#rowName} of {@code name}
     * @return the row
     * @throws Exception when the sort or the job fails
     */
    Row run(
            String name,
            int p,
            List<Path> files,
            String jdbcUrl,
            Long lines,
            boolean report,
            Watermarks wm,
            Backend backend)
            throws Exception {
        return run(name, p, files, null, jdbcUrl, lines, report, wm, backend);
    }

    /**
     * One run from JSON lines generated in this process, no file ({@link StreamedJsonSource}): {@code p} source
     * readers, each with the cases of its shard (as {@link Shards} splits a file), parsed as {@code JsonLinesFormat}
     * parses a file, periodic watermarks ({@code FlightControllerTopology.watermarkStrategy}, as the
     * {@code FC end-to-end, discard} rows), heap state, discarding sinks; events = the job's {@code records_in}.
     *
     * @param name scenario name of the row
     * @param p parallelism of the source and of the keyed operators
     * @param streamedCases cases of the workload (seed: this scenario's)
     * @param report whether to print a progress line
     * @return the row
     * @throws Exception when the job fails
     */
    Row runStreamed(String name, int p, long streamedCases, boolean report) throws Exception {
        return runStreamed(name, p, streamedCases, report, Backend.HEAP);
    }

    /**
     * As {@link #runStreamed(String, int, long, boolean)} on the given state backend.
     *
     * @param backend the state backend
     */
    Row runStreamed(String name, int p, long streamedCases, boolean report, Backend backend) throws Exception {
        return run(name, p, null, streamedCases, null, null, report, Watermarks.PERIODIC, backend);
    }

    private Row run(
            String name,
            int p,
            List<Path> files,
            Long streamedCases,
            String jdbcUrl,
            Long lines,
            boolean report,
            Watermarks wm,
            Backend backend)
            throws Exception {
        if (files == null && wm != Watermarks.PERIODIC) {
            throw new IllegalArgumentException(
                    "watermarks " + wm + " need JSON files; the generator source is periodic");
        }
        PipelineOptions options = PipelineOptions.builder(measures)
                .sortedInput(wm == Watermarks.FILE_SORTED)
                .stateLayout(stateLayout)
                .build();
        // the cluster first (started once, reused): nothing measured below includes a cluster's start
        SharedMiniCluster cluster = SharedMiniCluster.of(
                Math.max(p, files != null ? files.size() : 1),
                rocksdbManagedMemory != null ? rocksdbManagedMemory : SharedMiniCluster.FLINK_LOCAL_MANAGED_MEMORY);
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironment(p, jobConfiguration(wm, backend));
        Meter m = null; // from the sort, else from the job's submission (as before the sort existed)
        List<Path> sortedCopies = new ArrayList<>();
        String sortNote = "";
        DataStream<ParsedRecord> input;
        if (files != null) {
            List<Path> read = files;
            if (wm == Watermarks.FILE_SORTED) {
                m = new Meter();
                long wall0 = System.nanoTime();
                long cpu0 = OS.getProcessCpuTime();
                read = new ArrayList<>();
                int copied = 0;
                int chunks = 0;
                try {
                    for (Path f : files) {
                        EventTimeSorter.Result r = new EventTimeSorter()
                                .sort(List.of(f), f.toAbsolutePath().getParent());
                        read.addAll(r.paths());
                        if (r.sorted()) {
                            sortedCopies.addAll(r.paths());
                            copied++;
                            chunks += r.chunksSpilled();
                        }
                    }
                } catch (Exception e) {
                    deleteAll(sortedCopies);
                    throw e;
                }
                sortNote = String.format(
                        Locale.ROOT,
                        "; sort %,d ms, %,.0f ms CPU (%d of %d file(s) sorted, %d chunk(s) " + "spilled)",
                        (System.nanoTime() - wall0) / 1_000_000,
                        (OS.getProcessCpuTime() - cpu0) / 1e6,
                        copied,
                        files.size(),
                        chunks);
            }
            org.apache.flink.core.fs.Path[] paths = read.stream()
                    .map(f ->
                            new org.apache.flink.core.fs.Path(f.toAbsolutePath().toUri()))
                    .toArray(org.apache.flink.core.fs.Path[]::new);
            EventParser parser = wm == Watermarks.PERIODIC
                    ? new EventParser()
                    : new EventParser().withMaxFutureSkew(options.getMaxFutureSkew());
            FileSource<ParsedRecord> src = FileSource.forRecordStreamFormat(new JsonLinesFormat(parser), paths)
                    .build();
            WatermarkStrategy<ParsedRecord> strategy = wm == Watermarks.PERIODIC
                    ? FlightControllerTopology.watermarkStrategy(options)
                    : FlightControllerTopology.fileWatermarkStrategy(options);
            input = env.fromSource(src, strategy, "event files").setParallelism(files.size());
        } else if (streamedCases != null) {
            input = env.fromSource(
                            new StreamedJsonSource(streamedCases, seed, p, new EventParser()),
                            FlightControllerTopology.watermarkStrategy(options),
                            "streamed JSON lines")
                    .setParallelism(p);
        } else {
            // the job's serializer for ParsedRecord, as its sources declare (RocksDB runs disable generic types)
            input = env.addSource(
                            new BenchSources.GeneratorSource(cases, seed),
                            "generator",
                            io.flightcontroller.serialization.DomainSerializers.PARSED_RECORD)
                    .setParallelism(1)
                    .assignTimestampsAndWatermarks(FlightControllerTopology.watermarkStrategy(options))
                    .setParallelism(1);
        }
        FlightControllerTopology.Outputs out = FlightControllerTopology.build(input, options);
        if (jdbcUrl != null) {
            JobWiring.attachJdbc(out, JdbcOutputs.effectiveUrl(jdbcUrl));
        } else {
            out.measurements.sinkTo(new BenchSources.DiscardingSink<>()).name("discard measurements");
            out.alerts.sinkTo(new BenchSources.DiscardingSink<>()).name("discard alerts");
            out.deadLetters.sinkTo(new BenchSources.DiscardingSink<>()).name("discard dead letters");
            out.aggregates.sinkTo(new BenchSources.DiscardingSink<>()).name("discard aggregates");
            out.errorBudgets.sinkTo(new BenchSources.DiscardingSink<>()).name("discard budgets");
            out.openCases.sinkTo(new BenchSources.DiscardingSink<>()).name("discard open cases");
        }
        if (m == null) {
            m = new Meter();
        }
        name = backend.rowName(name);
        JobExecutionResult r;
        try {
            r = cluster.execute(env, name);
        } finally {
            deleteAll(sortedCopies);
        }
        Map<String, Object> acc = r.getAllAccumulatorResults();
        long in = accumulator(acc, PipelineCounters.RECORDS_IN);
        Row row = new Row();
        row.scenario = name;
        row.parallelism = String.valueOf(p);
        row.input = files != null
                ? files.size() + " JSON file(s)"
                : streamedCases != null ? p + " streamed JSON shard(s)" : "generator (no JSON)";
        Map<String, Long> counters = new java.util.LinkedHashMap<>();
        for (String c : COUNTERS) {
            counters.put(c, accumulator(acc, c));
        }
        row.counters = counters;
        row.sourceReaders = files != null ? files.size() : streamedCases != null ? p : 1;
        StringBuilder notes = new StringBuilder();
        counters.forEach((k, v) -> notes.append(notes.length() == 0 ? "" : ", ")
                .append(k)
                .append(' ')
                .append(v));
        row.notes = notes + "; " + (files == null ? Watermarks.PERIODIC.label : wm.label) + "; " + backend.type
                + (backend == Backend.HEAP
                        ? ""
                        : rocksdbManagedMemory == null
                                ? " (managed memory 128 MiB, Flink's local" + " default)"
                                : " (managed memory " + rocksdbManagedMemory.getMebiBytes() + " MiB)")
                + (backend != Backend.HEAP && rocksdbHeapTimers ? ", timers on the heap" : "")
                + (stateLayout == PipelineOptions.StateLayout.PER_MEASURE ? "" : "; state per correlation id")
                + sortNote;
        m.finish(row, lines != null ? lines : in);
        if (report) {
            System.out.println("  " + name + " p=" + p + ": " + Report.fmt(row.eventsPerS) + " events/s; " + row.notes);
        }
        return row;
    }

    /**
     * The job's own configuration in a run: it travels in the JobGraph and takes effect on the shared cluster, which
     * carries only the cluster's settings (slots, managed memory: {@link SharedMiniCluster}).
     *
     * @param wm where the run's watermarks come from
     * @param backend the run's state backend
     * @return generic types disabled (as the job's {@code run}) unless periodic on the heap; on RocksDB
     *     {@code state.backend.type: rocksdb} and, when asked, its timers on the heap
     */
    Configuration jobConfiguration(Watermarks wm, Backend backend) {
        Configuration conf = new Configuration();
        if (wm != Watermarks.PERIODIC || backend != Backend.HEAP) {
            // as the job's run: no Kryo anywhere (a type that would fall back to it fails at start)
            conf.set(org.apache.flink.configuration.PipelineOptions.GENERIC_TYPES, false);
        }
        if (backend != Backend.HEAP) {
            conf.set(StateBackendOptions.STATE_BACKEND, backend.type);
            if (rocksdbHeapTimers) {
                conf.set(RocksDBOptions.TIMER_SERVICE_FACTORY, EmbeddedRocksDBStateBackend.PriorityQueueStateType.HEAP);
            }
        }
        return conf;
    }

    /** The job's counters in a row's notes and {@link Row#counters}, in this order. */
    static final List<String> COUNTERS = List.of(
            PipelineCounters.RECORDS_IN,
            PipelineCounters.MATCHED,
            PipelineCounters.TIMED_OUT,
            PipelineCounters.OPEN_AT_END,
            PipelineCounters.DUPLICATE,
            PipelineCounters.LATE,
            PipelineCounters.ORPHAN,
            PipelineCounters.LATE_APPLIED,
            PipelineCounters.HELD_BACK_AT_END);

    private static void deleteAll(List<Path> files) throws java.io.IOException {
        for (Path f : files) {
            Files.deleteIfExists(f);
        }
    }

    /**
     * @param acc a job's accumulator results
     * @param name accumulator name
     * @return its value, 0 when absent
     */
    static long accumulator(Map<String, Object> acc, String name) {
        Object v = acc.get(name);
        return v instanceof Number ? ((Number) v).longValue() : 0;
    }
}
