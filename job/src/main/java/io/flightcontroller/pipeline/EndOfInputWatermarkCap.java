package io.flightcontroller.pipeline;

import io.flightcontroller.domain.CorroboratedClock;
import io.flightcontroller.domain.ParsedRecord;
import org.apache.flink.api.common.accumulators.LongCounter;
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
 */
class EndOfInputWatermarkCap extends AbstractStreamOperator<ParsedRecord>
        implements OneInputStreamOperator<ParsedRecord, ParsedRecord> {
    private static final long serialVersionUID = 1L;

    /** Accumulator: events beyond the final watermark (a lone jump at the end), applied to their own case only. */
    static final String HELD_BACK = "held_back_at_end";

    private final int corroboration;
    private final long outOfOrdernessMs;
    private transient CorroboratedClock clock;

    /**
     * @param corroboration see {@link CorroboratedClock}
     * @param outOfOrdernessMs see {@link CorroboratedClock}
     */
    EndOfInputWatermarkCap(int corroboration, long outOfOrdernessMs) {
        this.corroboration = corroboration;
        this.outOfOrdernessMs = outOfOrdernessMs;
    }

    @Override
    public void open() throws Exception {
        super.open();
        clock = new CorroboratedClock(corroboration, outOfOrdernessMs);
    }

    @Override
    public void processElement(StreamRecord<ParsedRecord> element) {
        if (element.hasTimestamp() && element.getValue().isEvent()) {
            clock.observe(element.getTimestamp());
        }
        output.collect(element);
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        long end = clock.endOfInput();
        if (mark.getTimestamp() == Long.MAX_VALUE && end != Long.MIN_VALUE) {
            LongCounter held = new LongCounter();
            getRuntimeContext().addAccumulator(HELD_BACK, held);
            held.add(clock.heldBackAtEnd());
            super.processWatermark(new Watermark(end));
        } else {
            super.processWatermark(mark);
        }
    }
}
