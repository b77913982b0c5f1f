package io.flightcontroller.pipeline;

import io.flightcontroller.domain.Outcome;
import io.flightcontroller.domain.engine.BurnRateEvaluator;
import io.flightcontroller.domain.engine.BurnRateState;
import io.flightcontroller.domain.measure.MeasureDefinition;
import io.flightcontroller.domain.measure.MeasuresConfig;
import io.flightcontroller.domain.result.Alert;
import io.flightcontroller.serialization.DomainSerializers;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by measure name: counts SLO outcomes into event-time buckets and evaluates the measure's burn-rate rules with
 * {@link BurnRateEvaluator} at every time a bucket enters or leaves a window (event-time timers), so a replayed log
 * produces the alerts it would have produced live. Emits firing/resolved alerts; every hour boundary with data in the
 * SLO window, an {@link io.flightcontroller.domain.result.ErrorBudget} on {@link SideOutputs#ERROR_BUDGETS}.
 *
 * <p>State layout: one {@link MapState} entry per bucket ({@value #BUCKETS}: bucket start epoch ms to
 * {@code [good, bad]}) and one per firing rule ({@value #FIRING}), so an outcome writes one small entry and an
 * evaluation removes only the buckets that left the longest window. The evaluator's {@link BurnRateState} for a
 * measure is kept in this instance as a copy of those entries: loaded from them on a key's first access (after a
 * start, restore or rescale); a bucket's entry is written once per watermark when outcomes changed it
 * ({@link #writeChanged}, called by {@link BurnRateOperator} before the watermark's timers fire, before each
 * checkpoint's barrier and in {@code snapshotState}), not at each outcome, so every snapshot holds the whole truth and
 * needs nothing from the copy. On RocksDB each write is a serialization and a {@code put}: 40 % of this task's samples
 * in the benchmark's RocksDB row when it was one per outcome (2026-12-02, late evening). (Before, the whole
 * {@code BurnRateState}, up to 40,320 one-minute buckets for a 28-day window, was one {@link ValueState} read and
 * rewritten on every outcome and timer: on RocksDB 57 % of the job's CPU went into deserializing it.) State of that
 * older layout ({@value #LEGACY}, a savepoint taken before this change) is moved into the entries on the key's first
 * access and cleared.
 */
class BurnRateFunction extends KeyedProcessFunction<String, Outcome, Alert> {
    private static final long serialVersionUID = 1L;
    private static final long HOUR_MS = 3_600_000L;
    /** Name of the bucket map state. */
    static final String BUCKETS = "burn-rate-buckets";
    /** Name of the firing-rules map state. */
    static final String FIRING = "burn-rate-firing";
    /** Name of the whole-state value of the layout before {@value #BUCKETS} (read once per key, then cleared). */
    static final String LEGACY = "burn-rate";

    private final MeasuresConfig measures;
    private final long bucketMs;
    private transient Map<String, BurnRateEvaluator> evaluators;
    private transient MapState<Long, long[]> buckets;
    private transient MapState<String, Long> firing;
    private transient ValueState<BurnRateState> legacy;
    /** Measure name to its state as in {@link #buckets} and {@link #firing}. */
    private transient Map<String, BurnRateState> loaded;
    /** Measure name to the buckets whose entry {@link #loaded} has changed and {@link #buckets} not yet. */
    private transient Map<String, Set<Long>> dirty;

    private transient PipelineCounters counters;

    BurnRateFunction(MeasuresConfig measures, long bucketMs) {
        this.measures = measures;
        this.bucketMs = bucketMs;
    }

    @Override
    public void open(OpenContext openContext) {
        evaluators = new HashMap<>();
        for (MeasureDefinition d : measures.getMeasures()) {
            if (d.getSlo() != null) {
                evaluators.put(d.getName(), new BurnRateEvaluator(d.getName(), d.getSlo(), bucketMs));
            }
        }
        buckets = getRuntimeContext()
                .getMapState(new MapStateDescriptor<>(
                        BUCKETS, Types.LONG, PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
        firing = getRuntimeContext().getMapState(new MapStateDescriptor<>(FIRING, Types.STRING, Types.LONG));
        legacy = getRuntimeContext().getState(new ValueStateDescriptor<>(LEGACY, DomainSerializers.BURN_RATE_STATE));
        loaded = new HashMap<>();
        dirty = new HashMap<>();
        counters = new PipelineCounters(getRuntimeContext());
    }

    @Override
    public void processElement(Outcome o, Context ctx, Collector<Alert> out) throws Exception {
        BurnRateEvaluator ev = evaluators.get(o.getMeasure());
        if (ev == null) {
            return;
        }
        BurnRateState s = state(ctx.getCurrentKey());
        Long bucket = ev.add(s, o);
        if (bucket == null) {
            return;
        }
        long[] c = s.buckets.get(bucket);
        dirty.computeIfAbsent(ctx.getCurrentKey(), m -> new HashSet<>()).add(bucket);
        if (c[0] + c[1] > 1) {
            return; // not the bucket's first outcome: its evaluation and budget timers are registered already
        }
        for (long t : ev.evaluationTimes(bucket)) {
            ctx.timerService().registerEventTimeTimer(t);
        }
        long hourEnd = Math.floorDiv(bucket, HOUR_MS) * HOUR_MS + HOUR_MS;
        ctx.timerService().registerEventTimeTimer(hourEnd);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        String measure = ctx.getCurrentKey();
        BurnRateEvaluator ev = evaluators.get(measure);
        if (ev == null) {
            return;
        }
        BurnRateState s = state(measure);
        if (s.buckets.isEmpty() && s.firing.isEmpty()) {
            loaded.remove(measure);
            return;
        }
        if (timestamp % HOUR_MS == 0) {
            ctx.output(SideOutputs.ERROR_BUDGETS, ev.budget(s, timestamp));
        }
        // what the evaluation drops: the buckets before its longest window (usually none or one), and firing changes
        List<Long> dropped = new ArrayList<>(
                s.buckets.headMap(timestamp - ev.horizonMs(), false).keySet());
        Map<String, Long> firingBefore = s.firing.isEmpty() ? Collections.emptyMap() : new HashMap<>(s.firing);
        ev.evaluate(s, timestamp, a -> {
            counters.inc(PipelineCounters.BURN_RATE_ALERTS);
            out.collect(a);
        });
        Set<Long> unwritten = dirty.get(measure);
        for (Long b : dropped) {
            buckets.remove(b);
            if (unwritten != null) {
                unwritten.remove(b);
            }
        }
        if (!firingBefore.equals(s.firing)) {
            for (String rule : firingBefore.keySet()) {
                if (!s.firing.containsKey(rule)) {
                    firing.remove(rule);
                }
            }
            for (Map.Entry<String, Long> f : s.firing.entrySet()) {
                if (!f.getValue().equals(firingBefore.get(f.getKey()))) {
                    firing.put(f.getKey(), f.getValue());
                }
            }
        }
        if (s.buckets.isEmpty() && s.firing.isEmpty()) {
            buckets.clear();
            firing.clear();
            loaded.remove(measure);
            dirty.remove(measure);
        }
    }

    /**
     * Writes the bucket entries changed since the last call, each once, from this instance's copy: called by
     * {@link BurnRateOperator} at each watermark (before its timers fire), before each checkpoint's barrier and in
     * {@code snapshotState}, so a snapshot holds every outcome counted.
     *
     * @param key sets the operator's current key (the measure) before its entries are written
     */
    void writeChanged(KeySetter key) throws Exception {
        for (Map.Entry<String, Set<Long>> d : dirty.entrySet()) {
            BurnRateState s = loaded.get(d.getKey());
            if (s == null || d.getValue().isEmpty()) {
                continue;
            }
            key.set(d.getKey());
            for (Long bucket : d.getValue()) {
                long[] c = s.buckets.get(bucket);
                if (c != null) {
                    buckets.put(bucket, new long[] {c[0], c[1]}); // a copy: the heap backend keeps the object
                }
            }
        }
        dirty.clear();
    }

    /** Sets the operator's current key. */
    interface KeySetter {
        /** @param measure the key */
        void set(String measure) throws Exception;
    }

    /** The measure's state: from this instance, else from the bucket entries, else moved from the older layout. */
    private BurnRateState state(String measure) throws Exception {
        BurnRateState s = loaded.get(measure);
        if (s != null) {
            return s;
        }
        BurnRateState old = legacy.value();
        if (old != null) {
            s = old;
            for (Map.Entry<Long, long[]> b : s.buckets.entrySet()) {
                buckets.put(b.getKey(), new long[] {b.getValue()[0], b.getValue()[1]});
            }
            for (Map.Entry<String, Long> f : s.firing.entrySet()) {
                firing.put(f.getKey(), f.getValue());
            }
            legacy.clear();
        } else {
            s = new BurnRateState();
            s.buckets = new TreeMap<>();
            Iterator<Map.Entry<Long, long[]>> it = buckets.iterator();
            while (it.hasNext()) {
                Map.Entry<Long, long[]> b = it.next();
                s.buckets.put(b.getKey(), new long[] {b.getValue()[0], b.getValue()[1]});
            }
            for (Map.Entry<String, Long> f : firing.entries()) {
                s.firing.put(f.getKey(), f.getValue());
            }
        }
        loaded.put(measure, s);
        return s;
    }
}
