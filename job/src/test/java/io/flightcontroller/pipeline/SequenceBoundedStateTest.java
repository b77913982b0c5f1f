package io.flightcontroller.pipeline;

import static io.flightcontroller.pipeline.HarnessSupport.t;
import static org.assertj.core.api.Assertions.assertThat;

import io.flightcontroller.domain.event.ProcessEvent;
import io.flightcontroller.domain.measure.MeasureDefinition;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.cep.nfa.compiler.NFACompiler;
import org.apache.flink.cep.operator.CepOperator;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

/**
 * Keyed state of a sequence measure grows with open cases, not with cases ever seen: 1,000,000 distinct case keys
 * complete their three steps (with a repeated first step after each completion), and the operator ends with no keyed
 * state and no timer once the case retention has passed. Beside it, flink-cep 1.20's own operator on the same
 * pattern and events, for the figure in the README: what it keeps per finished case.
 */
class SequenceBoundedStateTest {

    static final String SEQUENCE = "  - name: project_lead_time\n"
            + "    kind: sequence\n"
            + "    steps:\n"
            + "      - event: project_requested\n"
            + "      - event: project_assigned\n"
            + "        within: PT1H\n"
            + "      - event: project_created\n"
            + "    within: P7D\n";

    static final int CASES = 1_000_000;
    static final int BATCH = 100_000;
    static final long RETENTION_MS = 60_000L;
    static final long BASE = t("2024-01-01T00:00:00Z");

    interface Sink {
        void send(String key, String type, long timeMs) throws Exception;

        void watermark(long timeMs) throws Exception;
    }

    /**
     * Batch b of {@code cases} cases: every case's three steps (10 s and 20 s apart), then, after they completed, its
     * first step again.
     */
    static void batch(Sink s, int b, int cases) throws Exception {
        long start = BASE + b * 3_600_000L;
        for (int i = 0; i < cases; i++) {
            s.send("c" + b + "-" + i, "project_requested", start + (i % 1000));
        }
        for (int i = 0; i < cases; i++) {
            s.send("c" + b + "-" + i, "project_assigned", start + (i % 1000) + 10_000);
        }
        for (int i = 0; i < cases; i++) {
            s.send("c" + b + "-" + i, "project_created", start + (i % 1000) + 30_000);
        }
        s.watermark(start + 31_000);
        for (int i = 0; i < cases; i++) {
            s.send("c" + b + "-" + i, "project_requested", start + 40_000 + (i % 1000)); // one sequence per case
        }
        s.watermark(start + 41_000);
    }

    @Test
    void aMillionCompletedSequencesLeaveNoKeyedStateAndNoTimer_afterTheRetention() throws Exception {
        long completed = 0;
        long markerBytes = -1;
        try (SequenceHarness s = new SequenceHarness(SEQUENCE, RETENTION_MS)) {
            long[] seq = {0};
            StreamRecord<RoutedEvent> reuse = new StreamRecord<>(null);
            Sink sink = new Sink() {
                @Override
                public void send(String key, String type, long timeMs) throws Exception {
                    ProcessEvent e = ProcessEvent.of(null, key, type, timeMs, null);
                    e.setSeq(seq[0]++);
                    s.h.processElement(reuse.replace(new RoutedEvent("sequence", key, e, false), timeMs));
                }

                @Override
                public void watermark(long timeMs) throws Exception {
                    s.h.processWatermark(timeMs);
                }
            };
            for (int b = 0; b < CASES / BATCH; b++) {
                batch(sink, b, BATCH);
                completed += s.rows().stream()
                        .filter(m -> m.getMeasure().equals("project_lead_time"))
                        .count();
                s.h.getOutput().clear();
                s.h.getSideOutput(SideOutputs.OUTCOMES).clear();
                if (b == 0) {
                    // during the retention: one marker per finished case, nothing of CEP's
                    assertThat(s.h.numKeyedStateEntries()).isEqualTo(BATCH);
                    assertThat(s.h.numEventTimeTimers()).isEqualTo(BATCH); // the end of each retention
                }
                s.h.processWatermark(BASE + b * 3_600_000L + 41_000 + RETENTION_MS);
                assertThat(s.h.numKeyedStateEntries())
                        .as("keyed state after batch %s and the retention", b)
                        .isZero();
                assertThat(s.h.numEventTimeTimers())
                        .as("timers after batch %s and the retention", b)
                        .isZero();
            }
            assertThat(s.alerts()).isEmpty();
            // the size of what a finished case keeps during the retention (key, marker, its timer): a snapshot of
            // the markers of one more batch, small enough for the harness's in-memory snapshot (5 MiB)
            int sample = 20_000;
            batch(sink, CASES / BATCH, sample);
            assertThat(s.h.numKeyedStateEntries()).isEqualTo(sample);
            markerBytes = stateBytes(s.h.snapshot(1, 1)) / sample;
        }
        assertThat(completed).isEqualTo(CASES);
        System.out.printf(
                "sequence operator: %,d completed sequences; during the retention %d bytes of keyed state"
                        + " per finished case (snapshot); after it 0 entries, 0 timers%n",
                completed, markerBytes);
    }

