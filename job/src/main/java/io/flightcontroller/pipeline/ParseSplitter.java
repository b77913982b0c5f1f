package io.flightcontroller.pipeline;

import io.flightcontroller.domain.event.DeadLetter;
import io.flightcontroller.domain.event.EventTimes;
import io.flightcontroller.domain.event.ParsedRecord;
import io.flightcontroller.domain.event.ProcessEvent;
import io.flightcontroller.domain.measure.MeasureDefinition;
import io.flightcontroller.domain.measure.MeasuresConfig;
import java.util.HashSet;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Runs chained to the source, so it sees each record exactly where the source put it among the watermarks. Splits
 * parsed records: dead letters go to {@link SideOutputs#DEAD_LETTERS} and are counted per reason
 * ({@code malformed.<reason>}); events go on, each with its sequence number in the input (the tie-breaker for equal
 * event times downstream), its de-duplication identity, and without its payload when no payload-reading measure uses
 * its type (so it is not serialized downstream).
 *
 * <p>Lateness is decided here, once: an event whose time is at or behind the current watermark is <b>late</b>. A late
 * event of a type some measure uses is dead-lettered ({@code late}) with the record exactly as received, so it can be
 * re-driven, and counted ({@code late}, {@code max_lateness_ms}); it still travels on, flagged with the watermark it
 * arrived behind, so a measure can apply it as a correction.
 *
 * <p>Shape of the lateness figures: lateness = watermark - event time (ms, &gt;= 0); the out-of-orderness that would
 * have accepted the event = configured out-of-orderness + lateness + 1 ms (the watermark is the corroborated event
 * time minus the out-of-orderness minus 1 ms, see {@link io.flightcontroller.domain.event.CorroboratedClock}).
 */
class ParseSplitter extends ProcessFunction<ParsedRecord, ProcessEvent> {
    private static final long serialVersionUID = 1L;

    private final Set<String> payloadTypes;
    private final Set<String> relevantTypes;
    private final MeasuresConfig measures;
    private transient PipelineCounters counters;
    private transient long nextSeq;

    /** @param measures the measures: events of types no payload-reading measure uses travel on without payload */
    ParseSplitter(MeasuresConfig measures) {
        Set<String> types = new HashSet<>();
        for (MeasureDefinition d : measures.getMeasures()) {
            if (d.usesPayload()) {
                types.addAll(d.relevantTypes());
            }
        }
        this.payloadTypes = types;
        this.relevantTypes = new HashSet<>(measures.relevantTypes());
        this.measures = measures;
    }

    @Override
    public void open(OpenContext openContext) {
        counters = new PipelineCounters(getRuntimeContext());
        // one input file is read by one subtask: the sequence is the line order; several subtasks (Kinesis) get
        // disjoint ranges
        nextSeq = (long) getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() << 40;
    }

    @Override
    public void processElement(ParsedRecord r, Context ctx, Collector<ProcessEvent> out) {
        counters.inc(PipelineCounters.RECORDS_IN);
        if (!r.isEvent()) {
            DeadLetter d = r.getDeadLetter();
            counters.deadLetter(PipelineCounters.MALFORMED_PREFIX + d.getReason());
            if (DeadLetter.REASON_FUTURE_TIME.equals(d.getReason())) {
                counters.future();
            }
            ctx.output(SideOutputs.DEAD_LETTERS, d);
            return;
        }
        counters.inc(PipelineCounters.EVENTS_PARSED);
        ProcessEvent e = r.getEvent();
        counters.eventTime(e.getTimeMs());
        e.setIdentity(e.identityHash());
        e.setSeq(nextSeq++);
        long watermark = ctx.timerService().currentWatermark();
        if (e.getTimeMs() <= watermark) {
            e.setLateWatermark(watermark);
            if (relevantTypes.contains(e.getEventType())) {
                long lateness = watermark - e.getTimeMs();
                counters.late(lateness);
                ctx.output(
                        SideOutputs.DEAD_LETTERS,
                        DeadLetter.of(
                                        "split",
                                        DeadLetter.REASON_LATE,
                                        "event time " + EventTimes.iso(e.getTimeMs())
                                                + " is at or behind the watermark " + EventTimes.iso(watermark) + " ("
                                                + lateness + " ms)",
                                        raw(r))
                                .withEvent(e.getCorrelationId(), e.getTimeMs()));
            }
        }
        if (payloadTypes.contains(e.getEventType())) {
            for (MeasureDefinition d : measures.getMeasures()) {
                if (d.isRelevant(e.getEventType()) && d.caseKey(e) == null) {
                    counters.deadLetter(PipelineCounters.MISSING_KEY_FIELD);
                    ctx.output(
                            SideOutputs.DEAD_LETTERS,
                            DeadLetter.of(
                                            "split",
                                            DeadLetter.REASON_MISSING_KEY_FIELD,
                                            "measure '" + d.getName() + "' keys on " + d.getKey()
                                                    + " and the event lacks a part",
                                            raw(r))
                                    .withEvent(e.getCorrelationId(), e.getTimeMs()));
                }
            }
        } else {
            e.setPayload(null); // no measure reads it: identity taken, do not ship it through the shuffle
        }
        out.collect(e);
    }

    private static String raw(ParsedRecord r) {
        return r.getRaw() != null ? r.getRaw() : r.getEvent().toString();
    }
}
