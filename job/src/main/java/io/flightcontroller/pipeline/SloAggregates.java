package io.flightcontroller.pipeline;

import com.tdunning.math.stats.MergingDigest;
import com.tdunning.math.stats.TDigest;
import io.flightcontroller.domain.Outcome;
import io.flightcontroller.domain.result.WindowAggregate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Window statistics per measure: counts of completed leads, good and bad verdicts, and lead percentiles from a
 * mergeable t-digest (Ted Dunning's {@code com.tdunning:t-digest}, {@link MergingDigest}, compression 100: relative
 * error well under 1% at p50..p99 for these sizes).
 */
final class SloAggregates {
    private SloAggregates() {}

    /**
     * A window's statistics from all its outcomes. The leads go into the digest in ascending order: a t-digest's
     * result depends on the order of its inputs, and the outcomes of a measure reach the window in an order that
     * depends on how the parallel measuring subtasks interleave, so an incremental digest gave different percentiles
     * from run to run (and between parallelisms) for windows larger than its buffer. The window keeps its outcomes
     * until it fires ({@link SloWindowOperator}: list state, appended to once per watermark).
     *
     * @param measure the measure
     * @param window the window's length as written in the rows (ISO-8601, e.g. {@code PT1H})
     * @param startMs the window's start, epoch ms
     * @param endMs the window's end (exclusive), epoch ms
     * @param outcomes the outcomes whose own time falls in the window, in any order
     * @return the window's row
     */
    static WindowAggregate aggregate(
            String measure, String window, long startMs, long endMs, Iterable<Outcome> outcomes) {
        long completed = 0;
        long good = 0;
        long bad = 0;
        List<Long> leads = new ArrayList<>();
        for (Outcome o : outcomes) {
            if (o.getLeadMs() != null) {
                completed++;
                leads.add(o.getLeadMs());
            }
            if (o.isDecided() && o.getGood() != null) {
                if (o.getGood()) {
                    good++;
                } else {
                    bad++;
                }
            }
        }
        WindowAggregate w = new WindowAggregate();
        w.setMeasure(measure);
        w.setWindow(window);
        w.setWindowStartMs(startMs);
        w.setWindowEndMs(endMs);
        w.setCompleted(completed);
        w.setGood(good);
        w.setBad(bad);
        w.setCompliance(good + bad == 0 ? null : (double) good / (good + bad));
        if (completed > 0) {
            Collections.sort(leads);
            TDigest digest = new MergingDigest(100);
            for (long lead : leads) {
                digest.add(lead);
            }
            w.setP50(digest.quantile(0.50));
            w.setP90(digest.quantile(0.90));
            w.setP95(digest.quantile(0.95));
            w.setP99(digest.quantile(0.99));
        }
        return w;
    }
}
