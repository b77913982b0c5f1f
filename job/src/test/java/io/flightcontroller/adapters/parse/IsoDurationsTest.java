package io.flightcontroller.adapters.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IsoDurationsTest {

    @ParameterizedTest
    @ValueSource(strings = {"PT1H", "P7D", "P1DT12H", "PT0.5S", "PT90M", "-PT1H", "pt15m", "P0D"})
    void whatDurationParseReadsReadsTheSame(String text) {
        assertThat(IsoDurations.parse(text)).isEqualTo(Duration.parse(text));
    }

    @ParameterizedTest
    @CsvSource({
        "P1W, P7D",
        "P2W, P14D",
        "p1w, P7D",
        "P1W2D, P9D",
        "P2WT12H, P14DT12H",
        "P1W2DT3H4M, P9DT3H4M",
        "-P1W, -P7D",
        "' P1W ', P7D"
    })
    void weeksAreSevenDaysAlsoMixedWithDaysAndTime(String weeks, String days) {
        assertThat(IsoDurations.parse(weeks)).isEqualTo(Duration.parse(days));
    }

    @ParameterizedTest
    @ValueSource(strings = {"P1M", "P1Y", "P1Y2M", "P1MT1H", "P1Y1W"})
    void monthsAndYearsAreRefusedBecauseTheyHaveNoFixedLength(String text) {
        assertThatThrownBy(() -> IsoDurations.parse(text))
                .hasMessageContaining("'" + text + "'")
                .hasMessageContaining("no fixed length");
    }

    @ParameterizedTest
    @ValueSource(strings = {"PT9223372036854775808S", "P999999999W", "P106751991167301D", "P99999999999999999999D"})
    void numbersTooLargeForJavaTimeAreRefusedNamingTheMaximum(String text) {
        assertThatThrownBy(() -> IsoDurations.parse(text))
                .hasMessageContaining("too large")
                .hasMessageContaining("P36500D");
    }

    @ParameterizedTest
    @ValueSource(strings = {"7 days", "", "P", "PT", "P1DT", "1W", "P1.5W", "PW"})
    void otherTextIsNotAnIsoDuration(String text) {
        assertThatThrownBy(() -> IsoDurations.parse(text)).hasMessageContaining("is not an ISO-8601 duration");
    }
}
