package io.flightcontroller.pipeline;

import static io.flightcontroller.pipeline.HarnessSupport.measures;
import static org.assertj.core.api.Assertions.assertThat;

import io.flightcontroller.domain.Outcome;
import io.flightcontroller.domain.engine.BurnRateState;
import io.flightcontroller.domain.measure.MeasuresConfig;
import io.flightcontroller.domain.result.Alert;
import io.flightcontroller.domain.result.ErrorBudget;
import io.flightcontroller.serialization.DomainSerializers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The burn-rate operator's state layout: one entry per one-minute bucket and per firing rule, kept across a snapshot,
 * moved from the older single-value layout on a key's first access, and gone once the buckets leave the longest window.
 */
class BurnRateFunctionTest {
    private static final long MIN = 60_000L;
    private static final long T0 = HarnessSupport.t("2024-03-01T00:00:00Z");
    /** The Workbook's default rules (1h/5m, 6h/30m, 3d/6h): buckets are kept 3 days. */
    private static final MeasuresConfig M = measures("measures:\n  - name: m\n    start: a\n    end: b\n"
            + "    slo: {threshold: PT1H, objective: 0.99, window: P1D}\n");

    private static final MapStateDescriptor<Long, long[]> BUCKETS = new MapStateDescriptor<>(
            BurnRateFunction.BUCKETS, Types.LONG, PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO);
    private static final MapStateDescriptor<String, Long> FIRING =
            new MapStateDescriptor<>(BurnRateFunction.FIRING, Types.STRING, Types.LONG);
    private static final ValueStateDescriptor<BurnRateState> LEGACY =
            new ValueStateDescriptor<>(BurnRateFunction.LEGACY, DomainSerializers.BURN_RATE_STATE);

