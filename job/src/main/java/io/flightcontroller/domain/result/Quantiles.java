package io.flightcontroller.domain.result;

import java.util.Arrays;

/**
 * Exact quantiles by linear interpolation between order statistics: Hyndman and Fan's type 7, the default of R and
 * numpy ({@code h = (n - 1) p}, result {@code x[floor h] + (h - floor h)(x[floor h + 1] - x[floor h])}).
 */
public final class Quantiles {
    private Quantiles() {}

    /**
     * Computes one quantile.
     *
     * @param values the sample (not modified)
     * @param p probability in [0, 1]
     * @return the type-7 quantile, or NaN for an empty sample
     * @throws IllegalArgumentException when p is outside [0, 1]
     */
    public static double type7(long[] values, double p) {
        if (p < 0 || p > 1) {
            throw new IllegalArgumentException("p must be in [0, 1], was " + p);
        }
        if (values.length == 0) {
            return Double.NaN;
        }
        long[] x = values.clone();
        Arrays.sort(x);
        double h = (x.length - 1) * p;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, x.length - 1);
        return x[lo] + (h - lo) * (x[hi] - x[lo]);
    }

    /**
     * Share of values at or below a limit ("share within T").
     *
     * @param values the sample
     * @param limit inclusive limit, same unit as the values
     * @return share in [0, 1], or NaN for an empty sample
     */
    public static double shareAtMost(long[] values, long limit) {
        if (values.length == 0) {
            return Double.NaN;
        }
        long n = 0;
        for (long v : values) {
            if (v <= limit) {
                n++;
            }
        }
        return (double) n / values.length;
    }
}
