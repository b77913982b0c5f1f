package io.flightcontroller.pipeline;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.OutputTag;

/**
 * One keyed operator replayed in Flink's operator test harness over a stream of events, watermarks and checkpoints,
 * every record of every output kept as text with its timestamp and the watermark it came at: for tests that compare two ways of running the same
 * operator record for record. A checkpoint is what Flink does (the barrier's {@code prepareSnapshotPreBarrier}, then
 * the snapshot), and, when asked, a restore from it into a new operator, which is sent the last watermark again as
 * {@link EndOfInputWatermarkCap} sends it after a restore.
 *
 * @param <E> the operator's input
 * @param <O> the operator's main output
 */
abstract class HarnessReplay<E, O> {

    /** One step of a stream: an event, a watermark or a checkpoint. */
    static final class Step<E> {
        final E event;
        final long watermark;
        final boolean checkpoint;

        private Step(E event, long watermark, boolean checkpoint) {
            this.event = event;
            this.watermark = watermark;
            this.checkpoint = checkpoint;
        }

        static <E> Step<E> event(E event) {
            return new Step<>(event, Long.MIN_VALUE, false);
        }

        static <E> Step<E> watermark(long watermark) {
            return new Step<>(null, watermark, false);
        }

        static <E> Step<E> checkpoint() {
            return new Step<>(null, Long.MIN_VALUE, true);
        }
    }

    /** How a run treats the checkpoints of its stream. */
    enum Checkpoints {
        NONE,
        SNAPSHOT,
        SNAPSHOT_AND_RESTORE,
        /**
         * Snapshots at every checkpoint, restores from every second: the operator goes on after the others with what
         * it held, so the snapshot after holds what changed since.
         */
        SNAPSHOT_AND_RESTORE_EVERY_OTHER
    }

    final List<String> rows = new ArrayList<>();
    KeyedOneInputStreamOperatorTestHarness<String, E, O> h;
    private long lastWatermark = Long.MIN_VALUE;

    /**
     * @param from a snapshot to restore, or null
     * @return a new harness of a new operator, restored from {@code from}, opened
     */
    abstract KeyedOneInputStreamOperatorTestHarness<String, E, O> harness(OperatorSubtaskState from) throws Exception;

    /** @return the record timestamp of an event (its event time, as the topology stamps it) */
    abstract long timestampOf(E event);

    /** @return the side outputs whose records are compared, besides the main output */
    abstract OutputTag<?>[] sides();

    /** Called before each step, with {@link #h}'s operator as it is then (for what a test counts). */
    void beforeStep() {}

    /** Opens the first harness; subclasses call it once their fields are set. */
    final void start() throws Exception {
        h = harness(null);
    }

    /** The watermarks sent so far: each record is tagged with the number at which it was emitted. */
    private int watermarks;

    /**
     * Moves the records emitted since the last call into {@link #rows}, each tagged with the number of watermarks sent
     * before it ({@code w3|...}): a record emitted at a later watermark than the other run's is a difference, while
     * the order of records within one watermark (which keys' timers fire first) is not.
     */
    private void collect() {
        List<String> emitted = new ArrayList<>();
        HarnessSupport.drainRecords(h, emitted, sides());
        for (String r : emitted) {
            rows.add("w" + watermarks + "|" + r);
        }
    }

    /** @return every record of every output over the stream, sorted */
    List<String> over(List<Step<E>> stream, Checkpoints checkpoints) throws Exception {
        long id = 0;
        for (Step<E> s : stream) {
            beforeStep();
            if (s.event != null) {
                h.processElement(new StreamRecord<>(s.event, timestampOf(s.event)));
            } else if (!s.checkpoint) {
                collect();
                h.processWatermark(s.watermark);
                lastWatermark = s.watermark;
                watermarks++;
                collect();
            } else if (checkpoints != Checkpoints.NONE) {
                h.prepareSnapshotPreBarrier(++id); // what Flink calls before every snapshot
                OperatorSubtaskState snapshot = h.snapshot(id, id);
                if (checkpoints == Checkpoints.SNAPSHOT_AND_RESTORE
                        || (checkpoints == Checkpoints.SNAPSHOT_AND_RESTORE_EVERY_OTHER && id % 2 == 0)) {
                    collect();
                    h.close();
                    h = harness(snapshot);
                    if (lastWatermark != Long.MIN_VALUE) {
                        h.processWatermark(lastWatermark); // as EndOfInputWatermarkCap sends it again after a restore
                    }
                }
            }
        }
        h.endInput();
        collect();
        h.close();
        Collections.sort(rows);
        return rows;
    }
}
