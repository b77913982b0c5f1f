package io.flightcontroller.benchmark;

import io.flightcontroller.domain.event.ProcessEvent;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * Seeded, reproducible, streamed generator of process events: each case is {@code project_requested}, then (unless it
 * never completes) {@code project_assigned} and {@code project_created} after log-normal lead times. Duplicates (exact
 * copies), out-of-order delivery within a bound and malformed lines are mixed in at configurable shares.
 *
 * <p>Streamed: cases are started one at a time in event-time order; only events already scheduled but not yet
 * delivered (the cases "in flight" within the longest lead time) are held, in a priority queue ordered by delivery
 * time. Memory is bounded by the in-flight window, never by the workload size. The same seed and settings give the
 * same lines, byte for byte.
 *
 * <p>Out of order: every event is delivered at its event time plus a uniform delay in [0, outOfOrderMs), so an event
 * is never more than outOfOrderMs behind the largest event time delivered before it (keep it below the job's
 * out-of-orderness to avoid late events).
 */
public final class WorkloadGenerator implements Iterator<WorkloadGenerator.Line> {

    public static final String REQUESTED = "project_requested";
    public static final String ASSIGNED = "project_assigned";
    public static final String CREATED = "project_created";

    /** Settings; public fields with defaults. */
    public static final class Settings {
        public long cases = 100_000;
        public long seed = 42;
        /** Start of the first case, epoch ms. */
        public long startMs = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
        /** Mean event-time gap between case starts (exponential), ms. */
        public double meanInterArrivalMs = 1_000;
        /** requested -&gt; assigned: log-normal with this median and sigma. */
        public double assignMedianMs = 30 * 60_000d;

        public double assignSigma = 1.0;
        /** assigned -&gt; created: log-normal with this median and sigma. */
        public double createMedianMs = 6 * 3_600_000d;

        public double createSigma = 1.0;
        /** Share of cases that never get assigned or created. */
        public double neverCompletes = 0.05;
        /** Share of events delivered twice. */
        public double duplicates = 0.02;
        /** Share of extra malformed lines (one per case at most). */
        public double malformed = 0.001;
        /** Bound of the delivery delay, ms. */
        public long outOfOrderMs = 2_000;

        public Settings cases(long n) {
            this.cases = n;
            return this;
        }

        public Settings seed(long s) {
            this.seed = s;
            return this;
        }
    }

    /** One delivered line: JSON text, and the event (null for a malformed line). */
    public static final class Line {
        public final String json;
        public final ProcessEvent event;

        Line(String json, ProcessEvent event) {
            this.json = json;
            this.event = event;
        }
    }

    private static final class Pending implements Comparable<Pending> {
        final long deliverAt;
        final long seq;
        final long caseNo;
        final String type;
        final long timeMs;
        final boolean malformed;

        Pending(long deliverAt, long seq, long caseNo, String type, long timeMs, boolean malformed) {
            this.deliverAt = deliverAt;
            this.seq = seq;
            this.caseNo = caseNo;
            this.type = type;
            this.timeMs = timeMs;
            this.malformed = malformed;
        }

