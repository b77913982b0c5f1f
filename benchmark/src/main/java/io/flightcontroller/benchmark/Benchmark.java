package io.flightcontroller.benchmark;

import io.flightcontroller.adapters.file.JsonLinesFormat;
import io.flightcontroller.adapters.jdbc.JdbcOutputs;
import io.flightcontroller.adapters.jdbc.JdbcTables;
import io.flightcontroller.adapters.parse.EventParser;
import io.flightcontroller.adapters.parse.MeasuresYaml;
import io.flightcontroller.domain.MeasuresConfig;
import io.flightcontroller.domain.ParsedRecord;
import io.flightcontroller.pipeline.FlightControllerTopology;
import io.flightcontroller.pipeline.PipelineCounters;
import io.flightcontroller.pipeline.PipelineOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * One command that measures Flight Controller end to end on the mini-cluster, the same matching in Esper on identical
 * input, the parse-only rate, and heap state per open and per finished case; prints a table and writes CSV.
 */
@Command(name = "benchmark", mixinStandardHelpOptions = true,
        description = "Flight Controller benchmark: throughput, CPU per event, heap, state per case, vs Esper.")
public final class Benchmark implements Callable<Integer> {

    @Option(names = "--cases", description = "cases in the throughput workload (default ${DEFAULT-VALUE})")
    long cases = 200_000;

    @Option(names = "--seed", description = "workload seed (default ${DEFAULT-VALUE})")
    long seed = 42;

    @Option(names = "--work-dir", description = "where the JSON Lines files and the SQLite file go (default ${DEFAULT-VALUE})")
    Path workDir = Path.of("target/bench-work");

    @Option(names = "--csv", description = "CSV output (default ${DEFAULT-VALUE})")
    Path csv = Path.of("target/benchmark-results.csv");

    @Option(names = "--state-sizes", split = ",", description = "open-case counts for the state measurement (default ${DEFAULT-VALUE})")
    List<Long> stateSizes = List.of(10_000L, 100_000L);

    @Option(names = "--repeat", description = "repetitions of each throughput run; the best is reported (default ${DEFAULT-VALUE})")
    int repeat = 1;

    @Option(names = "--jdbc-cases", description = "cases for the (slow) SQLite run (default ${DEFAULT-VALUE})")
    long jdbcCases = 20_000;

    @Option(names = "--no-jdbc", description = "skip the SQLite run") boolean noJdbc;
    @Option(names = "--no-jmh", description = "skip JMH (the timed parse loop still runs)") boolean noJmh;
    @Option(names = "--no-state", description = "skip the state measurement") boolean noState;
    @Option(names = "--no-esper", description = "skip Esper") boolean noEsper;
    @Option(names = "--no-throughput", description = "skip the throughput, Esper and parse rows (state and latency only)")
    boolean noThroughput;
    @Option(names = "--no-latency", description = "skip the real-time latency runs") boolean noLatency;
    @Option(names = "--latency-rate", description = "events/s of the latency runs (default ${DEFAULT-VALUE})")
    int latencyRate = 10_000;
    @Option(names = "--latency-seconds", description = "length of each latency run (default ${DEFAULT-VALUE})")
    int latencySeconds = 40;
    @Option(names = "--latency-warmup", description = "seconds of each latency run not sampled (default ${DEFAULT-VALUE})")
    int latencyWarmup = 10;
    @Option(names = "--latency-wm-intervals", split = ",",
            description = "auto-watermark intervals in ms, one latency run each (default ${DEFAULT-VALUE})")
    List<Long> latencyWmIntervals = List.of(200L, 50L);
    @Option(names = "--latency-ooo-ms", description = "out-of-orderness of the latency runs (default ${DEFAULT-VALUE})")
    long latencyOooMs = 200;
    @Option(names = "--latency-buffer-timeout-ms",
            description = "network buffer timeout of the latency runs, -1 = Flink's default 100 ms (default ${DEFAULT-VALUE})")
    long latencyBufferTimeoutMs = -1;
    @Option(names = "--throughput-cases", split = ",",
            description = "extra scaling runs: FC p=2 JSON end to end at these case counts (e.g. 100000,1000000)")
    List<Long> throughputCases = List.of();

