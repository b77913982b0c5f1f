package io.flightcontroller.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.flightcontroller.adapters.parse.MeasuresYaml;
import io.flightcontroller.domain.event.ProcessEvent;
import io.flightcontroller.domain.measure.MeasureDefinition;
import io.flightcontroller.domain.result.Measurement;
import io.flightcontroller.pipeline.HarnessReplay.Checkpoints;
import io.flightcontroller.pipeline.HarnessReplay.Step;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.Test;

/**
 * What {@link SequenceOperator} holds on the heap instead of in Flink's state and timers changes no result: the values
 * of the keys worked on last on RocksDB ({@link HeldValueState}: the case, flink-cep's NFA state and maps, read once
 * and written when the key leaves them, before each snapshot and at the end of input), and the timers flink-cep
 * registers for the events it holds ({@link NearWakes}, moved into Flink's timers before each barrier). Random streams
 * of sequence steps, repeats, late events, watermarks and checkpoints give, record for record with their timestamps, on
 * every output, the rows of the heap backend with every CEP timer a Flink timer: on the heap and on RocksDB, with room
 * for every key and for one or two of the six (so that keys leave the values held, and are written, all the time, and
 * near wakes and Flink timers mix), with snapshots taken and with the operator restored from each.
 */
class SequenceHeldKeysEquivalenceTest {

    private static final long MIN = 60_000L;
    private static final long RETENTION = 90 * MIN;

    /** Limits on a hop and on the whole, and an SLO threshold: every kind of wake a case has. */
    private static final MeasureDefinition PROJECT = MeasuresYaml.parse("measures:\n"
                    + "  - name: project_lead_time\n"
                    + "    kind: sequence\n"
                    + "    steps:\n"
                    + "      - event: project_requested\n"
                    + "      - event: project_assigned\n"
                    + "        within: PT40M\n"
                    + "        measure: project_assigned_lead_time\n"
                    + "      - event: project_created\n"
                    + "    within: PT2H\n"
                    + "    slo: { threshold: PT1H, objective: 0.9, window: P1D }\n")
            .getMeasures()
            .get(0);

    private static final String[] TYPES = {"project_requested", "project_assigned", "project_created"};

    /** 400 steps over six case keys, events up to 10 minutes out of order, repeats of every step, some late. */
    private static List<Step<RoutedEvent>> stream(long seed) {
        return stream(seed, 400);
    }

