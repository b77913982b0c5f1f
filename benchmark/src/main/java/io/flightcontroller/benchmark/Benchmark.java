package io.flightcontroller.benchmark;

import io.flightcontroller.adapters.jdbc.JdbcOutputs;
import io.flightcontroller.adapters.jdbc.JdbcTables;
import io.flightcontroller.adapters.parse.MeasuresYaml;
import io.flightcontroller.benchmark.FlightControllerScenario.Backend;
import io.flightcontroller.benchmark.FlightControllerScenario.Watermarks;
import io.flightcontroller.domain.measure.MeasuresConfig;
import io.flightcontroller.pipeline.FlightControllerTopology;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * One command that measures Flight Controller end to end on the mini-cluster ({@link FlightControllerScenario}), the
 * same matching on flink-cep ({@link CepScenario}) and in Esper ({@link EsperScenario}) on identical input, the
 * parse-only rate ({@link ParseScenario}), the file replay's sort ({@link SortScenario}), heap state per open and per
 * finished case ({@link StateScenario}) and real-time latency ({@link LatencyScenario}); prints a table and writes CSV
 * ({@link Report}).
 *
 * <p>Shape: runs, in order, the throughput part (workload generation, warm-up, the job from JSON at p=1, then at p=2,
 * each with today's periodic watermarks and the file replay's data-driven watermarks in arrival order and sorted,
 * plus at p=2 the shape of the job's {@code run} (one reader of the sorted file), the job pre-parsed, every one of
 * these and issue 14's rows beside its RocksDB twin and their CPU ratio ({@link #withTwins}),
 * flink-cep at p=2, the JDBC rows (discard, SQLite, PostgreSQL at {@code --jdbc-cases}), Esper from JSON and
 * pre-parsed with the generator's own cost and the job/Esper ratios, the watermark CPU ratios, parse
 * only, the sort), the scaling runs, one row per start of the mini-clusters the FC and CEP rows share
 * ({@link SharedMiniCluster}: not in those rows), state per case, latency; each throughput row is the best of
 * {@code --repeat} runs by events/s, and the rows of one group run interleaved (a, b, c, a, b, c) so that a change of
 * the machine's load falls on all of them. Only when asked: the streamed scale runs ({@code --scale-cases},
 * {@link StreamedJsonSource}, after the scaling runs) and the snapshot size per case ({@code --checkpoint-sizes},
 * {@link CheckpointScenario}, after the state rows).
 */
@Command(
        name = "benchmark",
        mixinStandardHelpOptions = true,
        description = "Flight Controller benchmark: throughput, CPU per event, heap, state per case, vs Esper.")
public final class Benchmark implements Callable<Integer> {

    @Option(names = "--cases", description = "cases in the throughput workload (default ${DEFAULT-VALUE})")
    long cases = 200_000;

    @Option(names = "--seed", description = "workload seed (default ${DEFAULT-VALUE})")
    long seed = 42;

    @Option(
            names = "--work-dir",
            description = "where the JSON Lines files and the SQLite file go (default ${DEFAULT-VALUE})")
    Path workDir = Path.of("target/bench-work");

    @Option(names = "--csv", description = "CSV output (default ${DEFAULT-VALUE})")
    Path csv = Path.of("target/benchmark-results.csv");

    @Option(
            names = "--state-sizes",
            split = ",",
            description = "open-case counts for the state measurement (default ${DEFAULT-VALUE})")
    List<Long> stateSizes = List.of(10_000L, 100_000L);

    @Option(
            names = "--repeat",
            description = "repetitions of each throughput run; the best is reported (default ${DEFAULT-VALUE})")
    int repeat = 1;

    @Option(
            names = "--jdbc-cases",
            description = "cases of the JDBC rows: SQLite, PostgreSQL and the discarding row they are compared with"
                    + " (default ${DEFAULT-VALUE})")
    long jdbcCases = 20_000;

    @Option(
            names = "--measures",
            description = "measures file of the FC rows (default: the job's measures.yaml;"
                    + " src/main/resources/bench-two-lead-times.yaml is what the figures of 2026-12-01 and before ran)")
    Path measuresFile;

    @Option(names = "--no-jdbc", description = "skip the JDBC rows (SQLite, PostgreSQL and their discarding row)")
    boolean noJdbc;

    @Option(
            names = "--postgres-url",
            description = "PostgreSQL of the PostgreSQL row (its result tables are created and emptied); default: a"
                    + " throwaway server started from /usr/lib/postgresql/15/bin on a free loopback port")
    String postgresUrl;

