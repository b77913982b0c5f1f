package io.flightcontroller.domain.engine;

import io.flightcontroller.domain.Outcome;
import io.flightcontroller.domain.event.EventTimes;
import io.flightcontroller.domain.measure.BurnRateRule;
import io.flightcontroller.domain.measure.Slo;
import io.flightcontroller.domain.result.Alert;
import io.flightcontroller.domain.result.ErrorBudget;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeSet;

/**
 * Multi-window, multi-burn-rate alerting for one measure's SLO, in event time (Google SRE Workbook, chapter "Alerting
 * on SLOs", approach 6 "Multiwindow, multi-burn-rate alerts").
 *
 * <p>SLO outcomes ({@link Outcome#isDecided()}) are counted into buckets of {@code bucketMs} (default 1 minute) by
 * their event time. At a bucket boundary {@code t} the window of length L covers the buckets starting in
 * {@code [t - L, t)}. A rule is true when, over both its long and its short window, the burn rate
 * {@code (bad / events) / (1 - objective)} strictly exceeds the rule's threshold, the long window holds at least
 * {@link Slo#getMinEvents()} outcomes and the short window at least one. A rule that becomes true emits one
 * {@code BURN_RATE_FIRING} alert; when it becomes false, one {@code BURN_RATE_RESOLVED} alert. Because the
 * condition only changes when a bucket enters or leaves a window, {@link #evaluationTimes} lists exactly those times.
 */
