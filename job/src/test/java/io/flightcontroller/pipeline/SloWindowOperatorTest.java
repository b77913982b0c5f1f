package io.flightcontroller.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.flightcontroller.domain.Outcome;
import io.flightcontroller.domain.result.WindowAggregate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.windowing.assigners.WindowAssigner;
import org.apache.flink.streaming.api.windowing.triggers.EventTimeTrigger;
import org.apache.flink.streaming.api.windowing.triggers.Trigger;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.streaming.runtime.operators.windowing.WindowOperatorBuilder;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.Test;

/**
 * {@link SloWindowOperator} against what it replaced, Flink's {@code WindowOperator} built as
 * {@code keyBy(measure).window(by outcome time).process(...)} built it (event-time trigger, no allowed lateness): on
 * random streams of outcomes of three measures, watermarks and checkpoints, the same rows with the same timestamps at
 * the same watermarks, on the heap and on RocksDB, with snapshots, with a restore from each, and with a snapshot of
 * either operator restored into the other (the state and timers are the same, so a savepoint taken before this
 * operator restores into it, and the reverse).
 */
class SloWindowOperatorTest {
    private static final Duration SIZE = Duration.ofHours(1);
    private static final long HOUR = 3_600_000L;
    private static final long T0 = 1_700_000_000_000L;

    /** Which operator a run starts with, and which it restores into. */
    enum Kind {
        FLINK_WINDOW,
        SLO_WINDOW,
        /** Appending the outcomes held whenever three are, between watermarks too (its cap on outcomes held). */
        SLO_WINDOW_APPENDING_EVERY_3
    }

    /** Flink's windows by outcome time, as the topology had them. */
    static final class ByOutcomeTime extends WindowAssigner<Object, TimeWindow> {
        private static final long serialVersionUID = 1L;
        private final long sizeMs = SIZE.toMillis();

        @Override
        public Collection<TimeWindow> assignWindows(Object o, long timestamp, WindowAssignerContext ctx) {
            long start = TimeWindow.getWindowStartWithOffset(((Outcome) o).getTimeMs(), 0, sizeMs);
            return Collections.singletonList(new TimeWindow(start, start + sizeMs));
        }

        // no @Override on either: Flink 1.20 declares the first abstract, Flink 2.x only the second
        public Trigger<Object, TimeWindow> getDefaultTrigger(
                org.apache.flink.streaming.api.environment.StreamExecutionEnvironment env) {
            return getDefaultTrigger();
        }

        public Trigger<Object, TimeWindow> getDefaultTrigger() {
            return EventTimeTrigger.create();
        }

        @Override
        public org.apache.flink.api.common.typeutils.TypeSerializer<TimeWindow> getWindowSerializer(
                ExecutionConfig executionConfig) {
            return new TimeWindow.Serializer();
        }

        @Override
        public boolean isEventTime() {
            return true;
        }
    }

    /** The window function the topology had: {@link SloAggregates#aggregate} over the window's outcomes. */
    static final class ToAggregate extends ProcessWindowFunction<Outcome, WindowAggregate, String, TimeWindow> {
        private static final long serialVersionUID = 1L;

        @Override
        public void process(String measure, Context ctx, Iterable<Outcome> outcomes, Collector<WindowAggregate> out) {
            out.collect(SloAggregates.aggregate(
                    measure,
                    SIZE.toString(),
                    ctx.window().getStart(),
                    ctx.window().getEnd(),
                    outcomes));
        }
    }

    static OneInputStreamOperator<Outcome, WindowAggregate> operator(Kind kind) {
        if (kind == Kind.SLO_WINDOW) {
            return new SloWindowOperator(SIZE);
        }
        if (kind == Kind.SLO_WINDOW_APPENDING_EVERY_3) {
            return new SloWindowOperator(SIZE).appendingEvery(3);
        }
        WindowOperatorBuilder<Outcome, String, TimeWindow> b = new WindowOperatorBuilder<>(
                new ByOutcomeTime(),
                EventTimeTrigger.create(),
                new ExecutionConfig(),
                TypeInformation.of(Outcome.class),
                Outcome::getMeasure,
                Types.STRING);
        return b.process(new ToAggregate());
    }

    private static final class Run extends HarnessReplay<Outcome, WindowAggregate> {
        final String backend;
        final Kind first;
        final Kind afterRestore;