    private static KeyedOneInputStreamOperatorTestHarness<String, Outcome, Alert> harness(OperatorSubtaskState from)
            throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, Outcome, Alert> h = new KeyedOneInputStreamOperatorTestHarness<>(
                new BurnRateOperator(new BurnRateFunction(M, MIN)), Outcome::getMeasure, Types.STRING);
        if (from != null) {
            h.initializeState(from);
        }
        h.open();
        return h;
    }

    /** Six hours, an outcome every 20 s; from 2 h to 2 h 40 min every second one is bad (the 1h/5m rule fires). */
    private static List<Outcome> outcomes() {
        List<Outcome> o = new ArrayList<>();
        for (long t = T0; t < T0 + 360 * MIN; t += 20_000L) {
            boolean burst = t >= T0 + 120 * MIN && t < T0 + 160 * MIN;
            o.add(Outcome.of("m", t, !(burst && (t / 20_000L) % 2 == 0), true, 1L));
        }
        return o;
    }

    /** Feeds outcomes of minutes [from, to), the watermark after each minute. */
    private static void feed(
            KeyedOneInputStreamOperatorTestHarness<String, Outcome, Alert> h,
            List<Outcome> all,
            int fromMinute,
            int toMinute)
            throws Exception {
        for (int minute = fromMinute; minute < toMinute; minute++) {
            long start = T0 + minute * MIN;
            for (Outcome o : all) {
                if (o.getTimeMs() >= start && o.getTimeMs() < start + MIN) {
                    h.processElement(new StreamRecord<>(o, o.getTimeMs()));
                }
            }
            h.processWatermark(start + MIN);
        }
    }

    private static List<String> alerts(KeyedOneInputStreamOperatorTestHarness<String, Outcome, Alert> h) {
        return h.extractOutputValues().stream()
                .map(a -> a.getAlertId() + "|" + a.getDeadlineMs() + "|" + a.getBurnRate())
                .collect(Collectors.toList());
    }

    private static List<String> budgets(KeyedOneInputStreamOperatorTestHarness<String, Outcome, Alert> h) {
        List<String> out = new ArrayList<>();
        if (h.getSideOutput(SideOutputs.ERROR_BUDGETS) != null) {
            for (StreamRecord<ErrorBudget> r : h.getSideOutput(SideOutputs.ERROR_BUDGETS)) {
                out.add(r.getValue().getTimeMs() + "|" + r.getValue().getGood() + "|"
                        + r.getValue().getBad());
            }
        }
        return out;
    }

    private static KeyedStateBackend<String> backend(KeyedOneInputStreamOperatorTestHarness<String, Outcome, Alert> h) {
        KeyedStateBackend<String> b = h.getOperator().getKeyedStateBackend();
        b.setCurrentKey("m");
        return b;
    }

    private static Map<Long, long[]> bucketEntries(KeyedOneInputStreamOperatorTestHarness<String, Outcome, Alert> h)
            throws Exception {
        MapState<Long, long[]> s =
                backend(h).getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, BUCKETS);
        Map<Long, long[]> out = new TreeMap<>();
        for (Map.Entry<Long, long[]> e : s.entries()) {
            out.put(e.getKey(), e.getValue());
        }
        return out;
    }

    /** The alerts and budgets of a run before a snapshot and of its continuation are those of the run without it. */
    private static void assertContinuesExactly(
            KeyedOneInputStreamOperatorTestHarness<String, Outcome, Alert> first,
            KeyedOneInputStreamOperatorTestHarness<String, Outcome, Alert> second,
            KeyedOneInputStreamOperatorTestHarness<String, Outcome, Alert> whole) {
        List<String> a = alerts(first);
        a.addAll(alerts(second));
        List<String> b = budgets(first);
        b.addAll(budgets(second));
        assertThat(a).isEqualTo(alerts(whole));
        assertThat(b).isNotEmpty().isEqualTo(budgets(whole));
    }

    @Test
    void aSnapshotInTheMiddleOfTheWindowChangesNoAlertAndNoBudget() throws Exception {
        List<Outcome> all = outcomes();
        KeyedOneInputStreamOperatorTestHarness<String, Outcome, Alert> whole = harness(null);
        feed(whole, all, 0, 420);
        assertThat(alerts(whole)).anyMatch(a -> a.contains("/firing|")).anyMatch(a -> a.contains("/resolved|"));

        // stopped while the 1h/5m rule fires (2 h 20 min), continued from the snapshot
        KeyedOneInputStreamOperatorTestHarness<String, Outcome, Alert> first = harness(null);
        feed(first, all, 0, 140);
        assertThat(alerts(first)).anyMatch(a -> a.contains("/firing|")).noneMatch(a -> a.contains("/resolved|"));
        OperatorSubtaskState snapshot = first.snapshot(1, T0 + 140 * MIN);
        KeyedOneInputStreamOperatorTestHarness<String, Outcome, Alert> second = harness(snapshot);
        feed(second, all, 140, 420);

        assertContinuesExactly(first, second, whole);
    }

    /**
     * Bucket entries are written once per watermark, not at each outcome: outcomes counted after the last watermark
     * are in a snapshot taken then (here without the barrier's call, as only {@code snapshotState} writes them), and
     * the run continued from it gives every alert and budget of the run without it.
     */
    @Test
    void outcomesCountedSinceTheLastWatermarkAreInASnapshotTakenBeforeTheNext() throws Exception {
        List<Outcome> all = outcomes();
        KeyedOneInputStreamOperatorTestHarness<String, Outcome, Alert> whole = harness(null);
        feed(whole, all, 0, 420);

        KeyedOneInputStreamOperatorTestHarness<String, Outcome, Alert> first = harness(null);
        feed(first, all, 0, 130);
        int sent = 0;
        for (Outcome o : all) { // minute 130 (within the burst), its watermark not yet sent
            if (o.getTimeMs() >= T0 + 130 * MIN && o.getTimeMs() < T0 + 131 * MIN) {
                first.processElement(new StreamRecord<>(o, o.getTimeMs()));
                sent++;
            }
        }
        assertThat(sent).isEqualTo(3);
        KeyedOneInputStreamOperatorTestHarness<String, Outcome, Alert> second = harness(first.snapshot(1, 0));
        assertThat(bucketEntries(second).get(T0 + 130 * MIN)).containsExactly(1, 2);
        second.processWatermark(T0 + 131 * MIN);
        feed(second, all, 131, 420);

        assertContinuesExactly(first, second, whole);
    }

    @Test
    void stateOfTheSingleValueLayoutIsMovedIntoBucketEntriesAndContinuesExactly() throws Exception {
        List<Outcome> all = outcomes();
        KeyedOneInputStreamOperatorTestHarness<String, Outcome, Alert> whole = harness(null);
        feed(whole, all, 0, 420);

        KeyedOneInputStreamOperatorTestHarness<String, Outcome, Alert> first = harness(null);
        feed(first, all, 0, 140);
        KeyedOneInputStreamOperatorTestHarness<String, Outcome, Alert> second = harness(first.snapshot(1, 0));
        // turn the restored state into what the older layout stored: the same buckets and firing rules in one value
        BurnRateState old = new BurnRateState();
        old.buckets.putAll(bucketEntries(second));
        MapState<String, Long> firing =
                backend(second).getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, FIRING);
        for (Map.Entry<String, Long> f : firing.entries()) {
            old.firing.put(f.getKey(), f.getValue());
        }
        assertThat(old.buckets).hasSizeGreaterThan(60);
        assertThat(old.firing).isNotEmpty();
        firing.clear();
        backend(second)
                .getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, BUCKETS)
                .clear();
        ValueState<BurnRateState> legacy =
                backend(second).getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, LEGACY);
        legacy.update(old);

        feed(second, all, 140, 141);
        assertThat(backend(second)
                        .getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, LEGACY)
                        .value())
                .as("older layout cleared after the move")
                .isNull();
        assertThat(bucketEntries(second)).containsKeys(old.buckets.keySet().toArray(new Long[0]));
        feed(second, all, 141, 420);

        assertContinuesExactly(first, second, whole);
    }

    @Test
    void anOutcomeWritesItsOneBucketEntryAndEntriesLeaveWithTheLongestWindow() throws Exception {
        List<Outcome> all = outcomes();
        KeyedOneInputStreamOperatorTestHarness<String, Outcome, Alert> h = harness(null);
        feed(h, all, 0, 360);
        // one entry per minute with outcomes (three outcomes each), none per outcome
        Map<Long, long[]> entries = bucketEntries(h);
        assertThat(entries).hasSize(360);
        assertThat(entries.get(T0 + 130 * MIN)).containsExactly(1, 2);
        // 3 days after the last bucket every entry has left the longest window (3d/6h rule): no state is left
        h.processWatermark(T0 + 360 * MIN + 3 * 24 * 60 * MIN + MIN);
        assertThat(bucketEntries(h)).isEmpty();
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
    }
}
