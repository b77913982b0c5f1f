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

    public BurnRateState() {}
}
