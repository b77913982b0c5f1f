package io.flightcontroller.adapters;

import java.io.Serializable;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with full jitter, as recommended in the AWS Architecture Blog post "Exponential Backoff And
 * Jitter": the delay before retry {@code n} (1-based) is uniform in {@code [0, min(maxMs, baseMs * 2^(n-1))]}.
 *
 * <p>The sink writers use it to delay handing throttled or failed entries back to Flink's {@code AsyncSinkWriter}: the
 * request stays in flight during the delay, so the in-flight limit turns the delay into backpressure.
 */
public final class RetryBackoff implements Serializable {
    private static final long serialVersionUID = 1L;

    private final long baseMs;
    private final long maxMs;

    /**
     * @param baseMs delay cap of the first retry in ms, {@code >= 0}
     * @param maxMs largest delay in ms, {@code >= baseMs}
     * @throws IllegalArgumentException when the bounds are invalid
     */
    public RetryBackoff(long baseMs, long maxMs) {
        if (baseMs < 0 || maxMs < baseMs) {
            throw new IllegalArgumentException("backoff needs 0 <= base <= max, got base=" + baseMs + " max=" + maxMs);
        }
        this.baseMs = baseMs;
        this.maxMs = maxMs;
    }

    /**
     * @param attempt the attempt that just failed, 1-based
     * @return the upper bound of the delay before the next attempt, in ms
     */
    public long capMs(int attempt) {
        int shift = Math.max(0, Math.min(attempt - 1, 30));
        long cap = baseMs << shift;
        return cap < 0 ? maxMs : Math.min(maxMs, cap);
    }

    /**
     * @param attempt the attempt that just failed, 1-based
     * @return a random delay in ms, uniform in {@code [0, capMs(attempt)]}
     */
    public long delayMs(int attempt) {
        long cap = capMs(attempt);
        return cap == 0 ? 0 : ThreadLocalRandom.current().nextLong(cap + 1);
    }
}
