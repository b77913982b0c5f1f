package io.flightcontroller.app;

import io.flightcontroller.adapters.jdbc.JdbcConnections;
import io.flightcontroller.domain.event.DeadLetter;
import io.flightcontroller.domain.measure.MeasureDefinition;
import io.flightcontroller.domain.measure.MeasuresConfig;
import io.flightcontroller.domain.result.Quantiles;
import io.flightcontroller.pipeline.PipelineCounters;
import io.flightcontroller.pipeline.PipelineOptions;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The end-of-run summary of a bounded run: per measure (a sequence: the whole, then each hop) the cases measured,
 * exact p50 / p90 / p95 lead (type-7 quantiles over the {@code lead_times} rows), timeouts, breaches and open cases;
 * then every pipeline counter.
 */
public final class RunSummary {
    private RunSummary() {}

    /** Per-measure figures. */
    public static final class MeasureLine {
        public String measure;
        public String kind;
        public long measured;
        public Double p50Ms;
        public Double p90Ms;
        public Double p95Ms;
        public long timeouts;
        public long breaches;
        public long open;
    }

    /**
     * Reads the per-measure figures from the results database.
     *
     * @param jdbcUrl the database written by the run
     * @param measures the measures of the run
     * @return one line per measure, in file order
     * @throws SQLException when the database cannot be read
     */
    public static List<MeasureLine> read(String jdbcUrl, MeasuresConfig measures) throws SQLException {
        List<MeasureLine> lines = new ArrayList<>();
        try (Connection c = JdbcConnections.open(jdbcUrl)) {
            for (MeasureDefinition d : measures.getMeasures()) {
                for (String name : d.outputMeasures()) { // a sequence: the whole, then each hop
                    lines.add(line(
                            c,
                            name,
                            name.equals(d.getName()) ? d.getKind().yamlName() : "hop",
                            d.getKind().rules().resultsAreLeads()));
                }
            }
        }
        return lines;
    }

