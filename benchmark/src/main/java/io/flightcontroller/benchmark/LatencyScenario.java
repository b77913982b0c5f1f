package io.flightcontroller.benchmark;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * Real-time latency rows: a warm-up run, then one {@link LatencyRun} per auto-watermark interval, each giving three
 * rows (BREACH alert after the deadline's watermark, lead metric after the end event's watermark, lead metric after
 * the end event itself).
 *
 * <p>Shape: milliseconds; the value column is the p50, the notes carry p50, p99, max, mean, the share of the watermark
 * interval (uniform 0 to the interval), the sample count and the job's counters; the events column is the sample
 * count and the wall column the run's length in seconds.
 */
final class LatencyScenario {
    private LatencyScenario() {}

    /**
     * @param rate events per second
     * @param seconds length of each run
     * @param warmupSeconds first seconds of each run not sampled
     * @param wmIntervalsMs auto-watermark intervals in ms, one run each
     * @param oooMs out-of-orderness in ms
     * @param bufferTimeoutMs network buffer timeout in ms, -1 for Flink's default
     * @return the rows, in order
     * @throws Exception when a job fails
     */
    static List<Row> rows(
            int rate, int seconds, int warmupSeconds, List<Long> wmIntervalsMs, long oooMs, long bufferTimeoutMs)
            throws Exception {
        List<Row> rows = new ArrayList<>();
        // warm-up run (JIT), not reported
        LatencyRun.run(rate, 8, 0, 200, Duration.ofMillis(oooMs), -1);
        for (long wm : wmIntervalsMs) {
            LatencyRun.Result r =
                    LatencyRun.run(rate, seconds, warmupSeconds, wm, Duration.ofMillis(oooMs), bufferTimeoutMs);
            String cfg = String.format(
                    Locale.ROOT,
                    "%d ev/s, wm interval %d ms, ooo %d ms, buffer timeout %d ms",
                    rate,
                    wm,
                    r.oooMs,
                    r.bufferTimeoutMs);
            rows.add(row("latency BREACH alert: arrival - (deadline + ooo)", cfg, r.breach, r));
            rows.add(row("latency lead metric: arrival - (end time + ooo)", cfg, r.end, r));
            rows.add(row("latency lead metric raw: arrival - end time", cfg, r.endRaw, r));
        }
        return rows;
    }

    private static Row row(String name, String cfg, Histogram h, LatencyRun.Result lr) {
        Row r = new Row();
        r.scenario = name;
        r.parallelism = "1";
        r.input = cfg;
        r.events = h.getTotalCount();
        r.wallS = lr.seconds;
        r.eventsPerS = h.getValueAtPercentile(50);
        r.notes = String.format(
                Locale.ROOT,
                "ms (value column = p50); p50 %d, p99 %d, max %d, mean %.1f; "
                        + "wm interval share: uniform 0-%d ms (mean %d); samples %d; %s",
                h.getValueAtPercentile(50),
                h.getValueAtPercentile(99),
                h.getMaxValue(),
                h.getMean(),
                lr.wmIntervalMs,
                lr.wmIntervalMs / 2,
                h.getTotalCount(),
                LatencyRun.counters(lr));
        System.out.printf(
                Locale.ROOT,
                "  %s [%s]: p50 %d ms, p99 %d ms, max %d ms (%d samples)%n",
                name,
                cfg,
                h.getValueAtPercentile(50),
                h.getValueAtPercentile(99),
                h.getMaxValue(),
                h.getTotalCount());
        return r;
    }
}