        @Override
        public int compareTo(Pending o) {
            int c = Long.compare(deliverAt, o.deliverAt);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    private final Settings s;
    private final SplittableRandom rnd;
    private final PriorityQueue<Pending> queue = new PriorityQueue<>();
    private long nextCase;
    private long nextStartMs;
    private long seq;
    private final boolean withEvents;

    /**
     * @param settings workload settings
     * @param withEvents whether each {@link Line} also carries the {@link ProcessEvent} (for pre-parsed runs)
     */
    public WorkloadGenerator(Settings settings, boolean withEvents) {
        this.s = settings;
        this.rnd = new SplittableRandom(settings.seed);
        this.nextStartMs = settings.startMs;
        this.withEvents = withEvents;
    }

    private long logNormal(double median, double sigma) {
        // Box-Muller; one normal per call is enough here
        double u1 = 1.0 - rnd.nextDouble();
        double u2 = rnd.nextDouble();
        double z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
        return Math.max(1, (long) (median * Math.exp(sigma * z)));
    }

    private void schedule(long caseNo, String type, long timeMs) {
        queue.add(new Pending(timeMs + delay(), seq++, caseNo, type, timeMs, false));
        if (rnd.nextDouble() < s.duplicates) {
            queue.add(new Pending(timeMs + delay(), seq++, caseNo, type, timeMs, false));
        }
    }

    private long delay() {
        return s.outOfOrderMs <= 0 ? 0 : rnd.nextLong(s.outOfOrderMs);
    }

    private void startCase() {
        long caseNo = nextCase++;
        long t0 = nextStartMs;
        nextStartMs += Math.max(1, (long) (-Math.log(1.0 - rnd.nextDouble()) * s.meanInterArrivalMs));
        schedule(caseNo, REQUESTED, t0);
        if (rnd.nextDouble() >= s.neverCompletes) {
            long t1 = t0 + logNormal(s.assignMedianMs, s.assignSigma);
            long t2 = t1 + logNormal(s.createMedianMs, s.createSigma);
            schedule(caseNo, ASSIGNED, t1);
            schedule(caseNo, CREATED, t2);
        }
        if (rnd.nextDouble() < s.malformed) {
            queue.add(new Pending(t0 + delay(), seq++, caseNo, REQUESTED, t0, true));
        }
    }

    @Override
    public boolean hasNext() {
        return nextCase < s.cases || !queue.isEmpty();
    }

    @Override
    public Line next() {
        Line l = next(0, 1);
        if (l == null) {
            throw new NoSuchElementException();
        }
        return l;
    }

    /**
     * The next line of the cases of one shard, as {@link Shards#byCase} splits the file: a line belongs to shard
     * {@code caseNo mod shards}. Lines of other shards are dropped without building their text; the random draws, and
     * so every line of this shard, are those of the whole workload.
     *
     * @param shard this shard, 0 to {@code shards - 1}
     * @param shards number of shards (1: every line)
     * @return the line, or null when no line of this shard is left
     */
    public Line next(int shard, int shards) {
        Pending p;
        do {
            // start every case whose start is at or before the earliest pending delivery (and the bound), so delivery
            // order is event-time order plus the delay
            while (nextCase < s.cases && (queue.isEmpty() || nextStartMs <= queue.peek().deliverAt)) {
                startCase();
            }
            p = queue.poll();
            if (p == null) {
                return null;
            }
        } while (shards > 1 && p.caseNo % shards != shard);
        String id = caseId(p.caseNo);
        String json = json(id, p.type, p.timeMs);
        if (p.malformed) {
            return new Line(json.substring(0, json.length() / 2), null);
        }
        ProcessEvent e = null;
        if (withEvents) {
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("team", "team-" + (p.caseNo % 20));
            e = ProcessEvent.of(null, id, p.type, p.timeMs, payload);
        }
        return new Line(json, e);
    }

    static String caseId(long caseNo) {
        return "case-" + caseNo;
    }

    private static String json(String id, String type, long timeMs) {
        StringBuilder b = new StringBuilder(128);
        b.append("{\"correlation_id\":\"")
                .append(id)
                .append("\",\"event_type\":\"")
                .append(type)
                .append("\",\"time\":\"")
                .append(Instant.ofEpochMilli(timeMs))
                .append("\",\"payload\":{\"team\":\"team-")
                .append(Long.parseLong(id.substring(5)) % 20)
                .append("\"}}");
        return b.toString();
    }

    /**
     * Writes the workload as JSON Lines.
     *
     * @param settings workload
     * @param file target
     * @return lines written
     * @throws IOException on write failure
     */
    public static long writeJsonLines(Settings settings, Path file) throws IOException {
        long n = 0;
        try (Writer w = new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8), 1 << 16)) {
            WorkloadGenerator g = new WorkloadGenerator(settings, false);
            while (g.hasNext()) {
                w.write(g.next().json);
                w.write('\n');
                n++;
            }
        }
        return n;
    }

    /** Command line: {@code WorkloadGenerator FILE CASES [SEED]}. */
    public static void main(String[] args) throws IOException {
        Settings st = new Settings().cases(Long.parseLong(args[1]));
        if (args.length > 2) {
            st.seed(Long.parseLong(args[2]));
        }
        System.out.println(writeJsonLines(st, Path.of(args[0])) + " lines");
    }
}
