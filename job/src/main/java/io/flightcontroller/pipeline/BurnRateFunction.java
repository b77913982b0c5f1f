package io.flightcontroller.pipeline;

import io.flightcontroller.domain.result.Alert;
import io.flightcontroller.domain.engine.BurnRateEvaluator;
import io.flightcontroller.domain.engine.BurnRateState;
import io.flightcontroller.domain.measure.MeasureDefinition;
import io.flightcontroller.domain.measure.MeasuresConfig;
import io.flightcontroller.domain.Outcome;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import io.flightcontroller.serialization.DomainSerializers;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by measure name: counts SLO outcomes into event-time buckets and evaluates the measure's burn-rate rules with
 * {@link BurnRateEvaluator} at every time a bucket enters or leaves a window (event-time timers), so a replayed log
 * produces the alerts it would have produced live. Emits firing/resolved alerts; every hour boundary with data in the
 * SLO window, an {@link io.flightcontroller.domain.result.ErrorBudget} on {@link SideOutputs#ERROR_BUDGETS}.
 */
class BurnRateFunction extends KeyedProcessFunction<String, Outcome, Alert> {
    private static final long serialVersionUID = 1L;
    private static final long HOUR_MS = 3_600_000L;

    private final MeasuresConfig measures;
    private final long bucketMs;
    private transient Map<String, BurnRateEvaluator> evaluators;
    private transient ValueState<BurnRateState> state;
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
        state = getRuntimeContext().getState(
                new ValueStateDescriptor<>("burn-rate", DomainSerializers.BURN_RATE_STATE));
        counters = new PipelineCounters(getRuntimeContext());
    }

    @Override
    public void processElement(Outcome o, Context ctx, Collector<Alert> out) throws Exception {
        BurnRateEvaluator ev = evaluators.get(o.getMeasure());
        if (ev == null) {
            return;
        }
        BurnRateState s = state.value();
        if (s == null) {
            s = new BurnRateState();
        }
        Long bucket = ev.add(s, o);
        if (bucket == null) {
            return;
        }
        state.update(s);
        for (long t : ev.evaluationTimes(bucket)) {
            ctx.timerService().registerEventTimeTimer(t);
        }
        long hourEnd = Math.floorDiv(bucket, HOUR_MS) * HOUR_MS + HOUR_MS;
        ctx.timerService().registerEventTimeTimer(hourEnd);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        BurnRateState s = state.value();
        BurnRateEvaluator ev = evaluators.get(ctx.getCurrentKey());
        if (s == null || ev == null) {
            return;
        }
        if (timestamp % HOUR_MS == 0) {
            ctx.output(SideOutputs.ERROR_BUDGETS, ev.budget(s, timestamp));
        }
        ev.evaluate(s, timestamp, a -> {
            counters.inc(PipelineCounters.BURN_RATE_ALERTS);
            out.collect(a);
        });
        if (s.buckets.isEmpty() && s.firing.isEmpty()) {
            state.clear();
        } else {
            state.update(s);
        }
    }
}
