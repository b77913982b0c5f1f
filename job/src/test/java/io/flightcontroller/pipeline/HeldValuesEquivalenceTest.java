package io.flightcontroller.pipeline;

import static io.flightcontroller.pipeline.HarnessSupport.measuresResource;
import static org.assertj.core.api.Assertions.assertThat;

import io.flightcontroller.domain.event.ProcessEvent;
import io.flightcontroller.domain.measure.MeasuresConfig;
import io.flightcontroller.domain.result.Measurement;
import io.flightcontroller.pipeline.HarnessReplay.Checkpoints;
import io.flightcontroller.pipeline.HarnessReplay.Step;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.Test;

/**
 * The values {@link MeasureByCorrelationId} holds ({@link HeldValues}: read instead of the state, written once when the
 * id leaves them, before each barrier and at the end of input) change no result: random streams of events,
 * redeliveries, late events, watermarks and checkpoints give, record for record with their timestamps, on every output,
 * the rows of the same operator writing every change through, on the heap and on RocksDB, with snapshots taken and with
 * the operator restored from each, with room for every id and with room for one or two of the four (so that ids leave
 * the values held, and are written, all the time). The same for the wakes held on the heap ({@link NearWakes}): the
 * reference's are all Flink timers, and with room for one or two ids the latest leave for the timer service all the
 * time.
 */
class HeldValuesEquivalenceTest {

    /** Every kind, keyed on the correlation id (held here), on it and a field, on a field alone (routed on). */
    private static final MeasuresConfig MEASURES = measuresResource("measures-all-kinds.yaml");

    private static final long MIN = 60_000L;
    private static final long DEDUP = 15 * MIN;
    private static final long RETENTION = 20 * MIN;

    /** 500 steps over four ids, events up to 8 minutes out of order, a tenth redeliveries, some late. */
    private static List<Step<ProcessEvent>> stream(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Step<ProcessEvent>> out = new ArrayList<>();
        List<ProcessEvent> sent = new ArrayList<>();
        long watermark = 0;
        long max = 0;
        for (int i = 0; i < 500; i++) {
            int p = r.nextInt(100);
            if (p < 70) {
                ProcessEvent e;
                if (!sent.isEmpty() && r.nextInt(10) == 0) {
                    ProcessEvent o = sent.get(r.nextInt(sent.size()));
                    e = ProcessEvent.of(null, o.getCorrelationId(), o.getEventType(), o.getTimeMs(), o.getPayload());
                } else {
                    long t = Math.max(0, max - 8 * MIN + r.nextInt(12) * MIN + r.nextInt(1000));
                    max = Math.max(max, t);
                    Map<String, Object> payload = new LinkedHashMap<>();
                    payload.put("x", String.valueOf(r.nextInt(2)));
                    String type = new String[] {"a", "b", "c", "v", "heartbeat", "a", "b"}[r.nextInt(7)];
                    if (type.equals("v")) {
                        payload.put("ok", (long) r.nextInt(5));
                        payload.put("bad", (long) r.nextInt(3));
                    }
                    e = ProcessEvent.of(null, "P" + r.nextInt(4), type, t, payload);
                    sent.add(e);
                }
                if (e.getTimeMs() < watermark) {
                    e.setLateWatermark(watermark); // as the source flags it
                }
                out.add(Step.event(e));
            } else if (p < 95) {
                watermark = Math.max(watermark, Math.min(max, watermark + r.nextInt(8) * MIN));
                out.add(Step.watermark(watermark));
            } else {
                out.add(Step.checkpoint());
            }
        }
        return out;
    }

    /** One operator over one stream. */
    private static final class Run extends HarnessReplay<ProcessEvent, Measurement> {
        final String backend;
        final boolean held;
        final int capacity;
        final int wakes;
        int mostNearWakes;
        int mostHeldValues;

        Run(String backend, boolean held) throws Exception {
            this(backend, held, 0);
        }

        Run(String backend, boolean held, int capacity) throws Exception {
            this(backend, held, capacity, MeasureByCorrelationId.NEAR_WAKES);
        }

        /** @param wakes the most ids whose wake is held on the heap (0: every wake a Flink timer) */
        Run(String backend, boolean held, int capacity, int wakes) throws Exception {
            this.backend = backend;
            this.held = held;
            this.capacity = capacity;
            this.wakes = wakes;
            start();
        }

        @Override
        KeyedOneInputStreamOperatorTestHarness<String, ProcessEvent, Measurement> harness(OperatorSubtaskState from)
                throws Exception {
            MeasureByCorrelationId op = new MeasureByCorrelationId(MEASURES, DEDUP, RETENTION)
                    .holdingValuesOfAtMost(capacity)
                    .holdingWakesOfAtMost(wakes);
            KeyedOneInputStreamOperatorTestHarness<String, ProcessEvent, Measurement> n =
                    new KeyedOneInputStreamOperatorTestHarness<>(
                            held ? op : op.writingThrough(), ProcessEvent::getCorrelationId, Types.STRING);
            n.setStateBackend(SequenceStateUpgradeTest.backend(backend));
            if (from != null) {
                n.initializeState(from);
            }
            n.open();
            assertThat(op.holdsValues()).as("values held").isEqualTo(held);
            return n;
        }

        @Override
        long timestampOf(ProcessEvent e) {
            return e.getTimeMs();
        }

        @Override
        OutputTag<?>[] sides() {
            return new OutputTag<?>[] {
                SideOutputs.ALERTS, SideOutputs.OUTCOMES, SideOutputs.OPEN_CASES, MeasureByCorrelationId.ELSEWHERE
            };
        }