    /** flink-cep 1.20's CepOperator alone, same pattern and events: what it keeps after each match. */
    @Test
    void flinkCepAloneKeepsATimerPerProcessedEventForTheWindowAfterEachMatch_andRestartsOnARepeat() throws Exception {
        MeasureDefinition d = new SequenceHarness(SEQUENCE, 0).def;
        Pattern<RoutedEvent, RoutedEvent> p = SequencePattern.of(d);
        CepOperator<RoutedEvent, String, Long> cep = new CepOperator<>(
                TypeInformation.of(RoutedEvent.class).createSerializer(new ExecutionConfig().getSerializerConfig()),
                false,
                NFACompiler.compileFactory(p, false),
                new SequenceOperator.InputOrder(),
                p.getAfterMatchSkipStrategy(),
                new PatternProcessFunction<RoutedEvent, Long>() {
                    @Override
                    public void processMatch(Map<String, List<RoutedEvent>> match, Context ctx, Collector<Long> out) {
                        out.collect(1L);
                    }
                },
                null);
        long matches;
        long entriesAfterMatch;
        long timersAfterMatch;
        long entriesAfterRepeat;
        try (KeyedOneInputStreamOperatorTestHarness<String, RoutedEvent, Long> h =
                new KeyedOneInputStreamOperatorTestHarness<>(cep, r -> r.caseKey, Types.STRING)) {
            h.open();
            long[] seq = {0};
            long[] afterMatch = new long[2];
            Sink sink = new Sink() {
                @Override
                public void send(String key, String type, long timeMs) throws Exception {
                    ProcessEvent e = ProcessEvent.of(null, key, type, timeMs, null);
                    e.setSeq(seq[0]++);
                    h.processElement(new StreamRecord<>(new RoutedEvent("sequence", key, e, false), timeMs));
                }

                @Override
                public void watermark(long timeMs) throws Exception {
                    h.processWatermark(timeMs);
                    if (timeMs == BASE + 31_000) {
                        afterMatch[0] = h.numKeyedStateEntries();
                        afterMatch[1] = h.numEventTimeTimers();
                    }
                }
            };
            batch(sink, 0, BATCH);
            matches = h.extractOutputValues().size();
            entriesAfterMatch = afterMatch[0];
            timersAfterMatch = afterMatch[1];
            entriesAfterRepeat = h.numKeyedStateEntries();
        }
        assertThat(matches).isEqualTo(BATCH);
        // after the match flink-cep 1.20 clears its NFA state, but keeps a first-to-last timer for the window
        assertThat(timersAfterMatch).isGreaterThanOrEqualTo(BATCH);
        // and a repeated first step starts a second partial match of the same case, kept for the window
        assertThat(entriesAfterRepeat).isGreaterThan(entriesAfterMatch);
        System.out.printf(
                "flink-cep 1.20 alone, %,d completed sequences: %,d keyed state entries and %,d timers after"
                        + " the matches; %,d keyed state entries after a repeated first step per case%n",
                matches, entriesAfterMatch, timersAfterMatch, entriesAfterRepeat);
    }

    static long stateBytes(OperatorSubtaskState state) {
        return state.getManagedKeyedState().stream()
                .mapToLong(h -> h.getStateSize())
                .sum();
    }
}
