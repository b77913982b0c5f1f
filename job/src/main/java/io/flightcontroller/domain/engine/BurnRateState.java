package io.flightcontroller.domain.engine;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Per-measure state of {@link BurnRateEvaluator}: good/bad outcome counts per time bucket (bucket start epoch ms to
 * {@code [good, bad]}) and which rules are firing (rule id to firing-since epoch ms).
 */
public class BurnRateState implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Bucket start (epoch ms) to {@code [good, bad]}. */
    public TreeMap<Long, long[]> buckets = new TreeMap<>();
    /** Firing rules: rule id to the evaluation time at which it started firing. */
    public Map<String, Long> firing = new HashMap<>();

    /**
     * Not state (never serialized; rebuilt from {@link #buckets} on demand): window length (ms) to
     * {@code [t, good, bad]}, the sums of the buckets starting in {@code [t - length, t)} as they stand, kept exact by
     * {@link BurnRateEvaluator} on every change of {@link #buckets} it makes, so a window sliding from one evaluation
     * time to the next reads only the buckets that entered or left it.
     */
    transient Map<Long, long[]> windowSums;

    public BurnRateState() {}
}
