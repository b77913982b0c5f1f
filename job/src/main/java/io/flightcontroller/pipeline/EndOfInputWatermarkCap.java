package io.flightcontroller.pipeline;

import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Replaces the final watermark of a bounded input ({@link Long#MAX_VALUE}, which would fire every timer and turn every
 * open case into a timeout) by the largest event time seen. Deadlines at or before the last event time still fire;
 * later ones do not, and the measuring operator reports those cases as open at end of input. Also applies when an
 * unbounded job is stopped with {@code --drain}. A subtask that saw no record forwards the final watermark unchanged
 * (downstream operators take the minimum over their inputs, so the others still bound it). All other watermarks pass
 * unchanged.
 *
 * @param <T> record type
 */
class EndOfInputWatermarkCap<T> extends AbstractStreamOperator<T> implements OneInputStreamOperator<T, T> {
    private static final long serialVersionUID = 1L;

    private long maxTimestamp = Long.MIN_VALUE;

    @Override
    public void processElement(StreamRecord<T> element) {
        if (element.hasTimestamp()) {
            maxTimestamp = Math.max(maxTimestamp, element.getTimestamp());
        }
        output.collect(element);
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        if (mark.getTimestamp() == Long.MAX_VALUE && maxTimestamp != Long.MIN_VALUE) {
            super.processWatermark(new Watermark(maxTimestamp));
        } else {
            super.processWatermark(mark);
        }
    }
}