    private final List<Row> rows = new ArrayList<>();
    private MeasuresConfig measures;
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    /** One line of the table. */
    static final class Row {
        String scenario;
        String parallelism = "";
        String input = "";
        long events;
        double wallS;
        double eventsPerS;
        double cpuUsPerEvent = Double.NaN;
        double peakHeapMiB = Double.NaN;
        String notes = "";
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new Benchmark()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        int cores = Runtime.getRuntime().availableProcessors();
        try (InputStream in = FlightControllerTopology.class.getResourceAsStream("/measures.yaml")) {
            measures = MeasuresYaml.read(in);
        }
        Files.createDirectories(workDir);
        System.out.printf(Locale.ROOT, "cores=%d java=%s maxHeap=%d MiB cases=%d seed=%d%n", cores,
                System.getProperty("java.version"), Runtime.getRuntime().maxMemory() >> 20, cases, seed);

        if (!noThroughput) {
            throughput();
        }
        for (long n : throughputCases) {
            scaling(n);
        }
        if (!noState) {
            state();
        }
        if (!noLatency) {
            latency();
        }
        print(cores);
        writeCsv(cores);
        return 0;
    }

    private void throughput() throws Exception {
        // workload: one file (p=1, Esper, parse loop) and two shards by case (p=2: one file per source reader)
        WorkloadGenerator.Settings ws = new WorkloadGenerator.Settings().cases(cases).seed(seed);
        Path single = workDir.resolve("events-" + cases + "-" + seed + ".jsonl");
        long t0 = System.nanoTime();
        long lines = WorkloadGenerator.writeJsonLines(ws, single);
        double genS = (System.nanoTime() - t0) / 1e9;
        List<Path> shards = shard(single, 2);
        Row g = new Row();
        g.scenario = "generate JSON lines";
        g.input = "generator";
        g.events = lines;
        g.wallS = genS;
        g.eventsPerS = lines / genS;
        g.notes = Files.size(single) / (1 << 20) + " MiB";
        rows.add(g);

        // warm-up (JIT, class loading, mini-cluster start) on a small workload, not reported
        Path warm = workDir.resolve("warmup.jsonl");
        WorkloadGenerator.writeJsonLines(new WorkloadGenerator.Settings().cases(20_000).seed(1), warm);
        flink("warm-up", 1, List.of(warm), null, null, false);

        Row fc1 = best(() -> flink("FC end-to-end, discard", 1, List.of(single), null, lines, true));
        Row fc2 = best(() -> flink("FC end-to-end, discard", 2, shards, null, lines, true));
        Row fcPre1 = best(() -> flink("FC pre-parsed, discard", 1, null, null, lines, true));
        Row fcPre2 = best(() -> flink("FC pre-parsed, discard", 2, null, null, lines, true));
        best(() -> cep("Flink CEP matching only, discard", 2, shards, lines));
        if (!noJdbc) {
            Path db = workDir.resolve("bench.db");
            Files.deleteIfExists(db);
            String url = "jdbc:sqlite:" + db.toAbsolutePath();
            JdbcTables.createIfMissing(JdbcOutputs.effectiveUrl(url));
            Path jf = workDir.resolve("events-" + jdbcCases + "-" + seed + ".jsonl");
            long jl = WorkloadGenerator.writeJsonLines(new WorkloadGenerator.Settings().cases(jdbcCases).seed(seed), jf);
            flinkRow(flink("FC end-to-end, SQLite sink (" + jdbcCases + " cases)", 2, shard(jf, 2), url, jl, true));
        }
        if (!noEsper) {
            Row ej = best(() -> esper(true, single, lines));
            Row ep = best(() -> esper(false, single, lines));
            rows.add(generatorOnly(lines));
            ratio("ratio FC p1 / Esper, JSON", fc1, ej);
            ratio("ratio FC p2 / Esper, JSON", fc2, ej);
            ratio("ratio FC p1 / Esper, pre-parsed", fcPre1, ep);
            ratio("ratio FC p2 / Esper, pre-parsed", fcPre2, ep);
        }
        parseLoop(single);
        if (!noJmh) {
            jmh();
        }
    }

