package io.flightcontroller.pipeline;

import com.tdunning.math.stats.MergingDigest;
import com.tdunning.math.stats.TDigest;
import io.flightcontroller.domain.Outcome;
import io.flightcontroller.domain.WindowAggregate;
import java.io.Serializable;
import java.time.Duration;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * Window statistics per measure: counts of completed leads, good and bad verdicts, and lead percentiles from a
 * mergeable t-digest (Ted Dunning's {@code com.tdunning:t-digest}, {@link MergingDigest}, compression 100: relative
 * error well under 1% at p50..p99 for these sizes).
 */
public final class SloAggregates {
    private SloAggregates() {}

    /**
     * Tumbling event-time windows by the outcome's OWN time ({@link Outcome#getTimeMs()}: the end event's time for a
     * completed lead, the deadline for a breach or timeout), not by the time of the timer that happened to produce
     * it. An outcome is never behind the watermark here (the measuring operator emits it before forwarding the
     * watermark that passes its time), so none is dropped as late.
     */
    static final class ByOutcomeTime extends org.apache.flink.streaming.api.windowing.assigners.WindowAssigner<Object,
            TimeWindow> {
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

    /** Accumulator: counts plus a digest of lead times in ms. */
    static final class Acc implements Serializable {
        private static final long serialVersionUID = 1L;
        long completed;
        long good;
        long bad;
        TDigest digest = new MergingDigest(100);
    }

    /** The window state's type: its own serializer (v1: completed, good, bad, then the t-digest's own bytes). */
    static final org.apache.flink.api.common.typeinfo.TypeInformation<Acc> ACC_TYPE =
            new io.flightcontroller.serialization.VersionedSerializer.Info<>(Acc.class, AccSerializer::new);

    /** Serializer of {@link Acc}: the digest in {@link MergingDigest}'s own verbose byte form. */
    public static final class AccSerializer extends io.flightcontroller.serialization.VersionedSerializer<Acc> {
        private static final long serialVersionUID = 1L;

        @Override protected int version() { return 1; }
        @Override protected String typeName() { return "window aggregate accumulator"; }
        @Override public Acc createInstance() { return new Acc(); }

        @Override
        protected void write(Acc a, org.apache.flink.core.memory.DataOutputView out) throws java.io.IOException {
            out.writeLong(a.completed);
            out.writeLong(a.good);
            out.writeLong(a.bad);
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(a.digest.byteSize());
            a.digest.asBytes(buf);
            out.writeInt(buf.position());
            out.write(buf.array(), 0, buf.position());
        }

        @Override
        protected Acc read(int version, org.apache.flink.core.memory.DataInputView in) throws java.io.IOException {
            Acc a = new Acc();
            a.completed = in.readLong();
            a.good = in.readLong();
            a.bad = in.readLong();
            byte[] b = new byte[in.readInt()];
            in.readFully(b);
            a.digest = MergingDigest.fromBytes(java.nio.ByteBuffer.wrap(b));
            return a;
        }

        @Override
        public org.apache.flink.api.common.typeutils.TypeSerializerSnapshot<Acc> snapshotConfiguration() {
            return new AccSnapshot();
        }
    }

    /** Snapshot of {@link AccSerializer}. */
    public static final class AccSnapshot extends org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot<Acc> {
        public AccSnapshot() {
            super(AccSerializer::new);
        }
    }

    /** Adds outcomes into an {@link Acc}. */
    static final class Aggregate implements AggregateFunction<Outcome, Acc, Acc> {
        private static final long serialVersionUID = 1L;

        @Override
        public Acc createAccumulator() {
            return new Acc();
        }

        @Override
        public Acc add(Outcome o, Acc acc) {
            if (o.getLeadMs() != null) {
                acc.completed++;
                acc.digest.add(o.getLeadMs());
            }
            if (o.isDecided() && o.getGood() != null) {
                if (o.getGood()) {
                    acc.good++;
                } else {
                    acc.bad++;
                }
            }
            return acc;
        }

        @Override
        public Acc getResult(Acc acc) {
            return acc;
        }

        @Override
        public Acc merge(Acc a, Acc b) {
            a.completed += b.completed;
            a.good += b.good;
            a.bad += b.bad;
            a.digest.add(b.digest);
            return a;
        }
    }

    /** Turns an {@link Acc} into a {@link WindowAggregate} with the window bounds. */
    static final class ToAggregate extends ProcessWindowFunction<Acc, WindowAggregate, String, TimeWindow> {
        private static final long serialVersionUID = 1L;
        private final String window;

        ToAggregate(Duration window) {
            this.window = window.toString();
        }

        @Override
        public void process(String measure, Context ctx, Iterable<Acc> accs, Collector<WindowAggregate> out) {
            Acc acc = accs.iterator().next();
            WindowAggregate w = new WindowAggregate();
            w.setMeasure(measure);
            w.setWindow(window);
            w.setWindowStartMs(ctx.window().getStart());
            w.setWindowEndMs(ctx.window().getEnd());
            w.setCompleted(acc.completed);
            w.setGood(acc.good);
            w.setBad(acc.bad);
            w.setCompliance(acc.good + acc.bad == 0 ? null : (double) acc.good / (acc.good + acc.bad));
            if (acc.completed > 0) {
                w.setP50(acc.digest.quantile(0.50));
                w.setP90(acc.digest.quantile(0.90));
                w.setP95(acc.digest.quantile(0.95));
                w.setP99(acc.digest.quantile(0.99));
            }
            out.collect(w);
        }
    }
}