    @Option(names = "--no-postgres", description = "skip the PostgreSQL row")
    boolean noPostgres;

    @Option(names = "--no-jmh", description = "skip JMH (the timed parse loop still runs)")
    boolean noJmh;

    @Option(names = "--no-state", description = "skip the state measurement")
    boolean noState;

    @Option(names = "--no-esper", description = "skip Esper")
    boolean noEsper;

    @Option(
            names = "--no-throughput",
            description = "skip the throughput, Esper and parse rows (state and latency only)")
    boolean noThroughput;

    @Option(names = "--no-latency", description = "skip the real-time latency runs")
    boolean noLatency;

    @Option(names = "--no-rocksdb", description = "skip the RocksDB rows")
    boolean noRocksdb;

    @Option(
            names = "--rocksdb-repeat",
            description = "repetitions of each RocksDB row, at most --repeat (default: --repeat)")
    Integer rocksdbRepeat;

    @Option(
            names = "--rocksdb-managed-mib",
            description = "managed memory of the mini-cluster in the RocksDB rows, MiB,"
                    + " shared by its slots; 0 = Flink's local default, 128 (default ${DEFAULT-VALUE})")
    int rocksdbManagedMib = 1024;

    @Option(
            names = "--rocksdb-heap-timers",
            description = "the RocksDB rows keep their timers on the heap"
                    + " (state.backend.rocksdb.timer-service.factory: HEAP); default: in RocksDB, as Managed Flink")
    boolean rocksdbHeapTimers;

    @Option(
            names = "--state-layout",
            description =
                    "the job's state.layout in the FC, state, checkpoint-size and latency rows: per_measure (the job's"
                            + " default)"
                            + " or per_correlation_id (default ${DEFAULT-VALUE})")
    io.flightcontroller.pipeline.PipelineOptions.StateLayout stateLayout =
            io.flightcontroller.pipeline.PipelineOptions.StateLayout.PER_MEASURE;

    @Option(names = "--no-sort", description = "skip the sort rows (EventTimeSorter)")
    boolean noSort;

    @Option(
            names = "--no-engines",
            description = "skip issue 14's rows: the sequence on CEP against the same hops as"
                    + " lead_time measures (throughput and state)")
    boolean noEngines;

    @Option(
            names = "--sort-chunk-mib",
            description = "chunk size of the spilled sort rows, MiB (default ${DEFAULT-VALUE}; the job's is 64)")
    int sortChunkMib = 8;

    @Option(names = "--latency-rate", description = "events/s of the latency runs (default ${DEFAULT-VALUE})")
    int latencyRate = 10_000;

    @Option(names = "--latency-seconds", description = "length of each latency run (default ${DEFAULT-VALUE})")
    int latencySeconds = 40;

    @Option(
            names = "--latency-warmup",
            description = "seconds of each latency run not sampled (default ${DEFAULT-VALUE})")
    int latencyWarmup = 10;

    @Option(
            names = "--latency-wm-intervals",
            split = ",",
            description = "auto-watermark intervals in ms, one latency run each (default ${DEFAULT-VALUE})")
    List<Long> latencyWmIntervals = List.of(200L, 50L);

    @Option(names = "--latency-ooo-ms", description = "out-of-orderness of the latency runs (default ${DEFAULT-VALUE})")
    long latencyOooMs = 200;

    @Option(
            names = "--latency-buffer-timeout-ms",
            description =
                    "network buffer timeout of the latency runs, -1 = Flink's default 100 ms (default ${DEFAULT-VALUE})")
    long latencyBufferTimeoutMs = -1;

    @Option(
            names = "--throughput-cases",
            split = ",",
            description = "extra scaling runs: FC p=2 JSON end to end at these case counts (e.g. 100000,1000000)")
    List<Long> throughputCases = List.of();

    @Option(
            names = "--scale-cases",
            split = ",",
            description = "streamed scale runs: FC end to end from JSON generated in-process (no file) at p=1 and p=2"
                    + " and Esper on the same lines, at these case counts (e.g. 100000,1000000,10000000); off"
                    + " unless given")
    List<Long> scaleCases = List.of();

    @Option(
            names = "--scale-p1-max-cases",
            description = "largest case count of the streamed p=1 runs (larger sizes: p=2 and Esper only; default all)")
    long scaleP1MaxCases = Long.MAX_VALUE;

    @Option(
            names = "--scale-rocksdb-max-cases",
            description = "largest case count of the streamed runs' RocksDB twins (default ${DEFAULT-VALUE})")
    long scaleRocksdbMaxCases = 1_000_000;