    /** Scaling: the p=2 JSON end-to-end run (discarding sink) at {@code n} cases. */
    private void scaling(long n) throws Exception {
        WorkloadGenerator.Settings ws = new WorkloadGenerator.Settings().cases(n).seed(seed);
        Path single = workDir.resolve("events-" + n + "-" + seed + ".jsonl");
        long lines = WorkloadGenerator.writeJsonLines(ws, single);
        List<Path> shards = shard(single, 2);
        Files.deleteIfExists(single);
        if (rows.stream().noneMatch(r -> r.scenario.startsWith("FC end-to-end"))) {
            Path warm = workDir.resolve("warmup.jsonl");
            WorkloadGenerator.writeJsonLines(new WorkloadGenerator.Settings().cases(20_000).seed(1), warm);
            flink("warm-up", 1, List.of(warm), null, null, false);
        }
        Row r = best(() -> flink("FC end-to-end, discard, " + n + " cases", 2, shards, null, lines, true));
        r.notes = lines + " lines; " + r.notes;
        for (Path p : shards) {
            Files.deleteIfExists(p);
        }
    }

    // ---------------------------------------------------------------- latency

    private void latency() throws Exception {
        // warm-up run (JIT), not reported
        LatencyRun.run(latencyRate, 8, 0, 200, java.time.Duration.ofMillis(latencyOooMs), -1);
        for (long wm : latencyWmIntervals) {
            LatencyRun.Result r = LatencyRun.run(latencyRate, latencySeconds, latencyWarmup, wm,
                    java.time.Duration.ofMillis(latencyOooMs), latencyBufferTimeoutMs);
            String cfg = String.format(Locale.ROOT, "%d ev/s, wm interval %d ms, ooo %d ms, buffer timeout %d ms",
                    latencyRate, wm, r.oooMs, r.bufferTimeoutMs);
            latencyRow("latency BREACH alert: arrival - (deadline + ooo)", cfg, r.breach, r);
            latencyRow("latency lead metric: arrival - (end time + ooo)", cfg, r.end, r);
            latencyRow("latency lead metric raw: arrival - end time", cfg, r.endRaw, r);
        }
    }

    private void latencyRow(String name, String cfg, org.HdrHistogram.Histogram h, LatencyRun.Result lr) {
        Row r = new Row();
        r.scenario = name;
        r.parallelism = "1";
        r.input = cfg;
        r.events = h.getTotalCount();
        r.wallS = lr.seconds;
        r.eventsPerS = h.getValueAtPercentile(50);
        r.notes = String.format(Locale.ROOT, "ms (value column = p50); p50 %d, p99 %d, max %d, mean %.1f; "
                + "wm interval share: uniform 0-%d ms (mean %d); samples %d; %s",
                h.getValueAtPercentile(50), h.getValueAtPercentile(99), h.getMaxValue(), h.getMean(),
                lr.wmIntervalMs, lr.wmIntervalMs / 2, h.getTotalCount(), LatencyRun.counters(lr));
        rows.add(r);
        System.out.printf(Locale.ROOT, "  %s [%s]: p50 %d ms, p99 %d ms, max %d ms (%d samples)%n", name, cfg,
                h.getValueAtPercentile(50), h.getValueAtPercentile(99), h.getMaxValue(), h.getTotalCount());
    }

    interface Run {
        Row run() throws Exception;
    }

    private Row best(Run r) throws Exception {
        Row best = null;
        for (int i = 0; i < Math.max(1, repeat); i++) {
            Row x = r.run();
            if (best == null || x.eventsPerS > best.eventsPerS) {
                best = x;
            }
        }
        rows.add(best);
        return best;
    }

    private void flinkRow(Row r) {
        rows.add(r);
    }