        @Override
        void beforeStep() {
            MeasureByCorrelationId op = (MeasureByCorrelationId) h.getOperator();
            mostNearWakes = Math.max(mostNearWakes, op.nearWakes());
            mostHeldValues = Math.max(mostHeldValues, op.heldValues());
        }
    }

    @Test
    void heldValuesGiveTheRowsOfWritingThrough_onTheHeapAndRocksDB_acrossSnapshotsAndRestores() throws Exception {
        int mostNearWakes = 0;
        int mostHeldValues = 0;
        for (long seed = 1; seed <= 12; seed++) {
            List<Step<ProcessEvent>> stream = stream(seed);
            // every change written through and every wake a Flink timer
            List<String> reference = new Run("hashmap", false, 0, 0).over(stream, Checkpoints.NONE);
            assertThat(reference).as("seed %d: rows", seed).hasSizeGreaterThan(50);
            Run heap = new Run("hashmap", true);
            assertThat(heap.over(stream, Checkpoints.NONE))
                    .as("heap, seed %d", seed)
                    .isEqualTo(reference);
            mostNearWakes = Math.max(mostNearWakes, heap.mostNearWakes);
            mostHeldValues = Math.max(mostHeldValues, heap.mostHeldValues);
            for (int wakes = 1; wakes <= 2; wakes++) {
                // the latest wakes leave for the timer service all the time
                Run few = new Run("hashmap", true, 0, wakes);
                assertThat(few.over(stream, Checkpoints.SNAPSHOT))
                        .as("heap, room for %d ids' wakes, snapshots, seed %d", wakes, seed)
                        .isEqualTo(reference);
                assertThat(few.mostNearWakes).isEqualTo(wakes);
                assertThat(new Run("hashmap", true, 1, wakes).over(stream, Checkpoints.SNAPSHOT_AND_RESTORE))
                        .as(
                                "heap, room for one value and %d ids' wakes, restored from each snapshot, seed %d",
                                wakes, seed)
                        .isEqualTo(reference);
            }
            for (int capacity = 1; capacity <= 2; capacity++) {
                Run few = new Run("hashmap", true, capacity);
                assertThat(few.over(stream, Checkpoints.SNAPSHOT))
                        .as("heap, room for %d ids' values, snapshots, seed %d", capacity, seed)
                        .isEqualTo(reference);
                assertThat(few.mostHeldValues).isEqualTo(capacity);
                assertThat(new Run("hashmap", true, capacity).over(stream, Checkpoints.SNAPSHOT_AND_RESTORE))
                        .as("heap, room for %d ids' values, restored from each snapshot, seed %d", capacity, seed)
                        .isEqualTo(reference);
            }
            assertThat(new Run("hashmap", true).over(stream, Checkpoints.SNAPSHOT))
                    .as("heap, snapshots, seed %d", seed)
                    .isEqualTo(reference);
            assertThat(new Run("hashmap", true).over(stream, Checkpoints.SNAPSHOT_AND_RESTORE))
                    .as("heap, restored from each snapshot, seed %d", seed)
                    .isEqualTo(reference);
            assertThat(new Run("hashmap", true, 2).over(stream, Checkpoints.SNAPSHOT_AND_RESTORE_EVERY_OTHER))
                    .as("heap, room for 2 ids' values, restored from every second snapshot, seed %d", seed)
                    .isEqualTo(reference);
            assertThat(new Run("hashmap", false).over(stream, Checkpoints.SNAPSHOT_AND_RESTORE))
                    .as("heap written through, restored from each snapshot, seed %d", seed)
                    .isEqualTo(reference);
            if (seed <= 4) {
                assertThat(new Run("rocksdb", true).over(stream, Checkpoints.NONE))
                        .as("RocksDB, seed %d", seed)
                        .isEqualTo(reference);
                assertThat(new Run("rocksdb", true).over(stream, Checkpoints.SNAPSHOT_AND_RESTORE))
                        .as("RocksDB, restored from each snapshot, seed %d", seed)
                        .isEqualTo(reference);
                assertThat(new Run("rocksdb", true, 1).over(stream, Checkpoints.SNAPSHOT_AND_RESTORE))
                        .as("RocksDB, room for one id's value, restored from each snapshot, seed %d", seed)
                        .isEqualTo(reference);
                assertThat(new Run("rocksdb", true, 1, 1).over(stream, Checkpoints.SNAPSHOT_AND_RESTORE))
                        .as("RocksDB, room for one id's value and wake, restored from each snapshot, seed %d", seed)
                        .isEqualTo(reference);
                // values written before a barrier stay held, clean: one that leaves clean is not written again, and
                // the next snapshot holds every change since (the restore from every second snapshot shows it)
                for (int capacity : new int[] {0, 1, 2}) {
                    assertThat(new Run("rocksdb", true, capacity)
                                    .over(stream, Checkpoints.SNAPSHOT_AND_RESTORE_EVERY_OTHER))
                            .as(
                                    "RocksDB, room for %s ids' values, restored from every second snapshot, seed %d",
                                    capacity == 0 ? "all" : capacity, seed)
                            .isEqualTo(reference);
                }
            }
        }
        assertThat(mostNearWakes).as("the streams make near wakes").isGreaterThanOrEqualTo(2);
        assertThat(mostHeldValues)
                .as("the streams hold the values of more than two ids")
                .isGreaterThan(2);
    }
}
