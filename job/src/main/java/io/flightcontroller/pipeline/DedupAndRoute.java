package io.flightcontroller.pipeline;

import io.flightcontroller.domain.event.ProcessEvent;
import io.flightcontroller.domain.measure.MeasureDefinition;
import io.flightcontroller.domain.measure.MeasuresConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
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
 *
 * <p>State, per correlation id: the remembered keys with their expiries as one {@code long[]} value ({@value
 * #COMPACT}: {@code [key, expiry, key, expiry, ...]} in arrival order), a few bytes per event and one read and one write
 * per event on any state backend. A correlation id with more than {@value #COMPACT_MAX} keys remembered at once (one
 * that emits hundreds of events an hour) moves them into a {@link MapState} ({@value #SPILLED_STATE}: key to expiry)
 * and its value becomes a one-element marker, so a hot id costs O(1) per event, not a rewrite of a growing array.
 * Before, every id kept a map (on the heap a hash map per id, about 250 bytes more per case; on RocksDB an iterator
 * seek per event to ask whether it was empty): a savepoint of that layout is moved over by {@link Operator} when
 * restored, key by key, once.
 */
class DedupAndRoute extends KeyedProcessFunction<String, ProcessEvent, RoutedEvent> {
    private static final long serialVersionUID = 1L;

    /** Name of the per-id value state: remembered keys and expiries, pairwise. */
    static final String COMPACT = "dedup-keys";
    /** Name of the map state of ids with more than {@link #COMPACT_MAX} keys (and of the layout before). */
    static final String SPILLED_STATE = "dedup";
    /** Keys an id remembers in its value before they move into the map state. */
    static final int COMPACT_MAX = 64;
    /** The value of an id whose keys are in the map state (odd length: never a list of pairs). */
    private static final long[] SPILLED = {Long.MIN_VALUE};

    private final MeasuresConfig measures;
    private final long dedupRetentionMs;
    private transient ValueState<long[]> compact;
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
        compact = getRuntimeContext()
                .getState(new ValueStateDescriptor<>(COMPACT, PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
        seen = getRuntimeContext().getMapState(new MapStateDescriptor<>(SPILLED_STATE, Types.LONG, Types.LONG));
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
        long[] keys = compact.value();
        boolean spilled = keys != null && keys.length % 2 == 1;
        if (spilled ? seen.contains(key) : indexOf(keys, key) >= 0) {
            counters.inc(PipelineCounters.DUPLICATE);
            return;
        }
        boolean relevant = measures.relevantTypes().contains(e.getEventType());
        boolean late = e.isLate(); // decided (and dead-lettered) at the source by ParseSplitter
        if (!relevant) {
            // counted, not dead-lettered: nothing measures it; remembered so its duplicates are counted too
            counters.inc(PipelineCounters.UNKNOWN_TYPE);
            if (!late) {
                remember(keys, key, e, ctx);
            }
            return;
        }
        if (!late) {
            remember(keys, key, e, ctx);
        }
        route(measures, e, (i, d, caseKey, event) -> out.collect(new RoutedEvent(d.getName(), caseKey, event, late)));
    }

    /** Where {@link #route} sends an event: the measure (its index in the measures file), its case key, the event. */
    interface Route {
        void to(int index, MeasureDefinition measure, String caseKey, ProcessEvent event) throws Exception;
    }

    /**
     * Hands an event to every measure that uses its type and has a case key for it, without its payload when the
     * measure reads none (it is then neither shipped nor buffered).
     */
    static void route(MeasuresConfig measures, ProcessEvent e, Route route) throws Exception {
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
                route.to(i, d, caseKey, e);
            } else {
                if (withoutPayload == null) {
                    withoutPayload = e.withoutPayload();
                }
                route.to(i, d, caseKey, withoutPayload);
            }
        }
    }

    /**
     * Remembers an event's key until event time + retention. One clean-up timer per correlation id: registered when
     * the first key is remembered; when it fires it re-registers for the earliest remaining key (invariant: the id
     * remembers keys exactly while one timer is pending).
     *
     * @param keys the id's value as read for this event
     */
    private void remember(long[] keys, long key, ProcessEvent e, Context ctx) throws Exception {
        long expiry = e.getTimeMs() + dedupRetentionMs;
        if (keys == null) {
            ctx.timerService().registerEventTimeTimer(expiry);
            compact.update(new long[] {key, expiry});
        } else if (keys.length % 2 == 1) {
            seen.put(key, expiry);
        } else if (keys.length / 2 < COMPACT_MAX) {
            compact.update(withKey(keys, key, expiry));
        } else {
            for (int i = 0; i < keys.length; i += 2) {
                seen.put(keys[i], keys[i + 1]);
            }
            seen.put(key, expiry);
            compact.update(SPILLED);
        }
    }

    static int indexOf(long[] keys, long key) {
        if (keys != null) {
            for (int i = 0; i < keys.length; i += 2) {
                if (keys[i] == key) {
                    return i;
                }
            }
        }
        return -1;
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<RoutedEvent> out) throws Exception {
        lastWatermark = ctx.timerService().currentWatermark();
        long[] keys = compact.value();
        if (keys == null || keys.length % 2 == 1) {
            onTimerSpilled(timestamp, ctx);
            return;
        }
        long[] left = unexpired(keys, timestamp);
        if (left == null) {
            compact.clear();
        } else {
            if (left != keys) {
                compact.update(left);
            }
            ctx.timerService().registerEventTimeTimer(earliestExpiry(left));
        }
    }

    /** @return the pairs with one more key and expiry at the end */
    static long[] withKey(long[] keys, long key, long expiry) {
        long[] more = Arrays.copyOf(keys, keys.length + 2);
        more[keys.length] = key;
        more[keys.length + 1] = expiry;
        return more;
    }

    /** @return the pairs whose expiry is after {@code upTo}: {@code keys} itself when all are, null when none is */
    static long[] unexpired(long[] keys, long upTo) {
        int kept = 0;
        for (int i = 1; i < keys.length; i += 2) {
            if (keys[i] > upTo) {
                kept += 2;
            }
        }
        if (kept == 0 || kept == keys.length) {
            return kept == 0 ? null : keys;
        }
        long[] left = new long[kept]; // one exact allocation (a profile found the spare array and its copy per look)
        int at = 0;
        for (int i = 0; i < keys.length; i += 2) {
            if (keys[i + 1] > upTo) {
                left[at++] = keys[i];
                left[at++] = keys[i + 1];
            }
        }
        return left;
    }

    /** @return the earliest expiry of the pairs, {@link Long#MAX_VALUE} for none */
    static long earliestExpiry(long[] keys) {
        long next = Long.MAX_VALUE;
        for (int i = 1; keys != null && i < keys.length; i += 2) {
            next = Math.min(next, keys[i]);
        }
        return next;
    }

    /** The timer of an id whose keys are in the map state (or restored from the layout before, not moved yet). */
    private void onTimerSpilled(long timestamp, OnTimerContext ctx) throws Exception {
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
            compact.clear();
        } else {
            ctx.timerService().registerEventTimeTimer(next);
        }
    }

    /**
     * Moves the current key's remembered keys from the map state of the layout before into its value (or marks them
     * spilled when there are more than {@link #COMPACT_MAX}); its pending timer stays as it is.
     */
    void moveOverCurrentKey() throws Exception {
        if (compact.value() != null) {
            return; // already in this layout (a spilled id)
        }
        List<Long> pairs = new ArrayList<>();
        for (Map.Entry<Long, Long> m : seen.entries()) {
            pairs.add(m.getKey());
            pairs.add(m.getValue());
        }
        long[] keys = pairs.stream().mapToLong(Long::longValue).toArray();
        if (keys.length == 0) {
            seen.clear();
        } else if (keys.length / 2 <= COMPACT_MAX) {
            seen.clear();
            compact.update(keys);
        } else {
            compact.update(SPILLED);
        }
    }

    /**
     * Runs {@link DedupAndRoute} and, when restored from a savepoint or checkpoint whose ids kept their keys in the map
     * state ({@value #SPILLED_STATE}, the layout before {@value #COMPACT}), moves every such id over once at open.
     */
    static final class Operator extends KeyedProcessOperator<String, ProcessEvent, RoutedEvent> {
        private static final long serialVersionUID = 1L;

        private final DedupAndRoute function;
        private transient boolean restored;

        Operator(DedupAndRoute function) {
            super(function);
            this.function = function;
        }

        @Override
        public void initializeState(StateInitializationContext context) throws Exception {
            super.initializeState(context);
            restored = context.isRestored();
        }

        @Override
        public void open() throws Exception {
            super.open();
            if (!restored) {
                return;
            }
            KeyedStateBackend<String> backend = getKeyedStateBackend();
            List<String> ids;
            try (Stream<String> keys = backend.getKeys(SPILLED_STATE, VoidNamespace.INSTANCE)) {
                ids = keys.collect(Collectors.toList());
            }
            for (String id : ids) {
                setCurrentKey(id);
                function.moveOverCurrentKey();
            }
        }
    }
}