    /** As {@link #stream(long)}, {@code steps} long. */
    private static List<Step<RoutedEvent>> stream(long seed, int steps) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Step<RoutedEvent>> out = new ArrayList<>();
        long watermark = 0;
        long max = 0;
        long seq = 0;
        int[] reached = new int[6];
        for (int i = 0; i < steps; i++) {
            int p = r.nextInt(100);
            if (p < 65) {
                int k = r.nextInt(6);
                // mostly the key's next step, sometimes a repeat or a step out of order
                int step = r.nextInt(4) == 0 ? r.nextInt(3) : reached[k]++ % 3;
                long t = Math.max(0, max - 10 * MIN + r.nextInt(14) * MIN + r.nextInt(1000));
                max = Math.max(max, t);
                ProcessEvent e = ProcessEvent.of(null, "K" + k, TYPES[step], t, null);
                e.setSeq(seq++);
                boolean late = t < watermark;
                if (late) {
                    e.setLateWatermark(watermark); // as the source flags it
                }
                out.add(Step.event(new RoutedEvent(PROJECT.getName(), "K" + k, e, late)));
            } else if (p < 93) {
                watermark = Math.max(watermark, Math.min(max, watermark + r.nextInt(12) * MIN));
                out.add(Step.watermark(watermark));
            } else {
                out.add(Step.checkpoint());
            }
        }
        return out;
    }

    /** One operator over one stream. */
    private static final class Run extends HarnessReplay<RoutedEvent, Measurement> {
        final String backend;
        final int capacity;
        final int near;
        final long retentionMs;
        int mostHeld;
        int mostNear;

        /**
         * @param capacity keys whose values are held on RocksDB, 0 for the default
         * @param near keys whose CEP timer may be a near wake, -1 for the default
         */
        Run(String backend, int capacity, int near) throws Exception {
            this(backend, capacity, near, RETENTION);
        }

        Run(String backend, int capacity, int near, long retentionMs) throws Exception {
            this.backend = backend;
            this.capacity = capacity;
            this.near = near;
            this.retentionMs = retentionMs;
            start();
        }

        @Override
        KeyedOneInputStreamOperatorTestHarness<String, RoutedEvent, Measurement> harness(OperatorSubtaskState from)
                throws Exception {
            SequenceOperator op = SequenceOperator.of(PROJECT, retentionMs, new ExecutionConfig().getSerializerConfig())
                    .holdingKeysOfAtMost(capacity);
            if (near >= 0) {
                op.nearWakesOfAtMost(near);
            }
            KeyedOneInputStreamOperatorTestHarness<String, RoutedEvent, Measurement> n =
                    new KeyedOneInputStreamOperatorTestHarness<>(op, r -> r.caseKey, Types.STRING);
            n.setStateBackend(SequenceStateUpgradeTest.backend(backend));
            if (from != null) {
                n.initializeState(from);
            }
            n.open();
            return n;
        }

        @Override
        long timestampOf(RoutedEvent r) {
            return r.event.getTimeMs();
        }

        @Override
        OutputTag<?>[] sides() {
            return new OutputTag<?>[] {
                SideOutputs.ALERTS, SideOutputs.OUTCOMES, SideOutputs.OPEN_CASES, SequenceOperator.LATE
            };
        }

        @Override
        void beforeStep() {
            SequenceOperator op = (SequenceOperator) h.getOperator();
            mostHeld = Math.max(mostHeld, op.heldCases());
            mostNear = Math.max(mostNear, op.nearWakes());
        }
    }

    private static RoutedEvent event(String key, String type, long timeMs, long seq) {
        ProcessEvent e = ProcessEvent.of(null, key, type, timeMs, null);
        e.setSeq(seq);
        return new RoutedEvent(PROJECT.getName(), key, e, false);
    }

    @Test
    void aKeysNextCaseStartingWithinTheWatermarkStepOfItsRelease_opens_whicheverOfItsWakesComesFirst()
            throws Exception {
        // the case closes at 2 min and is released at 92; the key's next case starts at 93, and one watermark step
        // passes both: CEP's timer at 93 is a near wake, which fires before the release's Flink timer at 92
        List<Step<RoutedEvent>> stream = List.of(
                Step.event(event("K", "project_requested", 0, 0)),
                Step.event(event("K", "project_assigned", MIN, 1)),
                Step.event(event("K", "project_created", 2 * MIN, 2)),
                Step.watermark(3 * MIN),
                Step.watermark(50 * MIN),
                Step.watermark(91 * MIN),
                Step.event(event("K", "project_requested", 93 * MIN, 3)),
                Step.watermark(95 * MIN));
        List<String> reference = new Run("hashmap", 0, 0).over(stream, Checkpoints.NONE);
        assertThat(reference)
                .as("the next case is open at the end")
                .anyMatch(r -> r.contains("|open-cases|") && r.contains("K"));
        for (String backend : new String[] {"hashmap", "rocksdb"}) {
            Run run = new Run(backend, 0, -1);
            assertThat(run.over(stream, Checkpoints.NONE)).as(backend).containsExactlyElementsOf(reference);
            assertThat(run.mostNear)
                    .as("the next case's first event had a near wake")
                    .isEqualTo(1);
        }
    }

    @Test
    void withAShortRetention_keysReleaseAndStartAgainWithinTheStream_andTheRowsAreTheSame() throws Exception {
        long retention = 10 * MIN;
        for (long seed = 11; seed <= 13; seed++) {
            List<Step<RoutedEvent>> stream = stream(seed, 800);
            List<String> reference = new Run("hashmap", 0, 0, retention).over(stream, Checkpoints.NONE);
            assertThat(reference).as("seed %d: rows", seed).isNotEmpty();
            assertThat(new Run("hashmap", 0, -1, retention).over(stream, Checkpoints.SNAPSHOT_AND_RESTORE))
                    .as("seed %d, heap, near wakes, restored", seed)
                    .containsExactlyElementsOf(reference);
            assertThat(new Run("rocksdb", 1, 1, retention).over(stream, Checkpoints.SNAPSHOT_AND_RESTORE))
                    .as("seed %d, RocksDB, room for one key, restored", seed)
                    .containsExactlyElementsOf(reference);
            assertThat(new Run("rocksdb", 0, -1, retention).over(stream, Checkpoints.SNAPSHOT))
                    .as("seed %d, RocksDB, snapshots", seed)
                    .containsExactlyElementsOf(reference);
        }
    }

    @Test
    void theValuesHeldAndTheNearWakes_giveTheRowsOfEveryChangeWrittenAndEveryTimerFlinks() throws Exception {
        for (long seed = 1; seed <= 5; seed++) {
            List<Step<RoutedEvent>> stream = stream(seed);
            List<String> reference = new Run("hashmap", 0, 0).over(stream, Checkpoints.NONE);
            assertThat(reference).as("seed %d: rows", seed).isNotEmpty();
            for (int near : new int[] {-1, 1}) {
                Run heap = new Run("hashmap", 0, near);
                assertThat(heap.over(stream, Checkpoints.SNAPSHOT_AND_RESTORE))
                        .as("seed %d, heap, near wakes of %s keys, restored", seed, near < 0 ? "every" : near)
                        .containsExactlyElementsOf(reference);
                if (near > 0) {
                    assertThat(heap.mostNear)
                            .as("seed %d: keys with a near wake", seed)
                            .isEqualTo(near);
                } else {
                    assertThat(heap.mostNear)
                            .as("seed %d: keys with a near wake", seed)
                            .isGreaterThan(1);
                }
                assertThat(heap.mostHeld).as("on the heap no value is held").isZero();
            }
            for (int capacity : new int[] {0, 1, 2}) {
                for (Checkpoints c : Checkpoints.values()) {
                    Run run = new Run("rocksdb", capacity, capacity == 1 ? 1 : -1);
                    assertThat(run.over(stream, c))
                            .as("seed %d, RocksDB, room for %s keys, %s", seed, capacity == 0 ? "every" : capacity, c)
                            .containsExactlyElementsOf(reference);
                    if (capacity > 0) {
                        assertThat(run.mostHeld).as("seed %d: keys held", seed).isEqualTo(capacity);
                    } else {
                        assertThat(run.mostHeld).as("seed %d: keys held", seed).isGreaterThan(2);
                    }
                }
            }
        }
    }
}