        Run(String backend, Kind first, Kind afterRestore) throws Exception {
            this.backend = backend;
            this.first = first;
            this.afterRestore = afterRestore;
            start();
        }

        @Override
        KeyedOneInputStreamOperatorTestHarness<String, Outcome, WindowAggregate> harness(OperatorSubtaskState from)
                throws Exception {
            KeyedOneInputStreamOperatorTestHarness<String, Outcome, WindowAggregate> n =
                    new KeyedOneInputStreamOperatorTestHarness<>(
                            operator(from == null ? first : afterRestore), Outcome::getMeasure, Types.STRING);
            n.setStateBackend(SequenceStateUpgradeTest.backend(backend));
            if (from != null) {
                n.initializeState(from);
            }
            n.open();
            return n;
        }

        @Override
        long timestampOf(Outcome o) {
            return o.getTimeMs();
        }

        @Override
        OutputTag<?>[] sides() {
            return new OutputTag<?>[0];
        }
    }

    /**
     * Outcomes of three measures, each at or after the watermark plus one ms (as the measuring operators emit them),
     * up to three windows ahead; watermarks a random step behind the latest outcome; a checkpoint now and then.
     */
    static List<HarnessReplay.Step<Outcome>> stream(long seed) {
        Random rnd = new Random(seed);
        List<HarnessReplay.Step<Outcome>> steps = new ArrayList<>();
        long watermark = T0;
        for (int i = 0; i < 600; i++) {
            int r = rnd.nextInt(100);
            if (r < 8) {
                watermark += rnd.nextInt(3) == 0 ? HOUR + rnd.nextInt((int) HOUR) : rnd.nextInt(600_000);
                steps.add(HarnessReplay.Step.watermark(watermark));
            } else if (r < 11) {
                steps.add(HarnessReplay.Step.checkpoint());
            } else {
                long time = watermark + 1 + (long) rnd.nextInt((int) (3 * HOUR));
                if (rnd.nextInt(10) == 0) {
                    time = TimeWindow.getWindowStartWithOffset(watermark, 0, HOUR) + HOUR - 1; // a window's last ms
                    time = Math.max(time, watermark + 1);
                }
                String measure = "m" + rnd.nextInt(3);
                boolean decided = rnd.nextInt(8) != 0;
                Boolean good = rnd.nextInt(6) == 0 ? null : rnd.nextBoolean();
                Long lead = rnd.nextInt(4) == 0 ? null : (long) rnd.nextInt(10_000_000);
                steps.add(HarnessReplay.Step.event(Outcome.of(measure, time, good, decided, lead)));
            }
        }
        steps.add(HarnessReplay.Step.watermark(Long.MAX_VALUE));
        return steps;
    }

    @Test
    void theSloWindowOperatorGivesTheRowsOfFlinksWindowOperator_onTheHeapAndRocksDB_acrossSnapshotsAndRestores()
            throws Exception {
        int rows = 0;
        for (long seed = 1; seed <= 8; seed++) {
            List<HarnessReplay.Step<Outcome>> s = stream(seed);
            for (String backend : new String[] {"hashmap", "rocksdb"}) {
                List<String> reference =
                        new Run(backend, Kind.FLINK_WINDOW, Kind.FLINK_WINDOW).over(s, HarnessReplay.Checkpoints.NONE);
                assertThat(reference).as("seed %d: rows to compare", seed).hasSizeGreaterThan(5);
                rows += reference.size();
                for (HarnessReplay.Checkpoints c : HarnessReplay.Checkpoints.values()) {
                    for (Kind k : new Kind[] {Kind.SLO_WINDOW, Kind.SLO_WINDOW_APPENDING_EVERY_3}) {
                        assertThat(new Run(backend, k, k).over(s, c))
                                .as("seed %d, %s, %s, checkpoints %s", seed, backend, k, c)
                                .isEqualTo(reference);
                    }
                }
            }
        }
        assertThat(rows).isGreaterThan(200);
    }

