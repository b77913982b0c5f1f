package io.flightcontroller.pipeline;

import io.flightcontroller.domain.event.CorroboratedClock;
import io.flightcontroller.domain.event.ParsedRecord;
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
 * <p>State, so a job restored from a checkpoint or savepoint ends its input where an uninterrupted one would (also
 * when the restored source reads nothing more): the last watermark forwarded, and the end of input and the events
 * held back as the clock stood. After a restore the watermark is forwarded again before the first record (Flink does
 * not checkpoint watermarks; without it the operators downstream would judge that record against no watermark at
 * all) and watermarks at or behind it are not forwarded; the end of input is the later of the restored one and the
 * anchor of the clock since the restore (exact for files replayed sorted, where the clock is the maximum; in arrival
 * order the clock since the restore has not seen what came before). Shape: union list state {@value #STATE}, one
 * {@code long[] {last watermark forwarded, end of input, events held back}} per subtask ({@link Long#MIN_VALUE} for
 * none); a restore takes the smallest watermark (never ahead of any input), the largest end and the sum held back.
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
    /** End of input and events held back as restored, {@link Long#MIN_VALUE} and 0 when not restored. */
    private transient long restoredEnd;

    private transient long restoredHeld;

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
        restoredEnd = Long.MIN_VALUE;
        state = context.getOperatorStateStore()
                .getUnionListState(
                        new ListStateDescriptor<>(STATE, PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
        if (context.isRestored()) {
            long restored = Long.MAX_VALUE;
            for (long[] a : state.get()) {
                restored = Math.min(restored, a[0]);
                restoredEnd = Math.max(restoredEnd, a[1]);
                restoredHeld += a[2];
            }
            forwarded = restored == Long.MAX_VALUE ? Long.MIN_VALUE : restored;
            resend = forwarded != Long.MIN_VALUE;
        }
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        state.update(Collections.singletonList(new long[] {forwarded, end(), held()}));
    }

    /** @return the end of the input so far, restored part included, or {@link Long#MIN_VALUE} */
    private long end() {
        if (restoredEnd == Long.MIN_VALUE) {
            return clock.endOfInput();
        }
        return clock.anchor() == Long.MIN_VALUE ? restoredEnd : Math.max(restoredEnd, clock.anchor());
    }

    /** @return events beyond {@link #end()} */
    private long held() {
        return restoredEnd == Long.MIN_VALUE || clock.anchor() != Long.MIN_VALUE ? clock.heldBackAtEnd() : restoredHeld;
    }

    @Override
    public void processElement(StreamRecord<ParsedRecord> element) throws Exception {
        resendRestoredWatermark();
        if (element.hasTimestamp() && element.getValue().isEvent()) {
            clock.observe(
                    element.getTimestamp(),
                    element.getValue().getEvent().getCorrelationId().hashCode());
        }
        output.collect(element);
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        resendRestoredWatermark();
        long end = end();
        if (mark.getTimestamp() == Long.MAX_VALUE && end != Long.MIN_VALUE) {
            LongCounter held = new LongCounter();
            getRuntimeContext().addAccumulator(HELD_BACK, held);
            held.add(held());
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
