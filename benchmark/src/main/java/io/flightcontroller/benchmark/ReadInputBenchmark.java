package io.flightcontroller.benchmark;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

/**
 * The cost of reading input alone, without a Flink run: the parse rows ({@link ParseScenario}) and the sort rows
 * ({@link SortScenario}) of {@link Benchmark} on the same generated workload, so the parser and the sorter can be
 * compared before and after a change in a few minutes.
 *
 * <p>Shape: arguments {@code [cases [seed [repeat [workDir [jmh]]]]]} (defaults 100000, 42, 2, {@code target/bench},
 * {@code false}); each sort row is the best of {@code repeat} runs by lines/s; the load average (1, 5, 15 minutes)
 * is printed before and after. Rows as in {@link Benchmark}'s report: lines/s, process CPU µs per line, peak heap.
 */
public final class ReadInputBenchmark {
    private ReadInputBenchmark() {}

    /**
     * @param args see the class comment
     * @throws Exception when a file cannot be written or a run fails
     */
    public static void main(String[] args) throws Exception {
        long cases = args.length > 0 ? Long.parseLong(args[0]) : 100_000;
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 42;
        int repeat = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        Path workDir = Paths.get(args.length > 3 ? args[3] : "target/bench");
        boolean jmh = args.length > 4 && Boolean.parseBoolean(args[4]);
        Files.createDirectories(workDir);
        int cores = Runtime.getRuntime().availableProcessors();
        System.out.printf(
                "cores=%d java=%s cases=%d seed=%d load before: %s%n",
                cores, System.getProperty("java.version"), cases, seed, load());
        Report report = new Report(cores, cases, seed);
        Path single = workDir.resolve("events-" + cases + "-" + seed + ".jsonl");
        long lines = WorkloadGenerator.writeJsonLines(
                new WorkloadGenerator.Settings().cases(cases).seed(seed), single);
        List<Path> shards = Shards.byCase(single, 2);
        System.out.println("workload: " + lines + " lines, " + Files.size(single) + " bytes");
        for (int i = 0; i < repeat; i++) {
            report.add(ParseScenario.timedLoop(single));
        }
        if (jmh) {
            report.addAll(ParseScenario.jmh());
        }
        try (SortScenario sort = SortScenario.prepare(single, shards, seed, workDir)) {
            best(report, repeat, sort::check);
            best(report, repeat, () -> sort.sort("generator output", sort.generator, SortScenario.IN_MEMORY));
            best(report, repeat, () -> sort.sort("shards concatenated", sort.shards, SortScenario.IN_MEMORY));
            best(report, repeat, () -> sort.sort("shards concatenated", sort.shards, 16 << 20));
            best(report, repeat, () -> sort.sort("shuffled", sort.shuffled, SortScenario.IN_MEMORY));
        }
        for (Path p : shards) {
            Files.deleteIfExists(p);
        }
        report.print(System.out);
        System.out.println("load after: " + load());
    }

    private static void best(Report report, int repeat, Benchmark.Run r) throws Exception {
        Row best = null;
        for (int i = 0; i < Math.max(1, repeat); i++) {
            Row x = r.run();
            if (best == null || x.eventsPerS > best.eventsPerS) {
                best = x;
            }
        }
        report.add(best);
    }

    private static String load() {
        try {
            return new String(Files.readAllBytes(Paths.get("/proc/loadavg")), StandardCharsets.US_ASCII).trim();
        } catch (java.io.IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }
}
