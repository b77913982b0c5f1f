package io.flightcontroller.pipeline;

import io.flightcontroller.domain.CorroboratedClock;
import io.flightcontroller.domain.ParsedRecord;
import java.util.Collections;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Replaces the final watermark of a bounded input ({@link Long#MAX_VALUE}, which would fire every timer and turn every
 * open case into a timeout) by the last event time the input has corroborated ({@link CorroboratedClock#endOfInput}:
 * the largest event time, unless it is a lone jump beyond the out-of-orderness bound, which is held back and
 * counted as {@value #HELD_BACK}). Deadlines at or before the last event time still fire;
 * later ones do not, and the measuring operator reports those cases as open at end of input. Also applies when an
 * unbounded job is stopped with {@code --drain}. A subtask that saw no record forwards the final watermark unchanged
 * (downstream operators take the minimum over their inputs, so the others still bound it). All other watermarks pass
 * unchanged.
 *
 * <p>State: the clock and the last watermark forwarded are checkpointed, so a job restored from a checkpoint or
 * savepoint ends its input where an uninterrupted one would (also when the restored source reads nothing more), and
 * the restored watermark is forwarded again before the first record after the restore (Flink does not checkpoint
 * watermarks; without it the operators downstream would judge that record against no watermark at all); watermarks
 * at or behind it are not forwarded. Shape: union list state {@value #STATE}, one {@code long[]} per subtask:
 * {@code [last watermark forwarded, time, events, time, events, ...]} ({@link CorroboratedClock#snapshot()}); on a
 * restore every subtask merges all clocks and takes the smallest watermark (never ahead of any input).
 */
class EndOfInputWatermarkCap extends AbstractStreamOperator<ParsedRecord>
        implements OneInputStreamOperator<ParsedRecord, ParsedRecord> {
    private static final long serialVersionUID = 1L;

    /** Accumulator: events beyond the final watermark (a lone jump at the end), applied to their own case only. */
    static final String HELD_BACK = "held_back_at_end";

    private final int corroboration;
    private final long outOfOrdernessMs;
    /** Name of the operator state. */
    static final String STATE = "end-of-input-clock";

    private transient CorroboratedClock clock;
    private transient ListState<long[]> state;
    /** The last watermark forwarded (restored from a checkpoint), {@link Long#MIN_VALUE} before any. */
    private transient long forwarded;
    /** A restored watermark still to forward before anything else. */
    private transient boolean resend;

    /**
     * @param corroboration see {@link CorroboratedClock}
     * @param outOfOrdernessMs see {@link CorroboratedClock}
     */
    EndOfInputWatermarkCap(int corroboration, long outOfOrdernessMs) {
        this.corroboration = corroboration;
        this.outOfOrdernessMs = outOfOrdernessMs;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        clock = new CorroboratedClock(corroboration, outOfOrdernessMs);
        forwarded = Long.MIN_VALUE;
        state = context.getOperatorStateStore().getUnionListState(
                new ListStateDescriptor<>(STATE, PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
        if (context.isRestored()) {
            long restored = Long.MAX_VALUE;
            for (long[] a : state.get()) {
                restored = Math.min(restored, a[0]);
                for (int i = 1; i + 1 < a.length; i += 2) {
                    clock.observe(a[i], a[i + 1]);
                }
            }
            forwarded = restored == Long.MAX_VALUE ? Long.MIN_VALUE : restored;
            resend = forwarded != Long.MIN_VALUE;
        }
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        long[] c = clock.snapshot();
        long[] a = new long[c.length + 1];
        a[0] = forwarded;
        System.arraycopy(c, 0, a, 1, c.length);
        state.update(Collections.singletonList(a));
    }

    @Override
    public void processElement(StreamRecord<ParsedRecord> element) throws Exception {
        resendRestoredWatermark();
        if (element.hasTimestamp() && element.getValue().isEvent()) {
            clock.observe(element.getTimestamp());
        }
        output.collect(element);
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        resendRestoredWatermark();
        long end = clock.endOfInput();
        if (mark.getTimestamp() == Long.MAX_VALUE && end != Long.MIN_VALUE) {
            LongCounter held = new LongCounter();
            getRuntimeContext().addAccumulator(HELD_BACK, held);
            held.add(clock.heldBackAtEnd());
            forward(new Watermark(end));
        } else {
            forward(mark);
        }
    }

    private void resendRestoredWatermark() throws Exception {
        if (resend) {
            resend = false;
            super.processWatermark(new Watermark(forwarded));
        }
    }

    private void forward(Watermark mark) throws Exception {
        if (mark.getTimestamp() > forwarded || forwarded == Long.MIN_VALUE) {
            forwarded = mark.getTimestamp();
            super.processWatermark(mark);
        }
    }
}