    private static MeasureLine line(Connection c, String name, String kind, boolean leads) throws SQLException {
        MeasureLine l = new MeasureLine();
        l.measure = name;
        l.kind = kind;
        if (leads) {
            List<Long> v = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT duration_ms FROM lead_times WHERE measure = ?")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        v.add(rs.getLong(1));
                    }
                }
            }
            long[] a = v.stream().mapToLong(Long::longValue).toArray();
            l.measured = a.length;
            if (a.length > 0) {
                l.p50Ms = Quantiles.type7(a, 0.5);
                l.p90Ms = Quantiles.type7(a, 0.9);
                l.p95Ms = Quantiles.type7(a, 0.95);
            }
        } else {
            l.measured = count(c, "SELECT COUNT(*) FROM measurements WHERE measure = ?", name);
        }
        l.timeouts = count(c, "SELECT COUNT(*) FROM alerts WHERE measure = ? AND kind = 'TIMEOUT'", name);
        l.breaches = count(c, "SELECT COUNT(*) FROM alerts WHERE measure = ? AND kind = 'BREACH'", name);
        l.open = count(c, "SELECT COUNT(*) FROM open_cases WHERE measure = ?", name);
        return l;
    }

    private static long count(Connection c, String sql, String measure) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, measure);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * Prints the summary.
     *
     * @param out where to print
     * @param lines per-measure figures (may be empty when no database was written)
     * @param accumulators the job's accumulator results (counter name to value)
     */
    public static void print(PrintStream out, List<MeasureLine> lines, Map<String, Object> accumulators) {
        out.println();
        out.println("Summary per measure");
        out.println(String.format(
                Locale.ROOT,
                "  %-40s %-11s %9s %12s %12s %12s %9s %9s %7s",
                "measure",
                "kind",
                "measured",
                "p50",
                "p90",
                "p95",
                "timeouts",
                "breaches",
                "open"));
        for (MeasureLine l : lines) {
            out.println(String.format(
                    Locale.ROOT,
                    "  %-40s %-11s %9d %12s %12s %12s %9d %9d %7d",
                    l.measure,
                    l.kind,
                    l.measured,
                    dur(l.p50Ms),
                    dur(l.p90Ms),
                    dur(l.p95Ms),
                    l.timeouts,
                    l.breaches,
                    l.open));
        }
        out.println();
        out.println("Counters");
        Map<String, Object> sorted = new TreeMap<>();
        for (String c : java.util.Arrays.asList(
                PipelineCounters.RECORDS_IN,
                PipelineCounters.EVENTS_PARSED,
                PipelineCounters.UNKNOWN_TYPE,
                PipelineCounters.DUPLICATE,
                PipelineCounters.LATE,
                PipelineCounters.ORPHAN,
                PipelineCounters.MATCHED,
                PipelineCounters.TIMED_OUT,
                PipelineCounters.BREACHED,
                PipelineCounters.OPEN_AT_END)) {
            sorted.put(c, 0L); // always shown, also when zero
        }
        sorted.putAll(accumulators);
        sorted.remove(PipelineCounters.MAX_EVENT_TIME);
        sorted.remove(PipelineCounters.MAX_LATENESS_MS);
        for (Map.Entry<String, Object> e : sorted.entrySet()) {
            out.println(String.format(Locale.ROOT, "  %-40s %12s", e.getKey(), e.getValue()));
        }
    }

    /** Share of late events above which the summary warns. */
    static final double LATE_WARNING_SHARE = 0.01;

    /**
     * Prints what happened to event time: how the input was ordered, late events (count, share of parsed events,
     * largest lateness and the out-of-orderness that would have accepted every one), events dead-lettered for a
     * time too far ahead of their arrival, and events held back at the end; a warning line when more than 1% of the
     * events were late, with what to do.
     *
     * @param out where to print
     * @param accumulators the job's accumulator results
     * @param options the run's pipeline options
     */
    public static void printEventTime(PrintStream out, Map<String, Object> accumulators, PipelineOptions options) {
        long parsed = num(accumulators, PipelineCounters.EVENTS_PARSED);
        long late = num(accumulators, PipelineCounters.LATE);
        long future = num(accumulators, PipelineCounters.MALFORMED_PREFIX + DeadLetter.REASON_FUTURE_TIME);
        long held = num(accumulators, PipelineCounters.HELD_BACK_AT_END);
        long maxLateness = num(accumulators, PipelineCounters.MAX_LATENESS_MS);
        out.println();
        out.println("Event time");
        if (options.isSortedInput()) {
            out.println("  order:            replayed sorted by event time (ties in file order): no event can be late");
        } else {
            out.println("  order:            arrival (file order), out-of-orderness " + options.getOutOfOrderness());
        }
        double share = parsed == 0 ? 0 : (double) late / parsed;
        out.println(String.format(
                Locale.ROOT,
                "  late:             %d of %d events (%.2f%%)%s",
                late,
                parsed,
                100 * share,
                late == 0 ? "" : ", largest lateness " + maxLateness + " ms behind the watermark"));
        Duration needed = Duration.ofMillis(options.getOutOfOrderness().toMillis() + maxLateness + 1);
        if (late > 0) {
            out.println("                    an --out-of-orderness of " + needed + " would have accepted them all");
        }
        out.println("  future time:      " + future + " events dead-lettered (more than "
                + (options.getMaxFutureSkew() == null ? "-" : options.getMaxFutureSkew()) + " ahead of their arrival)");
        if (held > 0) {
            out.println("  held back:        " + held + " events at the end: a lone jump ahead of the rest of the input"
                    + " that nothing followed; applied to their own case only (no other case's deadline moved)");
        }
        if (share > LATE_WARNING_SHARE) {
            out.println(String.format(
                    Locale.ROOT,
                    "WARNING: %.1f%% of the events were late (dead-lettered; only a late"
                            + " end of an open case is applied); replay without --arrival-order (sorted by event time) or with"
                            + " --out-of-orderness %s",
                    100 * share,
                    needed));
        }
    }

    private static long num(Map<String, Object> acc, String name) {
        Object v = acc.get(name);
        return v instanceof Number ? ((Number) v).longValue() : 0;
    }

    /**
     * Formats a duration in ms for people: {@code 27m 52s}, {@code 23h 40m 35.2s}.
     *
     * @param ms milliseconds, or null
     * @return the text, {@code -} for null
     */
    public static String dur(Double ms) {
        if (ms == null) {
            return "-";
        }
        double s = Math.round(ms / 100.0) / 10.0; // tenths of a second
        long d = (long) (s / 86400);
        s -= d * 86400;
        long h = (long) (s / 3600);
        s -= h * 3600;
        long m = (long) (s / 60);
        s -= m * 60;
        StringBuilder sb = new StringBuilder();
        if (d > 0) {
            sb.append(d).append("d ");
        }
        if (d > 0 || h > 0) {
            sb.append(h).append("h ");
        }
        if (d > 0 || h > 0 || m > 0) {
            sb.append(m).append("m ");
        }
        sb.append(s == Math.rint(s) ? String.valueOf((long) s) : String.format(Locale.ROOT, "%.1f", s))
                .append('s');
        return sb.toString();
    }
}
