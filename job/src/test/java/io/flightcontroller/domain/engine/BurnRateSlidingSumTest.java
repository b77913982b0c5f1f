package io.flightcontroller.domain.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.flightcontroller.domain.Outcome;
import io.flightcontroller.domain.measure.BurnRateRule;
import io.flightcontroller.domain.measure.Slo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The evaluator's windows slide from one evaluation time to the next instead of re-reading every bucket; they must
 * give exactly the sums of a full scan, through additions to current and future buckets, buckets dropped behind the
 * horizon, an hourly budget over the SLO window, gaps longer than a window, and a state restored with no sums.
 */
class BurnRateSlidingSumTest {
    static final long MIN = 60_000L;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 42, 2026})
    void everyWindowSumEqualsAFullScanOfItsBucketsWhateverTheOrderOfAddsEvaluationsAndDrops(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        // SLO window equal to the longest rule window, so a drop can fall inside the budget's window
        Slo slo = new Slo(Duration.ofHours(1), 0.99, Duration.ofDays(3), BurnRateRule.workbookDefaults(), 1);
        BurnRateEvaluator ev = new BurnRateEvaluator("m", slo, MIN);
        BurnRateState s = new BurnRateState();
        TreeSet<Long> due = new TreeSet<>();
        long now = 0;
        long checked = 0;
        for (int step = 0; step < 600; step++) {
            // outcomes arrive at or after the watermark (the evaluation time), as from the measuring operator
            int burst = r.nextInt(4);
            for (int i = 0; i < burst; i++) {
                long at = now + (r.nextInt(10) == 0 ? r.nextLong(3 * 24 * 60 * MIN) : r.nextLong(30 * MIN));
                Long b = ev.add(s, Outcome.of("m", at, r.nextInt(5) == 0, true, 1L));
                if (b != null) {
                    due.addAll(ev.evaluationTimes(b));
                }
            }
            long next = r.nextInt(50) == 0 ? now + r.nextLong(5 * 24 * 60 * MIN) : now + r.nextLong(20 * MIN);
            while (!due.isEmpty() && due.first() <= next) {
                long t = due.pollFirst();
                if (r.nextInt(100) == 0) {
                    s.windowSums = null; // as after a restore: the sums are not state
                }
                for (long w : windows(slo)) {
                    assertThat(ev.sum(s, t, w))
                            .as("window %d ms at %d", w, t)
                            .containsExactly(BurnRateEvaluator.scan(s, t - w, t));
                    checked++;
                }
                if (t % (60 * MIN) == 0) {
                    assertThat(ev.budget(s, t).getGood() + ev.budget(s, t).getBad())
                            .isEqualTo(sumOf(BurnRateEvaluator.scan(
                                    s, t - slo.getWindow().toMillis(), t)));
                }
                ev.evaluate(s, t, a -> {});
            }
            now = next;
        }
        assertThat(checked).isGreaterThan(1_000);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {7, 8, 9})
    void alertsAndBudgetsAreThoseOfFullScansAtEveryEvaluation(long seed) {
        Slo slo = new Slo(Duration.ofHours(1), 0.999, Duration.ofDays(28), BurnRateRule.workbookDefaults(), 5);
        BurnRateEvaluator ev = new BurnRateEvaluator("m", slo, MIN);
        BurnRateState sliding = new BurnRateState();
        BurnRateState scanned = new BurnRateState();
        SplittableRandom r = new SplittableRandom(seed);
        TreeSet<Long> due = new TreeSet<>();
        List<String> a = new ArrayList<>();
        List<String> b = new ArrayList<>();
        long now = 0;
        for (int step = 0; step < 1_500; step++) {
            // bad outcomes in bursts, so rules fire and resolve
            boolean burning = (step / 150) % 2 == 1;
            for (int i = 0; i < 3; i++) {
                long at = now + r.nextLong(10 * MIN);
                boolean good = burning ? r.nextInt(3) != 0 : r.nextInt(500) != 0;
                Outcome o = Outcome.of("m", at, good, true, 1L);
                Long bucket = ev.add(sliding, o);
                ev.add(scanned, Outcome.of("m", at, good, true, 1L));
                due.addAll(ev.evaluationTimes(bucket));
            }
            long next = now + r.nextLong(15 * MIN);
            while (!due.isEmpty() && due.first() <= next) {
                long t = due.pollFirst();
                scanned.windowSums = null; // every sum a full scan, as before the sliding windows
                if (t % (60 * MIN) == 0) {
                    a.add(budgetText(ev.budget(sliding, t)));
                    b.add(budgetText(ev.budget(scanned, t)));
                    scanned.windowSums = null;
                }
                ev.evaluate(sliding, t, x -> a.add(x.getAlertId() + " " + x.getBurnRate()));
                ev.evaluate(scanned, t, x -> b.add(x.getAlertId() + " " + x.getBurnRate()));
            }
            now = next;
        }
        assertThat(a).anyMatch(x -> x.endsWith("firing") || x.contains("/firing "));
        assertThat(a).isEqualTo(b);
    }

    private static String budgetText(io.flightcontroller.domain.result.ErrorBudget e) {
        return e.getTimeMs() + " " + e.getGood() + " " + e.getBad();
    }

    private static long sumOf(long[] c) {
        return c[0] + c[1];
    }

    private static List<Long> windows(Slo slo) {
        List<Long> w = new ArrayList<>();
        w.add(slo.getWindow().toMillis());
        for (BurnRateRule rule : slo.getBurnRateRules()) {
            w.add(rule.getLongWindow().toMillis());
            w.add(rule.getShortWindow().toMillis());
        }
        return w;
    }
}
