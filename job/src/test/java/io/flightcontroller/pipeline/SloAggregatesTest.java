package io.flightcontroller.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.flightcontroller.domain.Outcome;
import io.flightcontroller.domain.result.Quantiles;
import io.flightcontroller.domain.result.WindowAggregate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SloAggregatesTest {

    private static WindowAggregate aggregate(List<Outcome> outcomes) {
        return SloAggregates.aggregate("m", "P1D", 0, 86_400_000L, outcomes);
    }

    /** A day with more completions than the digest buffers: the order they arrive in changes no figure. */
    @Test
    void percentilesDoNotDependOnTheOrderTheOutcomesArriveIn() {
        Random rnd = new Random(5);
        List<Outcome> outcomes = new ArrayList<>();
        long[] leads = new long[5000];
        for (int i = 0; i < leads.length; i++) {
            leads[i] = (long) (Math.exp(rnd.nextGaussian() * 1.5 + 14)); // log-normal, median about 20 min
            boolean good = leads[i] <= 3_600_000L;
            outcomes.add(Outcome.of("m", i * 1000L, good, true, leads[i]));
        }
        outcomes.add(Outcome.of("m", 7_000_000L, Boolean.FALSE, true, null)); // a breach without completion
        WindowAggregate first = aggregate(outcomes);
        for (long seed : new long[] {1, 2, 3}) {
            List<Outcome> shuffled = new ArrayList<>(outcomes);
            Collections.shuffle(shuffled, new Random(seed));
            WindowAggregate w = aggregate(shuffled);
            assertThat(Arrays.asList(
                            w.getCompleted(),
                            w.getGood(),
                            w.getBad(),
                            w.getCompliance(),
                            w.getP50(),
                            w.getP90(),
                            w.getP95(),
                            w.getP99()))
                    .as("order " + seed)
                    .containsExactly(
                            first.getCompleted(),
                            first.getGood(),
                            first.getBad(),
                            first.getCompliance(),
                            first.getP50(),
                            first.getP90(),
                            first.getP95(),
                            first.getP99());
        }
        assertThat(first.getCompleted()).isEqualTo(5000);
        assertThat(first.getGood() + first.getBad()).isEqualTo(5001);
        // still a good estimate of the exact quantiles
        assertThat(first.getP50()).isCloseTo(Quantiles.type7(leads, 0.5), within(0.01 * Quantiles.type7(leads, 0.5)));
        assertThat(first.getP95()).isCloseTo(Quantiles.type7(leads, 0.95), within(0.01 * Quantiles.type7(leads, 0.95)));
    }
}
