package io.flightcontroller.pipeline;

import io.flightcontroller.adapters.parse.MeasuresYaml;
import io.flightcontroller.domain.Outcome;
import io.flightcontroller.domain.event.ProcessEvent;
import io.flightcontroller.domain.measure.MeasureDefinition;
import io.flightcontroller.domain.result.Alert;
import io.flightcontroller.domain.result.Measurement;
import io.flightcontroller.domain.result.OpenCase;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.CheckpointStorage;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

/**
 * A {@link SequenceOperator} of one sequence measure in Flink's keyed operator test harness, keyed by case key as the
 * topology keys it, with helpers that number events in input order (the tie-breaker) and read each output.
 */
final class SequenceHarness implements AutoCloseable {
    final MeasureDefinition def;
    final KeyedOneInputStreamOperatorTestHarness<String, RoutedEvent, Measurement> h;
    private long seq;

    SequenceHarness(String measureYaml, long caseRetentionMs) throws Exception {
        this(measureYaml, caseRetentionMs, null);
    }

    /** @param snapshots where {@code h.snapshot} writes, or null for the harness's default (at most 5 MiB) */
    SequenceHarness(String measureYaml, long caseRetentionMs, CheckpointStorage snapshots) throws Exception {
        this(measureYaml, caseRetentionMs, snapshots, null, null);
    }

    /**
     * @param snapshots where {@code h.snapshot} writes, or null for the harness's default (at most 5 MiB)
     * @param backend the state backend, or null for the harness's default (heap)
     * @param restore a snapshot to start from, or null
     */
    SequenceHarness(
            String measureYaml,
            long caseRetentionMs,
            CheckpointStorage snapshots,
            org.apache.flink.runtime.state.StateBackend backend,
            org.apache.flink.runtime.checkpoint.OperatorSubtaskState restore)
            throws Exception {
        this.def = MeasuresYaml.parse("measures:\n" + measureYaml).getMeasures().get(0);
        this.h = new KeyedOneInputStreamOperatorTestHarness<>(
                SequenceOperator.of(def, caseRetentionMs, new ExecutionConfig().getSerializerConfig()),
                r -> r.caseKey,
                Types.STRING);
        if (snapshots != null) {
            h.setCheckpointStorage(snapshots);
        }
        if (backend != null) {
            h.setStateBackend(backend);
        }
        if (restore != null) {
            h.initializeState(restore);
        }
        h.open();
    }

    /** Sends an on-time event of case {@code key} (its record timestamp is its event time, as in the topology). */
    ProcessEvent send(String key, String type, long timeMs) throws Exception {
        ProcessEvent e = ProcessEvent.of(null, key, type, timeMs, null);
        e.setSeq(seq++);
        h.processElement(new StreamRecord<>(new RoutedEvent("sequence", key, e, false), timeMs));
        return e;
    }

    /** Sends an event flagged late upstream, behind {@code watermark} (as ParseSplitter flags it). */
    void sendLate(String key, String type, long timeMs, long watermark) throws Exception {
        ProcessEvent e = ProcessEvent.of(null, key, type, timeMs, null);
        e.setSeq(seq++);
        e.setLateWatermark(watermark);
        h.processElement(new StreamRecord<>(new RoutedEvent("sequence", key, e, true), timeMs));
    }

    void watermark(long timeMs) throws Exception {
        h.processWatermark(timeMs);
    }

    List<Measurement> rows() {
        return h.extractOutputValues();
    }

    /** Rows as {@code measure|case|lead ms|good|afterTimeout|late}, in emission order. */
    List<String> rowKeys() {
        return rows().stream()
                .map(m -> m.getMeasure() + "|" + m.getCaseKey() + "|" + m.valueAsLong() + "|" + m.getGood() + "|"
                        + m.isAfterTimeout() + "|" + m.isLate())
                .collect(Collectors.toList());
    }

    List<Alert> alerts() {
        return HarnessSupport.alerts(h);
    }

    List<Outcome> outcomes() {
        return HarnessSupport.values(h, SideOutputs.OUTCOMES);
    }

    List<OpenCase> openCases() {
        return HarnessSupport.values(h, SideOutputs.OPEN_CASES);
    }

    List<RoutedEvent> cepLate() {
        return HarnessSupport.values(h, SequenceOperator.LATE);
    }

    long counter(String name) {
        return HarnessSupport.counter(h, name);
    }

    @Override
    public void close() throws Exception {
        h.close();
    }
}