    @Option(
            names = "--checkpoint-sizes",
            split = ",",
            description = "snapshot size per case: savepoints of the state job (heap, and RocksDB unless --no-rocksdb)"
                    + " at these case counts (e.g. 100000); off unless given")
    List<Long> checkpointSizes = List.of();

    private Report report;
    private MeasuresConfig measures;
    private FlightControllerScenario flightController;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Benchmark())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (sortChunkMib < 1 || sortChunkMib > 2047) {
            throw new CommandLine.ParameterException(
                    new CommandLine(this), "--sort-chunk-mib: must be 1 to 2047 MiB, was " + sortChunkMib);
        }
        int cores = Runtime.getRuntime().availableProcessors();
        try (InputStream in = measuresFile != null
                ? Files.newInputStream(measuresFile)
                : FlightControllerTopology.class.getResourceAsStream("/measures.yaml")) {
            measures = MeasuresYaml.read(in);
        }
        report = new Report(cores, cases, seed);
        flightController = scenario(measures);
        Files.createDirectories(workDir);
        System.out.printf(
                Locale.ROOT,
                "cores=%d java=%s maxHeap=%d MiB cases=%d seed=%d measures=%s state.layout=%s%n",
                cores,
                System.getProperty("java.version"),
                Runtime.getRuntime().maxMemory() >> 20,
                cases,
                seed,
                measuresFile != null ? measuresFile : "the job's measures.yaml",
                stateLayout.name().toLowerCase(Locale.ROOT));

        try {
            if (!noThroughput) {
                throughput();
            }
            for (long n : throughputCases) {
                scaling(n);
            }
            if (!scaleCases.isEmpty()) {
                scale();
            }
        } finally {
            // the state, snapshot and latency rows run on clusters of their own
            SharedMiniCluster.closeAll();
        }
        // what the FC and CEP rows exclude: the start of the mini-clusters they ran on
        report.addAll(SharedMiniCluster.startRows());
        if (!noState) {
            report.addAll(new StateScenario(measures).stateLayout(stateLayout).rows(stateSizes));
            if (!noEngines) {
                report.addAll(new StateScenario(measures(SEQUENCE_YAML), SEQUENCE_LABEL).rows(stateSizes));
                report.addAll(new StateScenario(measures(LEAD_TIMES_YAML), LEAD_TIMES_LABEL).rows(stateSizes));
            }
        }
        if (!checkpointSizes.isEmpty()) {
            report.addAll(new CheckpointScenario(measures, rocksdbManagedMib > 0 ? rocksdbManagedMib : null, workDir)
                    .stateLayout(stateLayout)
                    .rows(backends(), checkpointSizes));
        }
        if (!noLatency) {
            LatencyRun.stateLayout = stateLayout;
            report.addAll(LatencyScenario.rows(
                    latencyRate,
                    latencySeconds,
                    latencyWarmup,
                    latencyWmIntervals,
                    latencyOooMs,
                    latencyBufferTimeoutMs));
        }
        report.print(System.out);
        report.writeCsv(csv);
        System.out.println("CSV: " + csv.toAbsolutePath());
        return 0;
    }

    private void throughput() throws Exception {
        // workload: one file (p=1, Esper, parse loop) and two shards by case (p=2: one file per source reader)
        WorkloadGenerator.Settings ws =
                new WorkloadGenerator.Settings().cases(cases).seed(seed);
        Path single = workDir.resolve("events-" + cases + "-" + seed + ".jsonl");
        long t0 = System.nanoTime();
        long lines = WorkloadGenerator.writeJsonLines(ws, single);
        double genS = (System.nanoTime() - t0) / 1e9;
        List<Path> shards = Shards.byCase(single, 2);
        Row g = new Row();
        g.scenario = "generate JSON lines";
        g.input = "generator";
        g.events = lines;
        g.wallS = genS;
        g.eventsPerS = lines / genS;
        g.notes = Files.size(single) / (1 << 20) + " MiB";
        report.add(g);

        FlightControllerScenario fc = flightController;
        fc.warmUp(workDir, List.of(Watermarks.values()), backends());
        // per parallelism, interleaved: today's reference (periodic watermarks), the file replay's watermarks
        // (arrival order, sorted), at p=2 the shape of run; each on the heap and, unless --no-rocksdb, on RocksDB
        List<Row> p1 = withTwins(fileRows(fc, 1, single, List.of(single), lines), repeat, !noRocksdb);
        List<Row> p2 = withTwins(fileRows(fc, 2, single, shards, lines), repeat, !noRocksdb);
        Row fc1 = p1.get(0);
        Row fc2 = p2.get(0);
        List<Row> engines = noEngines ? List.of() : engines(single, shards, lines);
        List<Row> pre = withTwins(preParsedRows(fc, lines), repeat, !noRocksdb);
        Row fcPre1 = pre.get(0);
        Row fcPre2 = pre.get(1);
        CepScenario cep = new CepScenario(measures);
        best(() -> cep.run("Flink CEP matching only, discard", 2, shards, lines));
        if (!noJdbc) {
            jdbc();
        }
        if (!noEsper) {
            EsperScenario esper = new EsperScenario(cases, seed);
            // one unreported run of each first, as the FC rows have theirs (fc.warmUp): measured on a cold engine,
            // Esper's process CPU per event took in the JIT compiler's threads (6.10-8.99 us at the same events/s)
            esper.run(true, single);
            esper.run(false, single);
            Row ej = best(() -> esper.run(true, single));
            Row ep = best(() -> esper.run(false, single));
            report.add(esper.generatorOnly());
            report.add(EsperScenario.ratio("ratio FC p1 / Esper, JSON", fc1, ej));
            report.add(EsperScenario.ratio("ratio FC p2 / Esper, JSON", fc2, ej));
            report.add(EsperScenario.ratio("ratio FC p1 / Esper, pre-parsed", fcPre1, ep));
            report.add(EsperScenario.ratio("ratio FC p2 / Esper, pre-parsed", fcPre2, ep));
            report.add(EsperScenario.ratio("ratio FC p1 file wm arrival / Esper, JSON", p1.get(1), ej));
            report.add(EsperScenario.ratio("ratio FC p1 file wm sorted / Esper, JSON", p1.get(2), ej));
            report.add(EsperScenario.ratio("ratio FC p2 file wm arrival / Esper, JSON", p2.get(1), ej));
            report.add(EsperScenario.ratio("ratio FC p2 file wm sorted / Esper, JSON", p2.get(2), ej));
            report.add(EsperScenario.ratio("ratio FC as run p2 / Esper, JSON", p2.get(3), ej));
            if (!engines.isEmpty()) {
                report.add(EsperScenario.ratio("ratio " + SEQUENCE_LABEL + " p1 / Esper, JSON", engines.get(0), ej));
                report.add(EsperScenario.ratio("ratio " + LEAD_TIMES_LABEL + " p1 / Esper, JSON", engines.get(1), ej));
                report.add(EsperScenario.ratio("ratio " + SEQUENCE_LABEL + " p2 / Esper, JSON", engines.get(2), ej));
                report.add(EsperScenario.ratio("ratio " + LEAD_TIMES_LABEL + " p2 / Esper, JSON", engines.get(3), ej));
            }
        }
        if (!engines.isEmpty()) {
            report.add(Ratios.cpu(
                    "CPU ratio p1 sequence on CEP / same hops as lead_time", engines.get(0), engines.get(1)));
            report.add(Ratios.cpu(
                    "CPU ratio p2 sequence on CEP / same hops as lead_time", engines.get(2), engines.get(3)));
        }
        report.add(Ratios.cpu("CPU ratio p1 file wm arrival / periodic", p1.get(1), fc1));
        report.add(Ratios.cpu("CPU ratio p1 file wm sorted / periodic", p1.get(2), fc1));
        report.add(Ratios.cpu("CPU ratio p2 file wm arrival / periodic", p2.get(1), fc2));
        report.add(Ratios.cpu("CPU ratio p2 file wm sorted / periodic", p2.get(2), fc2));
        report.add(ParseScenario.timedLoop(single));
        if (!noJmh) {
            report.addAll(ParseScenario.jmh());
        }
        if (!noSort) {
            int chunk = sortChunkMib << 20;
            try (SortScenario sort = SortScenario.prepare(single, shards, seed, workDir)) {
                best(sort::check);
                best(() -> sort.sort("generator output", sort.generator, SortScenario.IN_MEMORY));
                best(() -> sort.sort("shards concatenated", sort.shards, SortScenario.IN_MEMORY));
                best(() -> sort.sort("shards concatenated", sort.shards, chunk));
                best(() -> sort.sort("shuffled", sort.shuffled, SortScenario.IN_MEMORY));
                best(() -> sort.sort("shuffled", sort.shuffled, chunk));
            }
        }
    }

    static final String SQLITE_LABEL = "FC end-to-end, SQLite sink";
    static final String POSTGRES_LABEL = "FC end-to-end, PostgreSQL sink";

    /**
     * The JDBC rows (issue 16): at {@code --jdbc-cases}, p=2 on two shards, periodic watermarks, heap, interleaved: the
     * discarding sink, the job's JDBC sinks on a fresh SQLite file, and on PostgreSQL ({@code --postgres-url}, else a
     * throwaway server; when none can be had the row says why and the run goes on); then SQLite / discard and
     * PostgreSQL / discard CPU per event. A PostgreSQL server's CPU is not in the JVM's: it is measured from
     * {@code /proc} for the throwaway server and shown in the notes, and in a second ratio row with it added.
     */
    private void jdbc() throws Exception {
        Path jf = workDir.resolve("events-" + jdbcCases + "-" + seed + ".jsonl");
        long jl = WorkloadGenerator.writeJsonLines(
                new WorkloadGenerator.Settings().cases(jdbcCases).seed(seed), jf);
        List<Path> shards = Shards.byCase(jf, 2);
        String suffix = " (" + jdbcCases + " cases)";
        Path db = workDir.resolve("bench.db");
        String sqlite = "jdbc:sqlite:" + db.toAbsolutePath();
        List<Run> runs = new ArrayList<>(List.of(
                () -> flightController.run("FC end-to-end, discard" + suffix, 2, shards, null, jl, true), () -> {
                    for (String f : List.of("", "-wal", "-shm")) {
                        Files.deleteIfExists(Path.of(db + f));
                    }
                    JdbcTables.createIfMissing(JdbcOutputs.effectiveUrl(sqlite));
                    return flightController.run(SQLITE_LABEL + suffix, 2, shards, sqlite, jl, true);
                }));
        BenchPostgres server = null;
        String pgUrl = postgresUrl;
        String pgSkipped = null;
        if (!noPostgres && pgUrl == null) {
            pgSkipped = BenchPostgres.unavailable();
            if (pgSkipped == null) {
                try {
                    server = BenchPostgres.start();
                    pgUrl = server.jdbcUrl();
                } catch (java.io.IOException e) {
                    pgSkipped = "could not start PostgreSQL: " + e.getMessage();
                }
            }
        }
        java.util.Map<Row, Long> serverCpu = new java.util.IdentityHashMap<>();
        if (pgUrl != null) {
            String url = pgUrl;
            BenchPostgres s = server;
            try {
                JdbcTables.createIfMissing(url);
                runs.add(() -> {
                    JdbcTables.clearAll(url);
                    long cpu0 = s == null ? -1 : s.cpuNanos();
                    Row r = flightController.run(POSTGRES_LABEL + suffix, 2, shards, url, jl, true);
                    long cpu1 = s == null ? -1 : s.cpuNanos();
                    if (cpu0 >= 0 && cpu1 >= 0) {
                        serverCpu.put(r, cpu1 - cpu0);
                        r.notes += String.format(
                                Locale.ROOT,
                                "; server CPU %.2f us/event (not in the CPU column)",
                                (cpu1 - cpu0) / 1e3 / jl);
                    } else {
                        r.notes += "; server CPU not measured (--postgres-url)";
                    }
                    return r;
                });
            } catch (java.sql.SQLException e) {
                pgSkipped = "PostgreSQL at " + io.flightcontroller.adapters.jdbc.JdbcConnections.masked(url)
                        + " unavailable: " + e.getMessage();
            }
        }
        List<Row> rows;
        try {
            rows = bestOfEach(runs);
        } finally {
            if (server != null) {
                server.close();
            }
            for (Path p : shards) {
                Files.deleteIfExists(p);
            }
        }
        report.add(Ratios.cpu("CPU ratio p2 SQLite / discard", rows.get(1), rows.get(0)));
        if (rows.size() > 2) {
            report.add(Ratios.cpu("CPU ratio p2 PostgreSQL JVM / discard", rows.get(2), rows.get(0)));
            Long server2 = serverCpu.get(rows.get(2));
            if (server2 != null) {
                Row withServer = new Row();
                withServer.cpuUsPerEvent = rows.get(2).cpuUsPerEvent + server2 / 1e3 / jl;
                withServer.eventsPerS = rows.get(2).eventsPerS;
                report.add(Ratios.cpu("CPU ratio p2 PostgreSQL JVM+server / discard", withServer, rows.get(0)));
            }
        } else if (!noPostgres) {
            report.add(skipped(POSTGRES_LABEL + suffix, pgSkipped));
            System.out.println("  " + POSTGRES_LABEL + " skipped: " + pgSkipped);
        }
    }

    /**
     * @param scenario the row that did not run
     * @param why why
     * @return a row with no figures whose notes say why it was skipped
     */
    static Row skipped(String scenario, String why) {
        Row r = new Row();
        r.scenario = scenario;
        r.parallelism = "2";
        r.wallS = Double.NaN;
        r.eventsPerS = Double.NaN;
        r.notes = "skipped: " + why;
        return r;
    }

    /** Issue 14's measures: the project process as one sequence (as in the job's measures.yaml). */
    static final String SEQUENCE_YAML = "/bench-sequence.yaml";
    /** Issue 14's measures: the same hops as lead_time measures on the state machine. */
    static final String LEAD_TIMES_YAML = "/bench-lead-times.yaml";

    static final String SEQUENCE_LABEL = "FC sequence on CEP";
    static final String LEAD_TIMES_LABEL = "FC same hops as lead_time";

    static MeasuresConfig measures(String resource) throws java.io.IOException {
        try (InputStream in = Benchmark.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("benchmark resource " + resource + " missing");
            }
            return MeasuresYaml.read(in);
        }
    }

    /**
     * Issue 14's rows: the project process as one sequence (Flink CEP) against the same hops as lead_time measures
     * (the state machine), nothing else declared, the same JSON files, periodic watermarks; p=1 on the one file and
     * p=2 on the two shards, interleaved, each on the heap and, unless {@code --no-rocksdb}, on RocksDB.
     *
     * @return the best heap rows: sequence p=1, lead_time p=1, sequence p=2, lead_time p=2
     */
    private List<Row> engines(Path single, List<Path> shards, long lines) throws Exception {
        FlightControllerScenario seq = scenario(measures(SEQUENCE_YAML));
        FlightControllerScenario lt = scenario(measures(LEAD_TIMES_YAML));
        seq.warmUp(workDir, List.of(Watermarks.PERIODIC), backends());
        lt.warmUp(workDir, List.of(Watermarks.PERIODIC), backends());
        return withTwins(engineRows(seq, lt, single, shards, lines), repeat, !noRocksdb);
    }

    /**
     * @return issue 14's rows as {@link #engines} runs them: sequence p=1, lead_time p=1, sequence p=2, lead_time p=2
     */
    static List<BackendRun> engineRows(
            FlightControllerScenario seq, FlightControllerScenario lt, Path single, List<Path> shards, long lines) {
        String s = SEQUENCE_LABEL + " (" + SEQUENCE_YAML.substring(1) + "), discard";
        String l = LEAD_TIMES_LABEL + " (" + LEAD_TIMES_YAML.substring(1) + "), discard";
        return List.of(
                b -> seq.run(s, 1, List.of(single), null, lines, true, Watermarks.PERIODIC, b),
                b -> lt.run(l, 1, List.of(single), null, lines, true, Watermarks.PERIODIC, b),
                b -> seq.run(s, 2, shards, null, lines, true, Watermarks.PERIODIC, b),
                b -> lt.run(l, 2, shards, null, lines, true, Watermarks.PERIODIC, b));
    }

    /**
     * The file rows of one parallelism (issue 11's watermark modes): today's reference (periodic watermarks, what live
     * sources use), the file replay's watermarks in arrival order and sorted (the sort inside the row), and at p > 1
     * the shape of the job's {@code run} (the one file sorted, one reader, keyed operators at p).
     *
     * @param single the workload as one file
     * @param files one file per source reader ({@code single} at p=1, the shards at p=2)
     * @return the rows, in this order
     */
    static List<BackendRun> fileRows(FlightControllerScenario fc, int p, Path single, List<Path> files, long lines) {
        List<BackendRun> rows = new ArrayList<>(List.of(
                b -> fc.run(PERIODIC, p, files, null, lines, true, Watermarks.PERIODIC, b),
                b -> fc.run(FILE_ARRIVAL, p, files, null, lines, true, Watermarks.FILE_ARRIVAL, b),
                b -> fc.run(FILE_SORTED, p, files, null, lines, true, Watermarks.FILE_SORTED, b)));
        if (p > 1) {
            rows.add(b -> fc.run(AS_RUN, p, List.of(single), null, lines, true, Watermarks.FILE_SORTED, b));
        }
        return rows;
    }

    /** @return the pre-parsed rows (the generator's events, no JSON, periodic watermarks): p=1, p=2 */
    static List<BackendRun> preParsedRows(FlightControllerScenario fc, long lines) {
        return List.of(
                b -> fc.run("FC pre-parsed, discard", 1, null, null, lines, true, Watermarks.PERIODIC, b),
                b -> fc.run("FC pre-parsed, discard", 2, null, null, lines, true, Watermarks.PERIODIC, b));
    }

    /**
     * @param m the measures
     * @return a scenario of the throughput workload with this invocation's RocksDB settings and state layout
     */
    private FlightControllerScenario scenario(MeasuresConfig m) {
        return new FlightControllerScenario(m, cases, seed)
                .rocksdbManagedMemory(rocksdbManagedMib > 0 ? rocksdbManagedMib : null)
                .rocksdbHeapTimers(rocksdbHeapTimers)
                .stateLayout(stateLayout);
    }

    /** @return the heap backend and, unless {@code --no-rocksdb}, RocksDB */
    private List<Backend> backends() {
        return noRocksdb ? List.of(Backend.HEAP) : List.of(Backend.HEAP, Backend.ROCKSDB);
    }

    private static final String FILE_ARRIVAL = "FC end-to-end, file wm arrival, discard";
    private static final String FILE_SORTED = "FC end-to-end, file wm sorted+sort, discard";
    private static final String PERIODIC = "FC end-to-end, discard";
    private static final String AS_RUN = "FC as run: sort, 1 reader, discard";

    /** Scaling: the p=2 JSON end-to-end run (discarding sink) at {@code n} cases, and its RocksDB twin. */
    private void scaling(long n) throws Exception {
        WorkloadGenerator.Settings ws =
                new WorkloadGenerator.Settings().cases(n).seed(seed);
        Path single = workDir.resolve("events-" + n + "-" + seed + ".jsonl");
        long lines = WorkloadGenerator.writeJsonLines(ws, single);
        List<Path> shards = Shards.byCase(single, 2);
        Files.deleteIfExists(single);
        if (report.rows().stream().noneMatch(r -> r.scenario.startsWith("FC end-to-end"))) {
            flightController.warmUp(workDir, List.of(Watermarks.PERIODIC), backends());
        }
        withTwins(
                List.of(b -> flightController.run(
                        PERIODIC + ", " + n + " cases", 2, shards, null, lines, true, Watermarks.PERIODIC, b)),
                repeat,
                !noRocksdb);
        for (Path p : shards) {
            Files.deleteIfExists(p);
        }
    }

    /**
     * Streamed scale runs: per size of {@code --scale-cases}, in order, the job from JSON generated in-process at p=1
     * (up to {@code --scale-p1-max-cases}) and p=2, each with its RocksDB twin (unless {@code --no-rocksdb}, up to
     * {@code --scale-rocksdb-max-cases}), and Esper on the same lines; then a ratio row per parallelism and size, and a
     * marginal-CPU row per parallelism, backend and pair of consecutive sizes. Each run once (a 10M-case run takes many
     * minutes); one 20,000-case warm-up of each engine and backend first, not reported.
     */
    private void scale() throws Exception {
        FlightControllerScenario fc = flightController;
        for (Backend b : backends()) {
            fc.runStreamed("warm-up", 1, 20_000, false, b);
        }
        EsperScenario esper = new EsperScenario(cases, seed);
        if (!noEsper) {
            esper.runStreamed(20_000, false);
        }
        List<Long> sizes = new ArrayList<>(scaleCases);
        sizes.sort(null);
        // per size: p=1 heap, p=1 RocksDB, p=2 heap, p=2 RocksDB, Esper (each null when not run)
        List<Row[]> bySize = new ArrayList<>();
        for (long n : sizes) {
            Row[] at = new Row[5];
            boolean twins = !noRocksdb && n <= scaleRocksdbMaxCases;
            for (int p : n <= scaleP1MaxCases ? List.of(1, 2) : List.of(2)) {
                Row[] last = new Row[2];
                at[2 * p - 2] = withTwins(
                                List.of(b ->
                                        last[b.ordinal()] = fc.runStreamed(SCALE + ", " + n + " cases", p, n, true, b)),
                                1,
                                twins)
                        .get(0);
                at[2 * p - 1] = last[Backend.ROCKSDB.ordinal()];
            }
            if (!noEsper) {
                Row e = esper.runStreamed(n, true);
                at[4] = e;
                report.add(e);
                if (at[0] != null) {
                    report.add(EsperScenario.ratio("ratio FC streamed p1 / Esper, " + n + " cases", at[0], e));
                }
                report.add(EsperScenario.ratio("ratio FC streamed p2 / Esper, " + n + " cases", at[2], e));
            }
            bySize.add(at);
        }
        String[] labels = {
            "FC streamed p1", "FC streamed p1 RocksDB", "FC streamed p2", "FC streamed p2 RocksDB", "Esper streamed"
        };
        for (int k = 0; k < labels.length; k++) {
            for (int i = 1; i < sizes.size(); i++) {
                Row a = bySize.get(i - 1)[k];
                Row b = bySize.get(i)[k];
                if (a != null && b != null) {
                    report.add(Ratios.marginalCpu(
                            "marginal CPU " + labels[k] + ", " + sizes.get(i - 1) + " -> " + sizes.get(i) + " cases",
                            a,
                            b));
                }
            }
        }
    }

    private static final String SCALE = "FC streamed JSON, discard";

    /** One measured run. */
    interface Run {
        Row run() throws Exception;
    }

    /** One row that runs on either state backend: its heap run and its RocksDB twin are the same call. */
    interface BackendRun {
        Row run(Backend backend) throws Exception;
    }

    /**
     * The one way to give rows their RocksDB twins: runs each row on the heap and, when {@code twins}, the same row on
     * RocksDB (at most {@code --rocksdb-repeat} times), all interleaved (heap a, RocksDB a, heap b, RocksDB b, then
     * again), best of {@code times} each; reports each heap row, then its twin and their CPU ratio
     * ({@link Ratios#rocksdbOverHeap}, which fails when the twin did other work).
     *
     * @param rows the rows of one group
     * @param times runs of each heap row
     * @param twins whether to run the RocksDB twins
     * @return the best heap rows, in the order given
     * @throws Exception when a run fails, or a twin did other work than its heap row
     */
    private List<Row> withTwins(List<BackendRun> rows, int times, boolean twins) throws Exception {
        List<Run> runs = new ArrayList<>();
        for (BackendRun r : rows) {
            runs.add(() -> r.run(Backend.HEAP));
            if (twins) {
                runs.add(atMost(rocksdbRepeat, () -> r.run(Backend.ROCKSDB)));
            }
        }
        List<Row> best = bestOf(runs, times);
        List<Row> heap = new ArrayList<>();
        int step = twins ? 2 : 1;
        for (int i = 0; i < best.size(); i += step) {
            heap.add(best.get(i));
            report.add(best.get(i));
            if (twins) {
                report.add(best.get(i + 1));
                report.add(Ratios.rocksdbOverHeap(best.get(i + 1), best.get(i)));
            }
        }
        return heap;
    }

    /**
     * Runs every one of {@code runs} {@code --repeat} times, interleaved (all of them once, then all again), and
     * reports for each the row with the most events/s, in the order given.
     *
     * @param runs the runs of one group
     * @return their best rows, in the order given
     * @throws Exception when a run fails
     */
    private List<Row> bestOfEach(List<Run> runs) throws Exception {
        List<Row> best = bestOf(runs, repeat);
        report.addAll(best);
        return best;
    }

    /** As {@link #bestOfEach}, {@code times} times, without reporting. */
    private static List<Row> bestOf(List<Run> runs, int times) throws Exception {
        List<Row> best = new ArrayList<>();
        for (int i = 0; i < Math.max(1, times); i++) {
            for (int k = 0; k < runs.size(); k++) {
                Row x = runs.get(k).run();
                if (i == 0) {
                    best.add(x);
                } else if (x.eventsPerS > best.get(k).eventsPerS) {
                    best.set(k, x);
                }
            }
        }
        return best;
    }

    /**
     * @param times how often {@code r} really runs; null = every time
     * @param r a run
     * @return a run that runs {@code r} the first {@code times} times and then returns its last row again
     */
    static Run atMost(Integer times, Run r) {
        if (times == null) {
            return r;
        }
        return new Run() {
            private int done;
            private Row last;

            @Override
            public Row run() throws Exception {
                if (done < Math.max(1, times)) {
                    last = r.run();
                    done++;
                }
                return last;
            }
        };
    }

    /** Runs {@code r} {@code --repeat} times and reports the row with the most events/s. */
    private Row best(Run r) throws Exception {
        Row best = null;
        for (int i = 0; i < Math.max(1, repeat); i++) {
            Row x = r.run();
            if (best == null || x.eventsPerS > best.eventsPerS) {
                best = x;
            }
        }
        report.add(best);
        return best;
    }
}