    private static List<Path> shard(Path single, int n) throws IOException {
        List<Path> out = new ArrayList<>();
        List<PrintWriter> ws = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Path p = single.resolveSibling(single.getFileName() + ".shard" + i + "of" + n);
            out.add(p);
            ws.add(new PrintWriter(Files.newBufferedWriter(p, StandardCharsets.UTF_8)));
        }
        try (BufferedReader r = Files.newBufferedReader(single, StandardCharsets.UTF_8)) {
            String l;
            while ((l = r.readLine()) != null) {
                // by case: "case-<n>" right after {"correlation_id":" ; malformed lines keep their prefix too
                int s = l.indexOf("case-");
                long caseNo = 0;
                if (s >= 0) {
                    int e = s + 5;
                    while (e < l.length() && Character.isDigit(l.charAt(e))) {
                        e++;
                    }
                    caseNo = e > s + 5 ? Long.parseLong(l.substring(s + 5, e)) : 0;
                }
                ws.get((int) (caseNo % n)).println(l);
            }
        }
        for (PrintWriter w : ws) {
            w.close();
        }
        return out;
    }

    // ---------------------------------------------------------------- measurement helpers

    private static void resetPeaks() {
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                p.resetPeakUsage();
            }
        }
    }

    private static double peakHeapMiB() {
        long sum = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                sum += p.getPeakUsage().getUsed();
            }
        }
        return sum / (1024.0 * 1024.0);
    }

    private static long gcMillis() {
        long t = 0;
        for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
            t += Math.max(0, b.getCollectionTime());
        }
        return t;
    }

    static long usedHeapAfterGc() throws InterruptedException {
        long prev = -1;
        long used = 0;
        for (int i = 0; i < 8; i++) {
            System.gc();
            Thread.sleep(300);
            used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            if (prev > 0 && Math.abs(used - prev) < Math.max(256 * 1024, prev / 200)) {
                break;
            }
            prev = used;
        }
        return used;
    }

    private final class Meter {
        final long wall0 = System.nanoTime();
        final long cpu0 = os.getProcessCpuTime();
        final long gc0 = gcMillis();

        Meter() {
            resetPeaks();
        }

        Row finish(Row r, long events) {
            r.wallS = (System.nanoTime() - wall0) / 1e9;
            r.events = events;
            r.eventsPerS = events / r.wallS;
            r.cpuUsPerEvent = (os.getProcessCpuTime() - cpu0) / 1e3 / events;
            r.peakHeapMiB = peakHeapMiB();
            r.notes = (r.notes.isEmpty() ? "" : r.notes + "; ") + "gc " + (gcMillis() - gc0) + " ms";
            return r;
        }
    }

    // ---------------------------------------------------------------- Flight Controller

    private Row flink(String name, int p, List<Path> files, String jdbcUrl, Long lines, boolean report)
            throws Exception {
        PipelineOptions options = PipelineOptions.builder(measures).build();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(p, new Configuration());
        DataStream<ParsedRecord> input;
        if (files != null) {
            org.apache.flink.core.fs.Path[] paths = files.stream()
                    .map(f -> new org.apache.flink.core.fs.Path(f.toAbsolutePath().toUri()))
                    .toArray(org.apache.flink.core.fs.Path[]::new);
            FileSource<ParsedRecord> src =
                    FileSource.forRecordStreamFormat(new JsonLinesFormat(new EventParser()), paths).build();
            input = env.fromSource(src, FlightControllerTopology.watermarkStrategy(options), "event files")
                    .setParallelism(files.size());
        } else {
            input = env.addSource(new BenchSources.GeneratorSource(cases, seed), "generator").setParallelism(1)
                    .assignTimestampsAndWatermarks(FlightControllerTopology.watermarkStrategy(options))
                    .setParallelism(1);
        }
        FlightControllerTopology.Outputs out = FlightControllerTopology.build(input, options);
        if (jdbcUrl != null) {
            JdbcOutputs.attach(out, jdbcUrl);
        } else {
            out.measurements.sinkTo(new BenchSources.DiscardingSink<>()).name("discard measurements");
            out.alerts.sinkTo(new BenchSources.DiscardingSink<>()).name("discard alerts");
            out.deadLetters.sinkTo(new BenchSources.DiscardingSink<>()).name("discard dead letters");
            out.aggregates.sinkTo(new BenchSources.DiscardingSink<>()).name("discard aggregates");
            out.errorBudgets.sinkTo(new BenchSources.DiscardingSink<>()).name("discard budgets");
            out.openCases.sinkTo(new BenchSources.DiscardingSink<>()).name("discard open cases");
        }
        Meter m = new Meter();
        JobExecutionResult r = env.execute(name);
        Map<String, Object> acc = r.getAllAccumulatorResults();
        long in = num(acc, PipelineCounters.RECORDS_IN);
        Row row = new Row();
        row.scenario = name;
        row.parallelism = String.valueOf(p);
        row.input = files == null ? "generator (no JSON)" : files.size() + " JSON file(s)";
        row.notes = String.format(Locale.ROOT, "records_in %d, matched %d, timed_out %d, open_at_end %d, duplicate %d, late %d",
                in, num(acc, PipelineCounters.MATCHED), num(acc, PipelineCounters.TIMED_OUT),
                num(acc, PipelineCounters.OPEN_AT_END), num(acc, PipelineCounters.DUPLICATE),
                num(acc, PipelineCounters.LATE));
        m.finish(row, lines != null ? lines : in);
        if (report) {
            System.out.println("  " + name + " p=" + p + ": " + fmt(row.eventsPerS) + " events/s; " + row.notes);
        }
        return row;
    }

    /**
     * The same matching on flink-cep, for the record of why the job does not use it: JSON through the same parser
     * and watermarks, keyed by correlation id, one pattern per lead-time measure ({@code begin(start)
     * .followedBy(end).within(timeout)}, skip past last event, event time), timeouts through a
     * {@code TimedOutPartialMatchHandler}, outputs discarded. Matching only: no de-duplication, SLOs, aggregates or
     * burn rates (like the Esper rows).
     */
    private Row cep(String name, int p, List<Path> files, long lines) throws Exception {
        PipelineOptions options = PipelineOptions.builder(measures).build();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(p, new Configuration());
        org.apache.flink.core.fs.Path[] paths = files.stream()
                .map(f -> new org.apache.flink.core.fs.Path(f.toAbsolutePath().toUri()))
                .toArray(org.apache.flink.core.fs.Path[]::new);
        FileSource<ParsedRecord> src =
                FileSource.forRecordStreamFormat(new JsonLinesFormat(new EventParser()), paths).build();
        DataStream<io.flightcontroller.domain.ProcessEvent> events = env
                .fromSource(src, FlightControllerTopology.watermarkStrategy(options), "event files")
                .setParallelism(files.size())
                .filter(ParsedRecord::isEvent).setParallelism(files.size())
                .map(ParsedRecord::getEvent)
                .returns(org.apache.flink.api.common.typeinfo.TypeInformation.of(
                        io.flightcontroller.domain.ProcessEvent.class))
                .setParallelism(files.size());
        org.apache.flink.streaming.api.datastream.KeyedStream<io.flightcontroller.domain.ProcessEvent, String> keyed =
                events.keyBy(io.flightcontroller.domain.ProcessEvent::getCorrelationId);
        for (io.flightcontroller.domain.MeasureDefinition d : measures.getMeasures()) {
            if (d.getKind() != io.flightcontroller.domain.MeasureKind.LEAD_TIME) {
                continue;
            }
            java.util.Set<String> start = new java.util.HashSet<>(d.getStart());
            java.util.Set<String> end = new java.util.HashSet<>(d.getEnd());
            org.apache.flink.cep.pattern.Pattern<io.flightcontroller.domain.ProcessEvent, ?> pattern =
                    org.apache.flink.cep.pattern.Pattern.<io.flightcontroller.domain.ProcessEvent>begin("start",
                            org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy.skipPastLastEvent())
                            .where(org.apache.flink.cep.pattern.conditions.SimpleCondition.of(
                                    e -> start.contains(e.getEventType())))
                            .followedBy("end")
                            .where(org.apache.flink.cep.pattern.conditions.SimpleCondition.of(
                                    e -> end.contains(e.getEventType())));
            if (d.getTimeout() != null) {
                pattern = pattern.within(d.getTimeout());
            }
            org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator<Long> leads =
                    org.apache.flink.cep.CEP.pattern(keyed, pattern).inEventTime().process(new CepMatches());
            leads.map(new Counting("cep_matched")).sinkTo(new BenchSources.DiscardingSink<>());
            leads.getSideOutput(CepMatches.TIMED_OUT).map(new Counting("cep_timed_out"))
                    .sinkTo(new BenchSources.DiscardingSink<>());
        }
        Meter m = new Meter();
        JobExecutionResult r = env.execute(name);
        Row row = new Row();
        row.scenario = name;
        row.parallelism = String.valueOf(p);
        row.input = files.size() + " JSON file(s)";
        row.notes = String.format(Locale.ROOT, "matched %d, timed_out %d (no dedup: duplicates make extra matches)",
                num(r.getAllAccumulatorResults(), "cep_matched"), num(r.getAllAccumulatorResults(), "cep_timed_out"));
        m.finish(row, lines);
        System.out.println("  " + name + " p=" + p + ": " + fmt(row.eventsPerS) + " events/s; " + row.notes);
        return row;
    }

    /** Emits each CEP match's lead in ms, and each timed-out partial match's start time on {@link #TIMED_OUT}. */
    static final class CepMatches
            extends org.apache.flink.cep.functions.PatternProcessFunction<io.flightcontroller.domain.ProcessEvent, Long>
            implements org.apache.flink.cep.functions.TimedOutPartialMatchHandler<io.flightcontroller.domain.ProcessEvent> {
        private static final long serialVersionUID = 1L;
        static final org.apache.flink.util.OutputTag<Long> TIMED_OUT =
                new org.apache.flink.util.OutputTag<>("timed-out", org.apache.flink.api.common.typeinfo.Types.LONG);

        @Override
        public void processMatch(Map<String, List<io.flightcontroller.domain.ProcessEvent>> match, Context ctx,
                org.apache.flink.util.Collector<Long> out) {
            out.collect(match.get("end").get(0).getTimeMs() - match.get("start").get(0).getTimeMs());
        }

        @Override
        public void processTimedOutMatch(Map<String, List<io.flightcontroller.domain.ProcessEvent>> match,
                Context ctx) {
            ctx.output(TIMED_OUT, match.get("start").get(0).getTimeMs());
        }
    }

    /** Counts records into an accumulator and passes them on. */
    static final class Counting extends org.apache.flink.api.common.functions.RichMapFunction<Long, Long> {
        private static final long serialVersionUID = 1L;
        private final String name;
        private transient org.apache.flink.api.common.accumulators.LongCounter counter;

        Counting(String name) {
            this.name = name;
        }

        @Override
        public void open(org.apache.flink.api.common.functions.OpenContext ctx) {
            counter = getRuntimeContext().getLongCounter(name);
        }

        @Override
        public Long map(Long v) {
            counter.add(1);
            return v;
        }
    }

    private static long num(Map<String, Object> acc, String k) {
        Object v = acc.get(k);
        return v instanceof Number ? ((Number) v).longValue() : 0;
    }

    // ---------------------------------------------------------------- Esper

    private Row esper(boolean fromJson, Path file, long lines) throws Exception {
        Row row = new Row();
        row.scenario = fromJson ? "Esper, JSON via EventParser" : "Esper, pre-parsed";
        row.parallelism = "1";
        row.input = fromJson ? "1 JSON file" : "generator (no JSON)";
        EventParser parser = new EventParser();
        long n = 0;
        Meter m;
        try (EsperMatcher e = new EsperMatcher(PipelineOptions.DEFAULT_OUT_OF_ORDERNESS.toMillis())) {
            m = new Meter();
            if (fromJson) {
                try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    String l;
                    while ((l = r.readLine()) != null) {
                        n++;
                        ParsedRecord pr = parser.parse(l);
                        if (pr.isEvent()) {
                            e.send(pr.getEvent());
                        }
                    }
                }
            } else {
                WorkloadGenerator g = new WorkloadGenerator(new WorkloadGenerator.Settings().cases(cases).seed(seed), true);
                while (g.hasNext()) {
                    WorkloadGenerator.Line l = g.next();
                    n++;
                    if (l.event != null) {
                        e.send(l.event);
                    } else {
                        parser.parse(l.json);
                    }
                }
            }
            e.finish();
            row.notes = "matched " + e.matched + ", timed_out " + e.timedOut;
            m.finish(row, n);
        }
        System.out.println("  " + row.scenario + ": " + fmt(row.eventsPerS) + " events/s; " + row.notes);
        return row;
    }

    private Row generatorOnly(long lines) {
        Meter m = new Meter();
        WorkloadGenerator g = new WorkloadGenerator(new WorkloadGenerator.Settings().cases(cases).seed(seed), true);
        long n = 0;
        while (g.hasNext()) {
            if (g.next() != null) {
                n++;
            }
        }
        Row r = new Row();
        r.scenario = "generator only (in both pre-parsed runs)";
        r.parallelism = "1";
        r.input = "generator";
        return m.finish(r, n);
    }

    private void ratio(String name, Row fc, Row esper) {
        Row r = new Row();
        r.scenario = name;
        r.eventsPerS = fc.eventsPerS / esper.eventsPerS;
        r.notes = String.format(Locale.ROOT, "FC %s / Esper %s events/s; CPU per event FC/Esper %.2f",
                fmt(fc.eventsPerS), fmt(esper.eventsPerS), fc.cpuUsPerEvent / esper.cpuUsPerEvent);
        r.wallS = Double.NaN;
        rows.add(r);
    }

    // ---------------------------------------------------------------- parse only

    private void parseLoop(Path file) throws IOException {
        List<String> sample = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String l;
            while ((l = r.readLine()) != null && sample.size() < 200_000) {
                sample.add(l);
            }
        }
        EventParser parser = new EventParser();
        long sink = 0;
        for (int w = 0; w < 3; w++) { // warm-up passes
            for (String l : sample) {
                sink += parser.parse(l).isEvent() ? 1 : 0;
            }
        }
        Meter m = new Meter();
        long n = 0;
        for (int pass = 0; pass < 3; pass++) {
            for (String l : sample) {
                sink += parser.parse(l).isEvent() ? 1 : 0;
                n++;
            }
        }
        Row r = new Row();
        r.scenario = "parse only, timed loop";
        r.parallelism = "1";
        r.input = sample.size() + " lines in memory x3";
        m.finish(r, n);
        r.notes += "; events " + sink;
        rows.add(r);
    }

    private void jmh() {
        try {
            Options opt = new OptionsBuilder().include(ParseBenchmark.class.getName())
                    .forks(1).jvmArgs("-Xmx1g").warmupIterations(3).warmupTime(TimeValue.seconds(2))
                    .measurementIterations(5).measurementTime(TimeValue.seconds(2)).threads(1)
                    .shouldDoGC(false).build();
            Collection<RunResult> results = new Runner(opt).run();
            for (RunResult rr : results) {
                Row r = new Row();
                r.scenario = "parse only, JMH (1 thread)";
                r.parallelism = "1";
                r.input = "4096 generated lines";
                r.eventsPerS = rr.getPrimaryResult().getScore();
                r.wallS = Double.NaN;
                r.notes = String.format(Locale.ROOT, "+- %.0f ops/s (99.9%%), 1 fork, 5x2 s",
                        rr.getPrimaryResult().getScoreError());
                rows.add(r);
            }
        } catch (Exception e) {
            Row r = new Row();
            r.scenario = "parse only, JMH";
            r.notes = "failed: " + e;
            rows.add(r);
        }
    }

    // ---------------------------------------------------------------- state per case

    private long holding(long n, double neverCompletes, long advanceMs) throws Exception {
        BenchSources.HoldingSource.RELEASE = new java.util.concurrent.CountDownLatch(1);
        BenchSources.MarkerSink.LATCH = new java.util.concurrent.CountDownLatch(1);
        PipelineOptions options = PipelineOptions.builder(measures).build();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1, new Configuration());
        DataStream<ParsedRecord> input = env
                .addSource(new BenchSources.HoldingSource(n, neverCompletes, advanceMs), "holding").setParallelism(1)
                .assignTimestampsAndWatermarks(FlightControllerTopology.watermarkStrategy(options));
        FlightControllerTopology.Outputs out = FlightControllerTopology.build(input, options);
        out.measurements.sinkTo(new BenchSources.MarkerSink<>("key=marker")).name("marker");
        out.alerts.sinkTo(new BenchSources.DiscardingSink<>());
        out.deadLetters.sinkTo(new BenchSources.DiscardingSink<>());
        out.aggregates.sinkTo(new BenchSources.DiscardingSink<>());
        out.errorBudgets.sinkTo(new BenchSources.DiscardingSink<>());
        out.openCases.sinkTo(new BenchSources.DiscardingSink<>());
        JobClient client = env.executeAsync("state " + n);
        try {
            if (!BenchSources.MarkerSink.LATCH.await(15, TimeUnit.MINUTES)) {
                throw new IllegalStateException("marker never arrived");
            }
            Thread.sleep(1000);
            return usedHeapAfterGc();
        } finally {
            BenchSources.HoldingSource.RELEASE.countDown();
            client.getJobExecutionResult().get();
        }
    }

    private void state() throws Exception {
        long base = holding(0, 1.0, 0);
        for (long n : stateSizes) {
            long open = holding(n, 1.0, 0);
            stateRow("state per OPEN case", n, open - base, "only starts; heap after GC minus an empty job's");
            long fin = holding(n, 0.0, 0);
            stateRow("state per FINISHED case, within retention", n, fin - base,
                    "3 events/case, all matched; dedup kept 1 h and case kept 1 day of event time");
            long exp = holding(n, 0.0, 2L * 24 * 3_600_000);
            stateRow("state per FINISHED case, after retention", n, exp - base,
                    "same, then the watermark moved 2 days on");
        }
    }

    private void stateRow(String name, long n, long bytes, String note) {
        Row r = new Row();
        r.scenario = name;
        r.parallelism = "1";
        r.input = n + " cases";
        r.events = n;
        r.wallS = Double.NaN;
        r.eventsPerS = (double) bytes / n;
        r.notes = "bytes/case (value column); " + note + "; delta " + (bytes >> 10) + " KiB";
        rows.add(r);
        System.out.printf(Locale.ROOT, "  %s, %d cases: %.0f bytes/case%n", name, n, (double) bytes / n);
    }

    // ---------------------------------------------------------------- output

    private static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "";
        }
        if (Math.abs(v) >= 100) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private void print(int cores) {
        System.out.println();
        System.out.printf(Locale.ROOT, "Flight Controller benchmark: %d cores, %d cases, seed %d%n", cores, cases, seed);
        String f = "%-46s %3s %-24s %11s %8s %14s %9s %9s  %s%n";
        System.out.printf(Locale.ROOT, f, "scenario", "p", "input", "events", "wall s", "events/s|value",
                "CPU us/ev", "peak MiB", "notes");
        for (Row r : rows) {
            System.out.printf(Locale.ROOT, f, r.scenario, r.parallelism, r.input, r.events == 0 ? "" : r.events,
                    fmt(r.wallS), fmt(r.eventsPerS), fmt(r.cpuUsPerEvent), fmt(r.peakHeapMiB), r.notes);
        }
    }

    private void writeCsv(int cores) throws IOException {
        if (csv.getParent() != null) {
            Files.createDirectories(csv.getParent());
        }
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(csv, StandardCharsets.UTF_8))) {
            w.println("cores,cases,seed,scenario,parallelism,input,events,wall_s,events_per_s_or_value,cpu_us_per_event,peak_heap_mib,notes");
            for (Row r : rows) {
                w.println(String.join(",", String.valueOf(cores), String.valueOf(cases), String.valueOf(seed),
                        q(r.scenario), r.parallelism, q(r.input), String.valueOf(r.events), num(r.wallS),
                        num(r.eventsPerS), num(r.cpuUsPerEvent), num(r.peakHeapMiB), q(r.notes)));
            }
        }
        System.out.println("CSV: " + csv.toAbsolutePath());
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.3f", v);
    }

    private static String q(String s) {
        return "\"" + s.replace("\"", "\"\"") + "\"";
    }
}