    /**
     * The same state and timers: snapshots of Flink's window operator restore into this one (a savepoint of a job
     * before it), and this one's into Flink's, with every row as without the restores.
     */
    @Test
    void aSnapshotOfEitherOperatorRestoresIntoTheOther_withTheRowsOfAnUninterruptedRun() throws Exception {
        for (long seed = 11; seed <= 16; seed++) {
            List<HarnessReplay.Step<Outcome>> s = stream(seed);
            for (String backend : new String[] {"hashmap", "rocksdb"}) {
                List<String> reference =
                        new Run(backend, Kind.FLINK_WINDOW, Kind.FLINK_WINDOW).over(s, HarnessReplay.Checkpoints.NONE);
                assertThat(new Run(backend, Kind.FLINK_WINDOW, Kind.SLO_WINDOW)
                                .over(s, HarnessReplay.Checkpoints.SNAPSHOT_AND_RESTORE))
                        .as("seed %d, %s: Flink's window operator, then this one", seed, backend)
                        .isEqualTo(reference);
                assertThat(new Run(backend, Kind.SLO_WINDOW, Kind.FLINK_WINDOW)
                                .over(s, HarnessReplay.Checkpoints.SNAPSHOT_AND_RESTORE))
                        .as("seed %d, %s: this operator, then Flink's", seed, backend)
                        .isEqualTo(reference);
            }
        }
    }

    /**
     * Outcomes are appended to the state once per watermark, not one by one: held until the watermark, they still
     * reach the window that fires at it, and a snapshot taken without the barrier's call holds them too.
     */
    @Test
    void outcomesHeldUntilTheWatermarkReachTheirWindow_andASnapshotWithoutTheBarriersCallHoldsThem() throws Exception {
        for (String backend : new String[] {"hashmap", "rocksdb"}) {
            KeyedOneInputStreamOperatorTestHarness<String, Outcome, WindowAggregate> h =
                    new KeyedOneInputStreamOperatorTestHarness<>(
                            operator(Kind.SLO_WINDOW), Outcome::getMeasure, Types.STRING);
            h.setStateBackend(SequenceStateUpgradeTest.backend(backend));
            h.open();
            h.processElement(Outcome.of("m", T0 + 10, true, true, 1_000L), T0 + 10);
            h.processElement(Outcome.of("m", T0 + 20, false, true, 3_000L), T0 + 20);
            OperatorSubtaskState snapshot = h.snapshot(1, 1); // no prepareSnapshotPreBarrier
            h.close();

            KeyedOneInputStreamOperatorTestHarness<String, Outcome, WindowAggregate> r =
                    new KeyedOneInputStreamOperatorTestHarness<>(
                            operator(Kind.FLINK_WINDOW), Outcome::getMeasure, Types.STRING);
            r.setStateBackend(SequenceStateUpgradeTest.backend(backend));
            r.initializeState(snapshot);
            r.open();
            r.processElement(Outcome.of("m", T0 + 30, true, true, 2_000L), T0 + 30);
            r.processWatermark(Long.MAX_VALUE);
            List<WindowAggregate> out = new ArrayList<>(r.extractOutputValues());
            r.close();
            assertThat(out).as(backend).hasSize(1);
            assertThat(out.get(0).getCompleted()).as(backend).isEqualTo(3);
            assertThat(out.get(0).getGood()).as(backend).isEqualTo(2);
            assertThat(out.get(0).getBad()).as(backend).isEqualTo(1);
        }
    }

    /** An outcome behind the watermark (none is, in the topology) is dropped, as Flink's window operator drops it. */
    @Test
    void anOutcomeWhoseWindowTheWatermarkPassedIsDroppedAsByFlinksWindowOperator() throws Exception {
        List<HarnessReplay.Step<Outcome>> s = new ArrayList<>();
        s.add(HarnessReplay.Step.event(Outcome.of("m", T0 + 5, true, true, 7L)));
        s.add(HarnessReplay.Step.watermark(T0 + 2 * HOUR));
        s.add(HarnessReplay.Step.event(Outcome.of("m", T0 + 6, true, true, 8L))); // its window has fired
        s.add(HarnessReplay.Step.event(Outcome.of("m", T0 + 2 * HOUR + 1, true, true, 9L)));
        s.add(HarnessReplay.Step.watermark(Long.MAX_VALUE));
        List<String> reference =
                new Run("hashmap", Kind.FLINK_WINDOW, Kind.FLINK_WINDOW).over(s, HarnessReplay.Checkpoints.NONE);
        assertThat(reference).hasSize(2).allMatch(r -> r.contains("completed=1,"));
        assertThat(new Run("hashmap", Kind.SLO_WINDOW, Kind.SLO_WINDOW).over(s, HarnessReplay.Checkpoints.NONE))
                .isEqualTo(reference);
    }
}
