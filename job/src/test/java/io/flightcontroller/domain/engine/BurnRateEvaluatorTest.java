package io.flightcontroller.domain.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.flightcontroller.domain.Outcome;
import io.flightcontroller.domain.measure.BurnRateRule;
import io.flightcontroller.domain.measure.Slo;
import io.flightcontroller.domain.result.Alert;
import io.flightcontroller.domain.result.ErrorBudget;
import io.flightcontroller.domain.result.Severity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class BurnRateEvaluatorTest {
    static final long MIN = 60_000L;

    final BurnRateRule rule = new BurnRateRule(Severity.PAGE, Duration.ofHours(1), Duration.ofMinutes(5), 14.4);
    final Slo slo = new Slo(Duration.ofHours(1), 0.99, Duration.ofDays(28), Collections.singletonList(rule), 10);
    final BurnRateEvaluator ev = new BurnRateEvaluator("m", slo, MIN);

    /** Adds outcomes and evaluates at every time the evaluator asks for, like the Flink function does. */
    List<Alert> feed(BurnRateState s, List<Outcome> outcomes, long until) {
        java.util.TreeSet<Long> times = new java.util.TreeSet<>();
        for (Outcome o : outcomes) {
            Long b = ev.add(s, o);
            if (b != null) {
                times.addAll(ev.evaluationTimes(b));
            }
        }
        List<Alert> alerts = new ArrayList<>();
        for (long t : times) {
            if (t <= until) {
                ev.evaluate(s, t, alerts::add);
            }
        }
        return alerts;
    }

    @Test
    void firesOnceWhileBothWindowsBurn_thenResolvesOnce() {
        BurnRateState s = new BurnRateState();
        List<Outcome> o = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            // 30 minutes of one bad and one good outcome per minute: bad ratio 0.5, burn rate 50
            o.add(Outcome.of("m", i * MIN + 1, false, true, null));
            o.add(Outcome.of("m", i * MIN + 2, true, true, 1L));
        }
        List<Alert> alerts = feed(s, o, 10 * 60 * MIN);
        assertThat(alerts)
                .extracting(Alert::getKind)
                .containsExactly(Alert.Kind.BURN_RATE_FIRING, Alert.Kind.BURN_RATE_RESOLVED);
        assertThat(alerts.get(0).getBurnRate()).isGreaterThan(14.4);
        // resolves when the short window no longer burns (5 minutes after the last bad outcome)
        assertThat(alerts.get(1).getDeadlineMs()).isEqualTo(35 * MIN);
        assertThat(alerts.get(0).getAlertId()).isNotEqualTo(alerts.get(1).getAlertId());
    }

    @Test
    void minEventsGuardsLowTraffic_andGoodTrafficNeverFires() {
        BurnRateState s = new BurnRateState();
        List<Outcome> few = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            few.add(Outcome.of("m", i * MIN, false, true, null));
        }
        assertThat(feed(s, few, 100 * MIN)).isEmpty();

        BurnRateState s2 = new BurnRateState();
        List<Outcome> good = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            good.add(Outcome.of("m", i * MIN, true, true, 1L));
        }
        assertThat(feed(s2, good, 300 * MIN)).isEmpty();
    }

    @Test
    void errorBudgetFollowsTheWorkbookFormulas() {
        ErrorBudget b = ErrorBudget.of("m", 0, slo, 990, 10);
        assertThat(b.getBudget()).isCloseTo(10.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(b.getRemainingFraction()).isCloseTo(0.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(b.getBurnRate()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(ErrorBudget.of("m", 0, slo, 0, 0).getBurnRate()).isNull();
    }
}
