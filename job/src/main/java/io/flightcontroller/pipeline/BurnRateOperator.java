package io.flightcontroller.pipeline;

import io.flightcontroller.domain.Outcome;
import io.flightcontroller.domain.result.Alert;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;

/**
 * Runs {@link BurnRateFunction} as Flink's {@link KeyedProcessOperator} does (the same state and timers, so the
 * operator's savepoints restore either way), and has it write the bucket entries its outcomes changed once per
 * watermark, before each checkpoint's barrier and in {@code snapshotState}, where a function alone has no hook.
 */
final class BurnRateOperator extends KeyedProcessOperator<String, Outcome, Alert> {
    private static final long serialVersionUID = 1L;

    /** @param function the burn rates, only ever run by this operator */
    BurnRateOperator(BurnRateFunction function) {
        super(function);
    }

    private void writeChanged() throws Exception {
        Object current = getCurrentKey();
        ((BurnRateFunction) userFunction).writeChanged(this::setCurrentKey);
        if (current != null) {
            setCurrentKey(current);
        }
    }

    /** The entries changed, written before the watermark's timers evaluate (they read the copy, not the entries). */
    @Override
    public void processWatermark(Watermark mark) throws Exception {
        writeChanged();
        super.processWatermark(mark);
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        writeChanged();
    }

    /** Nothing to write here after {@link #prepareSnapshotPreBarrier} (only a test harness snapshots without it). */
    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        writeChanged();
        super.snapshotState(context);
    }
}
