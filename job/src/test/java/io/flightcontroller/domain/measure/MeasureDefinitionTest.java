package io.flightcontroller.domain.measure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flightcontroller.domain.result.Severity;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class MeasureDefinitionTest {
    static final Duration OVER_MAX = DurationLimits.MAX.plusSeconds(1);

    static MeasureDefinition.Builder leadTime() {
        return MeasureDefinition.builder("m").start("a").end("b");
    }

    static Slo slo(Duration threshold, Duration window) {
        return new Slo(threshold, 0.9, window, BurnRateRule.workbookDefaults(), 10);
    }

    @Test
    void aThresholdGreaterThanTheTimeoutIsRefusedNamingBothValues() {
        assertThatThrownBy(() -> leadTime()
                        .timeout(Duration.ofHours(1))
                        .slo(slo(Duration.ofMinutes(90), Duration.ofDays(28)))
                        .build())
                .isInstanceOf(InvalidMeasureException.class)
                .hasMessageContaining("field 'slo.threshold'")
                .hasMessageContaining("PT1H30M is greater than timeout PT1H");
        assertThatThrownBy(() -> leadTime()
                        .timeout(Duration.ofDays(1))
                        .slo(slo(Duration.ofDays(2), Duration.ofDays(28)))
                        .build())
                .hasMessageContaining("P2D is greater than timeout P1D");
    }

    @Test
    void aThresholdEqualToTheTimeoutOrWithoutTimeoutIsAccepted() {
        Duration limit = Duration.ofHours(1);
        assertThat(leadTime()
                        .timeout(limit)
                        .slo(slo(limit, Duration.ofDays(28)))
                        .build()
                        .getSlo()
                        .getThreshold())
                .isEqualTo(limit);
        assertThat(leadTime()
                        .slo(slo(Duration.ofDays(3), Duration.ofDays(28)))
                        .build()
                        .getTimeout())
                .isNull();
    }

    @Test
    void aTimeoutLongerThanTheMaximumIsRefusedNamingTheMaximum() {
        assertThatThrownBy(() ->
                        leadTime().timeout(Duration.ofSeconds(Long.MAX_VALUE)).build())
                .isInstanceOf(InvalidMeasureException.class)
                .hasMessageContaining("field 'timeout'")
                .hasMessageContaining("P36500D");
        assertThatThrownBy(() -> leadTime().timeout(OVER_MAX).build()).hasMessageContaining("P36500D");
        assertThat(leadTime().timeout(DurationLimits.MAX).build().getTimeout()).isEqualTo(DurationLimits.MAX);
    }

    @Test
    void sloDurationsLongerThanTheMaximumAreRefusedNamingTheField() {
        assertThatThrownBy(() ->
                        leadTime().slo(slo(OVER_MAX, OVER_MAX.plusDays(1))).build())
                .hasMessageContaining("field 'slo.threshold'")
                .hasMessageContaining("P36500D");
        assertThatThrownBy(
                        () -> leadTime().slo(slo(Duration.ofHours(1), OVER_MAX)).build())
                .hasMessageContaining("field 'slo.window'")
                .hasMessageContaining("P36500D");
        List<BurnRateRule> rules =
                Collections.singletonList(new BurnRateRule(Severity.PAGE, OVER_MAX, Duration.ofHours(1), 2));
        assertThatThrownBy(() -> leadTime()
                        .slo(new Slo(Duration.ofHours(1), 0.9, Duration.ofDays(28), rules, 10))
                        .build())
                .hasMessageContaining("field 'slo.burn_rate_alerts[0].long_window'")
                .hasMessageContaining("P36500D");
    }

    @Test
    void anAggregateWindowLongerThanTheMaximumIsRefused() {
        List<MeasureDefinition> one = Collections.singletonList(leadTime().build());
        assertThatThrownBy(() -> new MeasuresConfig(one, Collections.singletonList(OVER_MAX)))
                .hasMessageContaining("field 'aggregate_windows'")
                .hasMessageContaining("P36500D");
    }

    @Test
    void aPlacedErrorKeepsMeasureFieldAndProblemAndLeadsWithFileAndLine() {
        InvalidMeasureException e = new InvalidMeasureException("m", "slo.objective", "must be in (0, 1)");
        InvalidMeasureException placed = e.at("measures.yaml", 12);
        assertThat(placed.getMessage())
                .isEqualTo("measures.yaml line 12: measure 'm', field 'slo.objective': must be in (0, 1)");
        assertThat(placed.getLine()).isEqualTo(12);
        assertThat(placed.getMeasure()).isEqualTo(e.getMeasure());
        assertThat(placed.getField()).isEqualTo(e.getField());
        assertThat(e.at(null, 3).getMessage()).startsWith("line 3: measure 'm'");
    }

    @Test
    void aVariantIsTheMeasureUnderNameWithLabelWithItsOwnTimeoutAndSlo() {
        MeasureDefinition base = MeasureDefinition.builder("intake_lead")
                .start("a")
                .end("b", "c")
                .key(Collections.singletonList("payload.ticket"))
                .dimensions(Collections.singletonList("team"))
                .timeout(Duration.ofDays(2))
                .slo(slo(Duration.ofHours(1), Duration.ofDays(28)))
                .build();
        Slo other = new Slo(Duration.ofHours(4), 0.95, Duration.ofDays(7), BurnRateRule.workbookDefaults(), 10);
        MeasureDefinition v = base.variant("threshold=PT4H,objective=0.95", Duration.ofDays(1), other);
        assertThat(v.getName()).isEqualTo("intake_lead[threshold=PT4H,objective=0.95]");
        assertThat(v.getProcess()).isEqualTo("intake"); // the measure's, not derived from the variant's name
        assertThat(v.getStart()).isEqualTo(base.getStart());
        assertThat(v.getEnd()).isEqualTo(base.getEnd());
        assertThat(v.getKey()).isEqualTo(base.getKey());
        assertThat(v.getDimensions()).isEqualTo(base.getDimensions());
        assertThat(v.getTimeout()).isEqualTo(Duration.ofDays(1));
        assertThat(v.getSlo()).isSameAs(other);
    }

    @Test
    void anInvalidVariantIsRefusedNamingTheMeasureItCopies() {
        MeasureDefinition base = leadTime()
                .timeout(Duration.ofHours(2))
                .slo(slo(Duration.ofHours(1), Duration.ofDays(28)))
                .build();
        assertThatThrownBy(() -> base.variant(
                        "threshold=PT3H", base.getTimeout(), slo(Duration.ofHours(3), Duration.ofDays(28))))
                .isInstanceOf(InvalidMeasureException.class)
                .hasMessageContaining("measure 'm', field 'slo.threshold'")
                .hasMessageContaining("PT3H is greater than timeout PT2H");
        assertThatThrownBy(() -> base.variant(
                        "objective=1.5",
                        null,
                        new Slo(Duration.ofHours(1), 1.5, Duration.ofDays(28), BurnRateRule.workbookDefaults(), 10)))
                .hasMessageContaining("measure 'm', field 'slo.objective'")
                .hasMessageContaining("1.5");
        assertThatThrownBy(() -> base.variant("a]b", null, base.getSlo())).hasMessageContaining("'a]b'");
    }
}
