package io.flightcontroller.pipeline;

import static io.flightcontroller.pipeline.HarnessSupport.counter;
import static io.flightcontroller.pipeline.HarnessSupport.dedupHarness;
import static io.flightcontroller.pipeline.HarnessSupport.event;
import static io.flightcontroller.pipeline.HarnessSupport.measures;
import static io.flightcontroller.pipeline.HarnessSupport.t;
import static org.assertj.core.api.Assertions.assertThat;

import io.flightcontroller.domain.event.ProcessEvent;
import io.flightcontroller.domain.measure.MeasuresConfig;
import io.flightcontroller.domain.result.Measurement;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The de-duplication of the per-correlation-id operator ({@link MeasureByCorrelationId}): its keys do not wake the id
 * at each expiry, yet it forgets each key exactly when {@link DedupAndRoute} does, and an id's state and timer go once
 * its last key has expired and its cases are released; a release does not wake the id on its own either, yet an event
 * after it finds no case.
 */
class MeasureByCorrelationIdTest {

    private static final MeasuresConfig MEASURES = measures("measures:\n"
            + "  - name: project_assignment\n"
            + "    start: project_requested\n"
            + "    end: project_assigned\n"
            + "    timeout: PT1H\n");

    private static final long DEDUP = Duration.ofHours(1).toMillis();
    private static final long RETENTION = Duration.ofHours(2).toMillis();
    private static final long MIN = 60_000;
    /** An event type no measure uses: remembered for de-duplication, no case, so nothing but its keys wakes the id. */
    private static final String UNUSED = "heartbeat";

    private static KeyedOneInputStreamOperatorTestHarness<String, ProcessEvent, Measurement> harness()
            throws Exception {
        return harness("hashmap");
    }

    /** @param backend the state backend's name ({@code hashmap}, {@code rocksdb}) */
    private static KeyedOneInputStreamOperatorTestHarness<String, ProcessEvent, Measurement> harness(String backend)
            throws Exception {
        return harness(new MeasureByCorrelationId(MEASURES, DEDUP, RETENTION), backend);
    }

