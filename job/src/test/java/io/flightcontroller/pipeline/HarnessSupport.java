package io.flightcontroller.pipeline;

import io.flightcontroller.adapters.parse.MeasuresYaml;
import io.flightcontroller.domain.event.DeadLetter;
import io.flightcontroller.domain.event.ProcessEvent;
import io.flightcontroller.domain.measure.MeasureDefinition;
import io.flightcontroller.domain.measure.MeasuresConfig;
import io.flightcontroller.domain.result.Alert;
import io.flightcontroller.domain.result.Measurement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.accumulators.Accumulator;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.OutputTag;

/** Operator test harnesses for the keyed stages of the topology, and small helpers shared by the operator tests. */
final class HarnessSupport {
    private HarnessSupport() {}

    static MeasuresConfig measures(String yaml) {
        return MeasuresYaml.parse(yaml);
    }

    /** @return the measures file {@code name} of the test resources (e.g. {@code measures-all-kinds.yaml}) */
    static MeasuresConfig measuresResource(String name) {
        try (java.io.InputStream in = HarnessSupport.class.getResourceAsStream("/" + name)) {
            return MeasuresYaml.read(in, name);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The measuring stage exactly as the topology builds it, keyed by {@link RoutedEvent#key()}. */
    static KeyedOneInputStreamOperatorTestHarness<Tuple2<String, String>, RoutedEvent, Measurement> measureHarness(
            MeasuresConfig measures, long caseRetentionMs) throws Exception {
        KeyedOneInputStreamOperatorTestHarness<Tuple2<String, String>, RoutedEvent, Measurement> h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new MeasureOperator(new MeasureFunction(measures, caseRetentionMs)),
                        RoutedEvent::key,
                        RoutedEvent.KEY_TYPE);
        h.open();
        return h;
    }

    /** The dedup/late/route stage exactly as the topology builds it, keyed by correlation id. */
    static KeyedOneInputStreamOperatorTestHarness<String, ProcessEvent, RoutedEvent> dedupHarness(
            MeasuresConfig measures, long dedupRetentionMs) throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, ProcessEvent, RoutedEvent> h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new DedupAndRoute.Operator(new DedupAndRoute(measures, dedupRetentionMs)),
                        ProcessEvent::getCorrelationId,
                        Types.STRING);
        h.open();
        return h;
    }

    static long t(String isoInstant) {
        return Instant.parse(isoInstant).toEpochMilli();
    }

    static ProcessEvent event(String correlationId, String type, long timeMs) {
        return ProcessEvent.of(null, correlationId, type, timeMs, null);
    }

    /** Routes an on-time event to every measure that uses its type, as {@link DedupAndRoute} does. */
    static void route(
            KeyedOneInputStreamOperatorTestHarness<Tuple2<String, String>, RoutedEvent, Measurement> h,
            MeasuresConfig measures,
            ProcessEvent e)
            throws Exception {
        List<MeasureDefinition> defs = measures.getMeasures();
        for (int i = 0; i < defs.size(); i++) {
            if (defs.get(i).isRelevant(e.getEventType())) {
                h.processElement(new StreamRecord<>(
                        new RoutedEvent(defs.get(i).getName(), defs.get(i).caseKey(e), e, false), e.getTimeMs()));
            }
        }
    }

    static List<Measurement> measurements(AbstractStreamOperatorTestHarness<Measurement> h) {
        return new ArrayList<>(h.extractOutputValues());
    }

    static List<Alert> alerts(AbstractStreamOperatorTestHarness<?> h) {
        return values(h, SideOutputs.ALERTS);
    }

    static List<DeadLetter> deadLetters(AbstractStreamOperatorTestHarness<?> h) {
        return values(h, SideOutputs.DEAD_LETTERS);
    }

    static <X> List<X> values(AbstractStreamOperatorTestHarness<?> h, OutputTag<X> tag) {
        List<X> out = new ArrayList<>();
        if (h.getSideOutput(tag) != null) {
            for (StreamRecord<X> r : h.getSideOutput(tag)) {
                out.add(r.getValue());
            }
        }
        return out;
    }

    /** A counter of {@link PipelineCounters} as registered by the operator under test (0 when never incremented). */
    static long counter(AbstractStreamOperatorTestHarness<?> h, String name) {
        Map<String, Accumulator<?, ?>> acc =
                h.getEnvironment().getAccumulatorRegistry().getUserMap();
        Accumulator<?, ?> a = acc.get(name);
        return a == null ? 0 : ((Number) a.getLocalValue()).longValue();
    }

    /**
     * Moves every record of the main output and of the side outputs {@code sides} out of the harness into {@code rows},
     * each as {@code output|value|timestamp} ({@link #recordText}): for tests that compare two runs record for record.
     */
    static void drainRecords(AbstractStreamOperatorTestHarness<?> h, List<String> rows, OutputTag<?>... sides) {
        for (Object o : h.getOutput()) {
            if (o instanceof StreamRecord) {
                rows.add("main|" + recordText((StreamRecord<?>) o));
            }
        }
        h.getOutput().clear();
        for (OutputTag<?> tag : sides) {
            java.util.Queue<? extends StreamRecord<?>> q = h.getSideOutput(tag);
            if (q != null) {
                for (StreamRecord<?> r : q) {
                    rows.add(tag.getId() + "|" + recordText(r));
                }
                q.clear();
            }
        }
    }

    /** @return a record's value as text (a {@link RoutedEvent} field by field) and its timestamp */
    static String recordText(StreamRecord<?> r) {
        Object v = r.getValue();
        String s = v instanceof RoutedEvent
                ? ((RoutedEvent) v).measure + "/" + ((RoutedEvent) v).caseKey + "/" + ((RoutedEvent) v).event + "/"
                        + ((RoutedEvent) v).late
                : String.valueOf(v);
        return s + "|" + (r.hasTimestamp() ? r.getTimestamp() : "none");
    }
}
