package io.flightcontroller.pipeline;

import com.tdunning.math.stats.MergingDigest;
import com.tdunning.math.stats.TDigest;
import io.flightcontroller.domain.Outcome;
import io.flightcontroller.domain.result.WindowAggregate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * Window statistics per measure: counts of completed leads, good and bad verdicts, and lead percentiles from a
 * mergeable t-digest (Ted Dunning's {@code com.tdunning:t-digest}, {@link MergingDigest}, compression 100: relative
 * error well under 1% at p50..p99 for these sizes).
 */
final class SloAggregates {
    private SloAggregates() {}

    /**
     * Tumbling event-time windows by the outcome's OWN time ({@link Outcome#getTimeMs()}: the end event's time for a
     * completed lead, the deadline for a breach or timeout), not by the time of the timer that happened to produce
     * it. An outcome is never behind the watermark here (the measuring operator emits it before forwarding the
     * watermark that passes its time), so none is dropped as late.
     */
    static final class ByOutcomeTime
            extends org.apache.flink.streaming.api.windowing.assigners.WindowAssigner<Object, TimeWindow> {
        private static final long serialVersionUID = 1L;
        private final long sizeMs;

        ByOutcomeTime(Duration size) {
            this.sizeMs = size.toMillis();
        }

        @Override
        public java.util.Collection<TimeWindow> assignWindows(Object o, long timestamp, WindowAssignerContext ctx) {
            long start = TimeWindow.getWindowStartWithOffset(((Outcome) o).getTimeMs(), 0, sizeMs);
            return java.util.Collections.singletonList(new TimeWindow(start, start + sizeMs));
        }

        // no @Override on either: Flink 1.20 declares the first abstract, Flink 2.x only the second
        public org.apache.flink.streaming.api.windowing.triggers.Trigger<Object, TimeWindow> getDefaultTrigger(
                org.apache.flink.streaming.api.environment.StreamExecutionEnvironment env) {
            return getDefaultTrigger();
        }

        public org.apache.flink.streaming.api.windowing.triggers.Trigger<Object, TimeWindow> getDefaultTrigger() {
            return org.apache.flink.streaming.api.windowing.triggers.EventTimeTrigger.create();
        }

        @Override
        public org.apache.flink.api.common.typeutils.TypeSerializer<TimeWindow> getWindowSerializer(
                org.apache.flink.api.common.ExecutionConfig executionConfig) {
            return new TimeWindow.Serializer();
        }

        @Override
        public boolean isEventTime() {
            return true;
        }
    }

    /**
     * Computes a window's statistics from all its outcomes. The leads go into the digest in ascending order: a
     * t-digest's result depends on the order of its inputs, and the outcomes of a measure reach the window in an
     * order that depends on how the parallel measuring subtasks interleave, so an incremental digest gave different
     * percentiles from run to run (and between parallelisms) for windows larger than its buffer. The window keeps its
     * outcomes until it fires (list state: an append per outcome).
     */
    static final class ToAggregate extends ProcessWindowFunction<Outcome, WindowAggregate, String, TimeWindow> {
        private static final long serialVersionUID = 1L;
        private final String window;

        ToAggregate(Duration window) {
            this.window = window.toString();
        }

        @Override
        public void process(String measure, Context ctx, Iterable<Outcome> outcomes, Collector<WindowAggregate> out) {
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
            w.setWindowStartMs(ctx.window().getStart());
            w.setWindowEndMs(ctx.window().getEnd());
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
            out.collect(w);
        }
    }
}
