package io.flightcontroller.pipeline;

import io.flightcontroller.domain.event.ProcessEvent;
import io.flightcontroller.domain.measure.MeasureDefinition;
import io.flightcontroller.domain.measure.MeasuresConfig;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by correlation id: drops duplicates, counts events of types no measure uses ({@code unknown_type}), flags
 * late events and routes each event to the measures that use it.
 *
 * <ul>
 *   <li>Duplicate = same EventBridge {@code id}, or without one the same event type, time and payload for the same
 *       correlation id. Counted ({@code duplicate}) and dropped. A key is remembered until the watermark passes
 *       event time + {@code dedupRetentionMs}; a copy arriving later is behind the watermark and so handled as late.
 *       State is therefore bounded in event time.</li>
 *   <li>Late events were flagged (counted and dead-lettered) at the source by {@link ParseSplitter}; they are still
 *       routed, flagged, so a measure can apply them as a correction.</li>
 *   <li>Routing: one {@link RoutedEvent} per measure that reacts to the event type; a measure keyed on a payload field
 *       the event lacks gets nothing (the record was dead-lettered {@code missing_key_field} at the source).</li>
 * </ul>
 * Also publishes gauges {@code watermarkLagMs} (wall clock minus current watermark) and {@code eventTimeLagMs}
 * (largest event time seen minus current watermark).
 */
class DedupAndRoute extends KeyedProcessFunction<String, ProcessEvent, RoutedEvent> {
    private static final long serialVersionUID = 1L;

    private final MeasuresConfig measures;
    private final long dedupRetentionMs;
    private transient MapState<Long, Long> seen;
    private transient PipelineCounters counters;
    private transient volatile long lastWatermark;
    private transient volatile long maxEventTime;

    DedupAndRoute(MeasuresConfig measures, long dedupRetentionMs) {
        this.measures = measures;
        this.dedupRetentionMs = dedupRetentionMs;
    }

    @Override
    public void open(OpenContext openContext) {
        seen = getRuntimeContext().getMapState(new MapStateDescriptor<>("dedup", Types.LONG, Types.LONG));
        counters = new PipelineCounters(getRuntimeContext());
        lastWatermark = Long.MIN_VALUE;
        maxEventTime = Long.MIN_VALUE;
        getRuntimeContext()
                .getMetricGroup()
                .gauge(
                        "watermarkLagMs",
                        () -> lastWatermark == Long.MIN_VALUE ? -1L : System.currentTimeMillis() - lastWatermark);
        getRuntimeContext()
                .getMetricGroup()
                .gauge("eventTimeLagMs", () -> lastWatermark == Long.MIN_VALUE ? -1L : maxEventTime - lastWatermark);
    }

    @Override
    public void processElement(ProcessEvent e, Context ctx, Collector<RoutedEvent> out) throws Exception {
        long watermark = ctx.timerService().currentWatermark();
        lastWatermark = watermark;
        maxEventTime = Math.max(maxEventTime, e.getTimeMs());
        long key = e.getIdentity() != 0 ? e.getIdentity() : e.identityHash();
        if (seen.contains(key)) {
            counters.inc(PipelineCounters.DUPLICATE);
            return;
        }
        boolean relevant = measures.relevantTypes().contains(e.getEventType());
        boolean late = e.isLate(); // decided (and dead-lettered) at the source by ParseSplitter
        if (!relevant) {
            // counted, not dead-lettered: nothing measures it; remembered so its duplicates are counted too
            counters.inc(PipelineCounters.UNKNOWN_TYPE);
            if (!late) {
                remember(key, e, ctx);
            }
            return;
        }
        if (!late) {
            remember(key, e, ctx);
        }
        List<MeasureDefinition> defs = measures.getMeasures();
        ProcessEvent withoutPayload = null;
        for (int i = 0; i < defs.size(); i++) {
            MeasureDefinition d = defs.get(i);
            if (!d.isRelevant(e.getEventType())) {
                continue;
            }
            String caseKey = d.caseKey(e);
            if (caseKey == null) {
                continue; // dead-lettered (missing_key_field) at the source by ParseSplitter, with the raw record
            }
            if (d.usesPayload()) {
                out.collect(new RoutedEvent(d.getName(), caseKey, e, late));
            } else {
                // the measure reads no payload field: do not ship or buffer it
                if (withoutPayload == null) {
                    withoutPayload = e.withoutPayload();
                }
                out.collect(new RoutedEvent(d.getName(), caseKey, withoutPayload, late));
            }
        }
    }

    /**
     * Remembers an event's key until event time + retention. One clean-up timer per correlation id: registered when
     * the first key is remembered; when it fires it re-registers for the earliest remaining key (invariant: the map
     * is non-empty exactly while one timer is pending).
     */
    private void remember(long key, ProcessEvent e, Context ctx) throws Exception {
        long expiry = e.getTimeMs() + dedupRetentionMs;
        if (seen.isEmpty()) {
            ctx.timerService().registerEventTimeTimer(expiry);
        }
        seen.put(key, expiry);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<RoutedEvent> out) throws Exception {
        lastWatermark = ctx.timerService().currentWatermark();
        long next = Long.MAX_VALUE;
        for (Iterator<Map.Entry<Long, Long>> it = seen.iterator(); it.hasNext(); ) {
            long expiry = it.next().getValue();
            if (expiry <= timestamp) {
                it.remove();
            } else {
                next = Math.min(next, expiry);
            }
        }
        if (next == Long.MAX_VALUE) {
            // removing the last entry through the iterator leaves an empty map behind on the heap state backend,
            // one per correlation id ever seen; clear() releases the key's state
            seen.clear();
        } else {
            ctx.timerService().registerEventTimeTimer(next);
        }
    }
}