public final class BurnRateEvaluator implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Default bucket size: 1 minute, fine enough for the Workbook's shortest window (5 minutes). */
    public static final long DEFAULT_BUCKET_MS = 60_000L;

    /** Receives alerts. */
    public interface Listener {
        /** A firing or resolved burn-rate alert. */
        void alert(Alert a);
    }

    private final String measure;
    private final Slo slo;
    private final long bucketMs;
    private final long horizonMs;

    /**
     * @param measure measure name
     * @param slo the SLO with its rules
     * @param bucketMs bucket size in ms (&gt; 0; windows should be multiples of it)
     */
    public BurnRateEvaluator(String measure, Slo slo, long bucketMs) {
        this.measure = measure;
        this.slo = slo;
        this.bucketMs = bucketMs;
        long h = slo.getWindow().toMillis();
        for (BurnRateRule r : slo.getBurnRateRules()) {
            h = Math.max(h, r.getLongWindow().toMillis());
        }
        this.horizonMs = h;
    }

    /**
     * Counts an outcome; outcomes that are not the case's verdict are ignored.
     *
     * @param s state
     * @param o the outcome
     * @return the bucket start (epoch ms) the outcome was counted in, or null when ignored
     */
    public Long add(BurnRateState s, Outcome o) {
        if (!o.isDecided() || o.getGood() == null) {
            return null;
        }
        long b = Math.floorDiv(o.getTimeMs(), bucketMs) * bucketMs;
        long[] c = s.buckets.computeIfAbsent(b, k -> new long[2]);
        int i = o.getGood() ? 0 : 1;
        c[i]++;
        adjustWindowSums(s, b, i, 1);
        return b;
    }

    /**
     * The times at which rules must be re-evaluated because the bucket starting at {@code bucketStart} enters or
     * leaves a window: its end, and its end plus each window length.
     *
     * @param bucketStart bucket start, epoch ms
     * @return evaluation times, epoch ms, ascending
     */
    public TreeSet<Long> evaluationTimes(long bucketStart) {
        TreeSet<Long> t = new TreeSet<>();
        long end = bucketStart + bucketMs;
        t.add(end);
        for (BurnRateRule r : slo.getBurnRateRules()) {
            t.add(end + r.getLongWindow().toMillis());
            t.add(end + r.getShortWindow().toMillis());
        }
        return t;
    }

    /**
     * Evaluates every rule at time {@code t} and emits state changes; drops buckets older than the longest window.
     *
     * @param s state
     * @param t evaluation time (a bucket boundary), epoch ms
     * @param out receives firing / resolved alerts
     */
    public void evaluate(BurnRateState s, long t, Listener out) {
        for (BurnRateRule r : slo.getBurnRateRules()) {
            long[] lw = sum(s, t, r.getLongWindow().toMillis());
            long[] sw = sum(s, t, r.getShortWindow().toMillis());
            Double longRate = ErrorBudget.burnRate(lw[0], lw[1], slo.getObjective());
            Double shortRate = ErrorBudget.burnRate(sw[0], sw[1], slo.getObjective());
            boolean on = longRate != null
                    && shortRate != null
                    && lw[0] + lw[1] >= slo.getMinEvents()
                    && longRate > r.getBurnRate()
                    && shortRate > r.getBurnRate();
            Long since = s.firing.get(r.id());
            if (on && since == null) {
                s.firing.put(r.id(), t);
                out.alert(alert(Alert.Kind.BURN_RATE_FIRING, r, t, t, longRate, shortRate));
            } else if (!on && since != null) {
                s.firing.remove(r.id());
                out.alert(alert(Alert.Kind.BURN_RATE_RESOLVED, r, since, t, longRate, shortRate));
            }
        }
        NavigableMap<Long, long[]> old = s.buckets.headMap(t - horizonMs, false);
        if (s.windowSums != null && !s.windowSums.isEmpty()) {
            for (Map.Entry<Long, long[]> e : old.entrySet()) {
                adjustWindowSums(s, e.getKey(), 0, -e.getValue()[0]);
                adjustWindowSums(s, e.getKey(), 1, -e.getValue()[1]);
            }
        }
        old.clear();
    }

    /**
     * How far back buckets are kept: the longest of the SLO window and the rules' long windows. {@link #evaluate} at
     * {@code t} drops the buckets starting before {@code t - horizonMs()}.
     *
     * @return the horizon, ms
     */
    public long horizonMs() {
        return horizonMs;
    }

    /**
     * The error budget over the SLO window ending at {@code t}.
     *
     * @param s state
     * @param t evaluation time, epoch ms
     * @return the budget figures
     */
    public ErrorBudget budget(BurnRateState s, long t) {
        long[] c = sum(s, t, slo.getWindow().toMillis());
        return ErrorBudget.of(measure, t, slo, c[0], c[1]);
    }

    /**
     * Good and bad outcomes in the buckets starting in {@code [t - windowMs, t)}. Evaluation times only grow, so the
     * window's sums at the previous time are moved forward: plus the buckets in {@code [previous, t)}, minus those in
     * {@code [previous - windowMs, t - windowMs)}; a scan of the whole window only on the first call, when time went
     * back, or when it jumped by a window or more. Before, every rule at every evaluation scanned its whole long
     * window (up to 4,320 one-minute buckets for 3 days) and every hourly budget the SLO window (40,320 for 28 days);
     * see the benchmark README, "Results: 2026-12-01, evening".
     *
     * @return {@code [good, bad]}, a new array
     */
    long[] sum(BurnRateState s, long t, long windowMs) {
        if (s.windowSums == null) {
            s.windowSums = new HashMap<>();
        }
        long[] w = s.windowSums.get(windowMs);
        if (w == null || t < w[0] || t - w[0] >= windowMs) {
            long[] total = scan(s, t - windowMs, t);
            s.windowSums.put(windowMs, new long[] {t, total[0], total[1]});
            return total;
        }
        if (t > w[0]) {
            long[] entered = scan(s, w[0], t);
            long[] left = scan(s, w[0] - windowMs, t - windowMs);
            w[0] = t;
            w[1] += entered[0] - left[0];
            w[2] += entered[1] - left[1];
        }
        return new long[] {w[1], w[2]};
    }

    /** The sums of the buckets starting in {@code [from, to)}, read one by one. */
    static long[] scan(BurnRateState s, long from, long to) {
        long[] total = new long[2];
        if (from >= to) {
            return total;
        }
        for (Map.Entry<Long, long[]> e : s.buckets.subMap(from, true, to, false).entrySet()) {
            total[0] += e.getValue()[0];
            total[1] += e.getValue()[1];
        }
        return total;
    }

    /** Keeps every window's sums exact when bucket {@code bucket}'s count {@code i} (0 good, 1 bad) changes. */
    private static void adjustWindowSums(BurnRateState s, long bucket, int i, long delta) {
        if (s.windowSums == null || delta == 0) {
            return;
        }
        for (Map.Entry<Long, long[]> e : s.windowSums.entrySet()) {
            long[] w = e.getValue();
            if (bucket >= w[0] - e.getKey() && bucket < w[0]) {
                w[1 + i] += delta;
            }
        }
    }

    private Alert alert(Alert.Kind kind, BurnRateRule r, long firingSince, long t, Double longRate, Double shortRate) {
        Alert a = new Alert();
        a.setKind(kind);
        a.setSeverity(r.getSeverity());
        a.setMeasure(measure);
        a.setStartMs(t - r.getLongWindow().toMillis());
        a.setDeadlineMs(t);
        a.setBurnRate(longRate);
        a.setObjective(slo.getObjective());
        a.setWindow(r.getLongWindow() + "/" + r.getShortWindow());
        a.setAlertId(measure + "/burn-rate/" + r.id() + "/" + firingSince + "/"
                + (kind == Alert.Kind.BURN_RATE_FIRING ? "firing" : "resolved"));
        a.setSubject("[" + (kind == Alert.Kind.BURN_RATE_FIRING ? "FIRING" : "RESOLVED") + "] " + measure
                + ": error budget burn rate " + fmt(longRate) + " over " + r.getLongWindow() + " and " + fmt(shortRate)
                + " over " + r.getShortWindow() + " (threshold " + r.getBurnRate() + ", objective "
                + slo.getObjective() + ") at " + EventTimes.iso(t));
        return a;
    }

    private static String fmt(Double d) {
        return d == null ? "n/a" : String.format(java.util.Locale.ROOT, "%.2f", d);
    }
}