    /** @return {@code op} in an open harness on the named state backend */
    private static KeyedOneInputStreamOperatorTestHarness<String, ProcessEvent, Measurement> harness(
            MeasureByCorrelationId op, String backend) throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, ProcessEvent, Measurement> h =
                new KeyedOneInputStreamOperatorTestHarness<>(op, ProcessEvent::getCorrelationId, Types.STRING);
        h.setStateBackend(SequenceStateUpgradeTest.backend(backend));
        h.open();
        return h;
    }

    private static void send(KeyedOneInputStreamOperatorTestHarness<String, ProcessEvent, ?> h, ProcessEvent e)
            throws Exception {
        h.processElement(new StreamRecord<>(e, e.getTimeMs()));
    }

    /** A redelivery of an event, flagged late against {@code watermark} as the source would flag it. */
    private static ProcessEvent copy(String id, String type, long timeMs, long watermark) {
        ProcessEvent e = event(id, type, timeMs);
        if (timeMs < watermark) {
            e.setLateWatermark(watermark);
        }
        return e;
    }

    /** The id's current value: held (maybe not yet written), else as stored; or null. */
    private static CorrelationCases stored(
            KeyedOneInputStreamOperatorTestHarness<String, ProcessEvent, Measurement> h, String id) throws Exception {
        MeasureByCorrelationId op = (MeasureByCorrelationId) h.getOperator();
        if (op.held(id) != null) {
            return op.held(id); // the current value, written when the id leaves the values held or before the barrier
        }
        return written(h, id);
    }

    /** The id's value as written to state, or null. */
    private static CorrelationCases written(
            KeyedOneInputStreamOperatorTestHarness<String, ProcessEvent, Measurement> h, String id) throws Exception {
        MeasureByCorrelationId op = (MeasureByCorrelationId) h.getOperator();
        op.setCurrentKey(id);
        return op.getKeyedStateBackend()
                .getPartitionedState(
                        VoidNamespace.INSTANCE,
                        VoidNamespaceSerializer.INSTANCE,
                        new ValueStateDescriptor<>(MeasureByCorrelationId.STATE_NAME, CorrelationCases.TYPE))
                .value();
    }

    /** The wakes pending: the timers and the near wakes ({@link NearWakes}), one per id that has any. */
    private static int wakes(KeyedOneInputStreamOperatorTestHarness<String, ProcessEvent, Measurement> h) {
        return h.numEventTimeTimers() + ((MeasureByCorrelationId) h.getOperator()).nearWakes();
    }

    @Test
    void aCopyArrivingAfterItsOriginalsExpiryIsNotADuplicateThoughTheIdHasNotWokenToDropTheKey() throws Exception {
        long t0 = t("2024-03-01T10:00:00Z");
        try (KeyedOneInputStreamOperatorTestHarness<String, ProcessEvent, Measurement> h = harness()) {
            send(h, event("P1", UNUSED, t0));
            send(h, event("P1", UNUSED, t0 + 10 * MIN));
            assertThat(wakes(h)).isEqualTo(1);
            long w = t0 + DEDUP + MIN; // past the first key's expiry, before the second's
            h.processWatermark(w);
            // no wake-up at the first expiry: both keys are still stored ...
            assertThat(stored(h, "P1").dedup).hasSize(4);
            // ... but the first counts as forgotten, as DedupAndRoute's timer would have dropped it by now
            send(h, copy("P1", UNUSED, t0, w));
            assertThat(counter(h, PipelineCounters.DUPLICATE)).isZero();
            assertThat(counter(h, PipelineCounters.UNKNOWN_TYPE)).isEqualTo(3);
            // the second is still remembered
            send(h, copy("P1", UNUSED, t0 + 10 * MIN, w));
            assertThat(counter(h, PipelineCounters.DUPLICATE)).isEqualTo(1);
        }
    }

    @Test
    void aKeyRememberedOutOfOrderOrAlreadyExpiredIsForgottenAtTheNextLookAsInThePerMeasureLayout() throws Exception {
        long t0 = t("2024-03-01T10:00:00Z");
        try (KeyedOneInputStreamOperatorTestHarness<String, ProcessEvent, Measurement> perId = harness();
                KeyedOneInputStreamOperatorTestHarness<String, ProcessEvent, RoutedEvent> perMeasure =
                        dedupHarness(MEASURES, DEDUP)) {
            for (KeyedOneInputStreamOperatorTestHarness<String, ProcessEvent, ?> h : List.of(perId, perMeasure)) {
                // the first key sets the next look (its expiry); the second expires before it
                send(h, event("P1", UNUSED, t0 + 10 * MIN));
                send(h, event("P1", UNUSED, t0));
                long w = t0 + DEDUP + MIN; // past the second key's expiry, before the look
                h.processWatermark(w);
                send(h, copy("P1", UNUSED, t0, w));
                assertThat(counter(h, PipelineCounters.DUPLICATE))
                        .as("remembered until the look")
                        .isEqualTo(1);
                long after = t0 + DEDUP + 10 * MIN; // the look: both keys expired
                h.processWatermark(after);
                send(h, copy("P1", UNUSED, t0, after));
                send(h, copy("P1", UNUSED, t0 + 10 * MIN, after));
                assertThat(counter(h, PipelineCounters.DUPLICATE))
                        .as("forgotten at the look")
                        .isEqualTo(1);
                // a first key already expired when remembered (not flagged late upstream): kept to the next watermark
                send(h, event("P2", UNUSED, t0));
                send(h, event("P2", UNUSED, t0));
                assertThat(counter(h, PipelineCounters.DUPLICATE))
                        .as("until the next watermark")
                        .isEqualTo(2);
                h.processWatermark(after + 1);
                send(h, copy("P2", UNUSED, t0, after + 1));
                assertThat(counter(h, PipelineCounters.DUPLICATE)).isEqualTo(2);
                assertThat(counter(h, PipelineCounters.UNKNOWN_TYPE)).isEqualTo(6);
                assertThat(h.numKeyedStateEntries())
                        .as("late copies are not remembered")
                        .isZero();
            }
        }
    }

    @Test
    void anIdsStateAndTimerAreGoneOnceItsLastKeyHasExpiredAndItsCasesAreReleased() throws Exception {
        long t0 = t("2024-03-01T10:00:00Z");
        int hot = DedupAndRoute.COMPACT_MAX * 3;
        try (KeyedOneInputStreamOperatorTestHarness<String, ProcessEvent, Measurement> h = harness()) {
            // a case, released 2 h after it completes: its keys expire before, its release drops them
            send(h, event("CASE", "project_requested", t0));
            send(h, event("CASE", "project_assigned", t0 + 5 * MIN));
            // a case whose last key (an event no measure uses) expires after its release
            send(h, event("OUTLIVED", "project_requested", t0));
            send(h, event("OUTLIVED", "project_assigned", t0 + 5 * MIN));
            send(h, event("OUTLIVED", UNUSED, t0 + 3 * 60 * MIN));
            // keys only
            send(h, event("KEYS", UNUSED, t0));
            send(h, event("KEYS", UNUSED, t0 + 30 * MIN));
            // a hot id: its keys move into the map state
            for (int i = 0; i < hot; i++) {
                send(h, event("HOT", UNUSED, t0 + i * 1000L));
            }
            assertThat(stored(h, "HOT").spilled).isTrue();
            assertThat(wakes(h)).as("one wake per id").isEqualTo(4);

            h.processWatermark(t0 + 10 * MIN); // both cases complete
            assertThat(h.extractOutputValues()).hasSize(2);
            long w = t0 + DEDUP + hot * 500L; // half the hot id's keys expired
            h.processWatermark(w);
            send(h, copy("HOT", UNUSED, t0, w));
            send(h, copy("HOT", UNUSED, t0 + (hot - 1) * 1000L, w));
            assertThat(counter(h, PipelineCounters.DUPLICATE)).isEqualTo(1);

            w = t0 + DEDUP + 30 * MIN;
            h.processWatermark(w);
            assertThat(stored(h, "KEYS")).as("gone at its last key's expiry").isNull();
            assertThat(stored(h, "HOT")).as("gone at its last key's expiry").isNull();
            // the completed case's keys: forgotten, dropped only when the case's release wakes the id
            assertThat(stored(h, "CASE").dedup).hasSize(4);
            send(h, copy("CASE", "project_requested", t0, w));
            assertThat(counter(h, PipelineCounters.DUPLICATE)).isEqualTo(1);
            assertThat(wakes(h)).as("one per case id, at its release").isEqualTo(2);

            h.processWatermark(t0 + 5 * MIN + RETENTION); // both cases released
            assertThat(stored(h, "CASE")).isNull();
            // the release alone does not wake an id whose last key expires later: that one wake drops both
            assertThat(stored(h, "OUTLIVED").size).isEqualTo(1);
            assertThat(stored(h, "OUTLIVED").timerMs).isEqualTo(t0 + 3 * 60 * MIN + DEDUP);
            assertThat(wakes(h)).isEqualTo(1);

            h.processWatermark(t0 + 3 * 60 * MIN + DEDUP);
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(wakes(h)).isZero();
        }
    }

    private static final MeasuresConfig TWO = measures("measures:\n"
            + "  - name: assignment\n"
            + "    start: project_requested\n"
            + "    end: project_assigned\n"
            + "    timeout: PT1H\n"
            + "  - name: creation\n"
            + "    start: project_requested\n"
            + "    end: project_created\n"
            + "    timeout: PT1H\n");

    @Test
    void twoCasesFinishingApart_wakeTheirIdOnceForBothReleases_andAnEventAfterARelease_findsNoCase() throws Exception {
        long t0 = t("2024-03-01T10:00:00Z");
        try (KeyedOneInputStreamOperatorTestHarness<String, ProcessEvent, Measurement> h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new MeasureByCorrelationId(TWO, DEDUP, RETENTION),
                        ProcessEvent::getCorrelationId,
                        Types.STRING)) {
            h.open();
            send(h, event("P", "project_requested", t0));
            send(h, event("P", "project_assigned", t0 + 5 * MIN));
            send(h, event("P", "project_created", t0 + 20 * MIN));
            h.processWatermark(t0 + 30 * MIN); // both complete: released 2 h after each
            assertThat(h.extractOutputValues()).hasSize(2);
            assertThat(stored(h, "P").size).isEqualTo(2);
            assertThat(stored(h, "P").timerMs)
                    .as("one wake, at the later release")
                    .isEqualTo(t0 + 20 * MIN + RETENTION);
            assertThat(wakes(h)).isEqualTo(1);

            // past the first release only: the released case is still stored, yet a new start opens a new case
            long w = t0 + 5 * MIN + RETENTION + MIN;
            h.processWatermark(w);
            assertThat(stored(h, "P").size).isEqualTo(2);
            send(h, event("P", "project_requested", w + MIN));
            assertThat(stored(h, "P").size)
                    .as("the released case dropped by the event, the new one buffered")
                    .isEqualTo(2);
            send(h, event("P", "project_assigned", w + 4 * MIN));
            h.processWatermark(w + 10 * MIN);
            List<Measurement> out = h.extractOutputValues();
            assertThat(out).hasSize(3);
            Measurement again = out.get(2);
            assertThat(again.getMeasure()).isEqualTo("assignment");
            assertThat(again.getStartMs()).isEqualTo(w + MIN);
            assertThat(again.getEndMs() - again.getStartMs()).isEqualTo(3 * MIN);

            h.processWatermark(w + 4 * MIN + RETENTION + DEDUP);
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(wakes(h)).isZero();
        }
    }

    /**
     * The earliest wakes are held on the heap, whatever they wake for; when there is no room the latest leaves as a
     * timer; a checkpoint takes them all as timers, and the restored operator fires them. On RocksDB the value held is
     * the id's one deserialized copy: an event before the wake must change it.
     */
    @ParameterizedTest
    @ValueSource(strings = {"hashmap", "rocksdb"})
    void theEarliestWakesAreHeldOnTheHeap_theLatestLeavesAsATimerWhenFull_andACheckpointTakesThemAllAsTimers(
            String backend) throws Exception {
        long t0 = t("2024-03-01T10:00:00Z");
        OperatorSubtaskState snapshot;
        MeasureByCorrelationId op = new MeasureByCorrelationId(MEASURES, DEDUP, RETENTION).holdingWakesOfAtMost(2);
        try (KeyedOneInputStreamOperatorTestHarness<String, ProcessEvent, Measurement> h = harness(op, backend)) {
            send(h, event("P1", "project_requested", t0));
            send(h, event("P1", "project_assigned", t0 + 5 * MIN));
            assertThat(h.numEventTimeTimers()).isZero();
            assertThat(op.nearWakes()).isEqualTo(1);
            send(h, event("P2", "project_requested", t0 + 6 * MIN));
            h.processWatermark(t0 + 6 * MIN);
            assertThat(h.extractOutputValues())
                    .as("P1 measured at its wake held on the heap")
                    .hasSize(1);
            // P1's next wake (its keys' expiry, its release) and P2's (its deadline): both held, no timer
            long p1 = stored(h, "P1").timerMs;
            long p2 = stored(h, "P2").timerMs;
            assertThat(Math.min(p1, p2)).as("wakes after the events read").isGreaterThan(t0 + 6 * MIN);
            assertThat(h.numEventTimeTimers()).isZero();
            assertThat(op.nearWakes()).isEqualTo(2);

            send(h, event("P3", "project_requested", t0 + 7 * MIN));
            String later = p1 > p2 ? "P1" : "P2";
            assertThat(h.numEventTimeTimers())
                    .as("the later wake left as a timer")
                    .isEqualTo(1);
            assertThat(op.wakeHeld(later)).isFalse();
            assertThat(op.wakeHeld(later.equals("P1") ? "P2" : "P1")).isTrue();
            assertThat(op.wakeHeld("P3")).isTrue();

            // P2's wake moves to the event's time: held (its timer, if it had one, deleted), and P1's leaves, if held
            send(h, event("P2", "project_assigned", t0 + 8 * MIN));
            assertThat(h.numEventTimeTimers()).isEqualTo(1);
            assertThat(op.wakeHeld("P1")).isFalse();
            assertThat(op.wakeHeld("P2")).isTrue();
            assertThat(op.wakeHeld("P3")).isTrue();
            h.prepareSnapshotPreBarrier(1);
            assertThat(h.numEventTimeTimers())
                    .as("moved into the timer service")
                    .isEqualTo(3);
            assertThat(op.nearWakes()).isZero();
            snapshot = h.snapshot(1, 1);
        }
        try (KeyedOneInputStreamOperatorTestHarness<String, ProcessEvent, Measurement> restored =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new MeasureByCorrelationId(MEASURES, DEDUP, RETENTION),
                        ProcessEvent::getCorrelationId,
                        Types.STRING)) {
            restored.setStateBackend(SequenceStateUpgradeTest.backend(backend));
            restored.initializeState(snapshot);
            restored.open();
            restored.processWatermark(t0 + 10 * MIN);
            List<Measurement> out = restored.extractOutputValues();
            assertThat(out).as("P2 measured after the restore").hasSize(1);
            assertThat(out.get(0).getCorrelationId()).isEqualTo("P2");
            assertThat(out.get(0).getEndMs() - out.get(0).getStartMs()).isEqualTo(2 * MIN);
        }
    }

    /**
     * A value held is written once: when its id is the least recently used beyond the room for values, or before the
     * barrier; until then the state has the value as first read (here: none), and a later event reads the one held.
     */
    @ParameterizedTest
    @ValueSource(strings = {"hashmap", "rocksdb"})
    void aValueHeldIsWrittenWhenItsIdLeavesTheValuesHeld_orBeforeTheBarrier(String backend) throws Exception {
        long t0 = t("2024-03-01T10:00:00Z");
        MeasureByCorrelationId op = new MeasureByCorrelationId(MEASURES, DEDUP, RETENTION).holdingValuesOfAtMost(2);
        try (KeyedOneInputStreamOperatorTestHarness<String, ProcessEvent, Measurement> h = harness(op, backend)) {
            assertThat(op.holdsValues()).isTrue();
            send(h, event("P1", "project_requested", t0));
            send(h, event("P2", "project_requested", t0 + MIN));
            assertThat(op.heldValues()).isEqualTo(2);
            assertThat(written(h, "P1")).as("P1 not yet written").isNull();
            send(h, event("P3", "project_requested", t0 + 2 * MIN));
            assertThat(op.held("P1")).as("P1 left the values held").isNull();
            assertThat(written(h, "P1").size).as("P1 written as it left").isEqualTo(1);
            assertThat(written(h, "P3")).as("P3 held, not yet written").isNull();
            send(h, event("P1", "project_assigned", t0 + 3 * MIN)); // read back from state; P2 leaves
            assertThat(written(h, "P2").size).isEqualTo(1);
            h.processWatermark(t0 + 3 * MIN);
            assertThat(h.extractOutputValues())
                    .as("P1 measured from its start written and read back")
                    .extracting(Measurement::getCorrelationId)
                    .containsExactly("P1");
            h.prepareSnapshotPreBarrier(1);
            assertThat(op.heldValues())
                    .as(
                            "kept on RocksDB (the operator's own copies), forgotten on the heap backend (the state's objects)")
                    .isEqualTo(backend.equals("rocksdb") ? 2 : 0);
            assertThat(written(h, "P3").size)
                    .as("P3 written before the barrier")
                    .isEqualTo(1);
        }
    }

    /**
     * On RocksDB a value written before the barrier stays held, clean: the next barrier does not write it again unless
     * it changed, and it leaves the values held without a write (a value put behind the operator's back shows whether
     * it was written).
     */
    @Test
    void onRocksDBAValueWrittenBeforeTheBarrierStaysHeld_andIsWrittenAgainOnlyOnceChanged() throws Exception {
        long t0 = t("2024-03-01T10:00:00Z");
        MeasureByCorrelationId op = new MeasureByCorrelationId(MEASURES, DEDUP, RETENTION).holdingValuesOfAtMost(2);
        try (KeyedOneInputStreamOperatorTestHarness<String, ProcessEvent, Measurement> h = harness(op, "rocksdb")) {
            send(h, event("SAME", "project_requested", t0));
            send(h, event("CHANGED", "project_requested", t0));
            h.prepareSnapshotPreBarrier(1);
            assertThat(written(h, "SAME").size).isEqualTo(1);
            assertThat(op.held("SAME")).as("still held").isNotNull();
            behind(op, "SAME");
            behind(op, "CHANGED");
            send(h, event("CHANGED", "project_assigned", t0 + MIN)); // read from the values held, not from state
            h.prepareSnapshotPreBarrier(2);
            assertThat(written(h, "SAME").size)
                    .as("unchanged: not written again")
                    .isZero();
            assertThat(written(h, "CHANGED").size).as("changed: written again").isPositive();
            behind(op, "CHANGED");
            send(h, event("OTHER", "project_requested", t0 + MIN));
            send(h, event("ANOTHER", "project_requested", t0 + MIN)); // SAME and CHANGED leave, both clean
            assertThat(op.held("SAME")).isNull();
            assertThat(op.held("CHANGED")).isNull();
            assertThat(written(h, "SAME").size).as("left clean: not written").isZero();
            assertThat(written(h, "CHANGED").size).as("left clean: not written").isZero();
        }
    }

    /** Puts an empty value for the id in state, behind the operator's back. */
    private static void behind(MeasureByCorrelationId op, String id) throws Exception {
        op.setCurrentKey(id);
        op.getKeyedStateBackend()
                .getPartitionedState(
                        VoidNamespace.INSTANCE,
                        VoidNamespaceSerializer.INSTANCE,
                        new ValueStateDescriptor<>(MeasureByCorrelationId.STATE_NAME, CorrelationCases.TYPE))
                .update(new CorrelationCases());
    }

    /**
     * Clearing an id writes nothing when its value was made while the id had none in state and was never written since
     * (on RocksDB a {@code delete} spared), and deletes the value written as the id left the values held or before the
     * barrier. An id cleared without a write keeps what was written behind the operator's back: the write that would
     * have deleted it was not made.
     */
    @ParameterizedTest
    @ValueSource(strings = {"hashmap", "rocksdb"})
    void anIdsValueNeverWritten_isNotDeletedAtItsLastWake_oneWrittenAsItLeftOrBeforeTheBarrier_is(String backend)
            throws Exception {
        long t0 = t("2024-03-01T10:00:00Z");
        MeasureByCorrelationId op = new MeasureByCorrelationId(MEASURES, DEDUP, RETENTION).holdingValuesOfAtMost(2);
        try (KeyedOneInputStreamOperatorTestHarness<String, ProcessEvent, Measurement> h = harness(op, backend)) {
            send(h, event("BARRIER", UNUSED, t0));
            h.prepareSnapshotPreBarrier(1);
            assertThat(written(h, "BARRIER")).as("written before the barrier").isNotNull();
            send(h, event("LEFT", UNUSED, t0));
            send(h, event("NEVER", UNUSED, t0));
            send(h, event("OTHER", UNUSED, t0)); // LEFT, the least recently used of three, leaves
            assertThat(written(h, "LEFT")).as("written as it left").isNotNull();
            assertThat(written(h, "NEVER")).as("held, never written").isNull();
            op.setCurrentKey("NEVER");
            op.getKeyedStateBackend()
                    .getPartitionedState(
                            VoidNamespace.INSTANCE,
                            VoidNamespaceSerializer.INSTANCE,
                            new ValueStateDescriptor<>(MeasureByCorrelationId.STATE_NAME, CorrelationCases.TYPE))
                    .update(new CorrelationCases()); // behind the operator's back

            h.processWatermark(t0 + DEDUP); // every id's one key expires: each id is cleared
            assertThat(wakes(h)).isZero();
            assertThat(op.heldValues()).isZero();
            assertThat(written(h, "BARRIER")).as("deleted").isNull();
            assertThat(written(h, "LEFT")).as("deleted").isNull();
            assertThat(written(h, "OTHER")).isNull();
            assertThat(written(h, "NEVER"))
                    .as("not deleted: its value was never written, so clearing it wrote nothing")
                    .isNotNull();
        }
    }

    /** A value held is not yet written: the end of input writes it before it reads every id's cases. */
    @ParameterizedTest
    @ValueSource(strings = {"hashmap", "rocksdb"})
    void theEndOfInputReportsACaseWhoseValueIsHeldWithANearWake(String backend) throws Exception {
        long t0 = t("2024-03-01T10:00:00Z");
        try (KeyedOneInputStreamOperatorTestHarness<String, ProcessEvent, Measurement> h = harness(backend)) {
            send(h, event("P1", "project_requested", t0));
            send(h, event("P2", "project_requested", t0 + MIN));
            send(h, event("P2", "project_assigned", t0 + 2 * MIN));
            assertThat(((MeasureByCorrelationId) h.getOperator()).nearWakes()).isEqualTo(2);
            h.endInput();
            assertThat(h.getSideOutput(SideOutputs.OPEN_CASES))
                    .as("P1 open at the end, its start applied")
                    .extracting(r -> r.getValue().getCaseKey())
                    .containsExactly("P1");
            assertThat(h.extractOutputValues())
                    .as("P2 measured from its events buffered at the end")
                    .extracting(Measurement::getCorrelationId)
                    .containsExactly("P2");
        }
    }
}
