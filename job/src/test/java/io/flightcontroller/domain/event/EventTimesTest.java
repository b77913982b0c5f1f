package io.flightcontroller.domain.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flightcontroller.domain.result.Quantiles;
import org.junit.jupiter.api.Test;

class EventTimesTest {
    static final long T = 1667924526000L; // 2022-11-08T16:22:06Z

    @Test
    void acceptsIsoWithOffsetOrZ_andEpochSecondsOrMillisAsNumberOrString() {
        assertThat(EventTimes.toEpochMillis("2022-11-08T16:22:06Z")).isEqualTo(T);
        assertThat(EventTimes.toEpochMillis("2022-11-08T17:22:06+01:00")).isEqualTo(T);
        assertThat(EventTimes.toEpochMillis("2022-11-08T16:22:06.250Z")).isEqualTo(T + 250);
        assertThat(EventTimes.toEpochMillis(1667924526L)).isEqualTo(T);
        assertThat(EventTimes.toEpochMillis("1667924526")).isEqualTo(T);
        assertThat(EventTimes.toEpochMillis(1667924526000L)).isEqualTo(T);
        assertThat(EventTimes.toEpochMillis("1667924526000")).isEqualTo(T);
        assertThat(EventTimes.toEpochMillis(1667924526.5)).isEqualTo(T + 500);
    }

    @Test
    void rejectsUnparseableAndZonelessTimes() {
        assertThatThrownBy(() -> EventTimes.toEpochMillis("29/2/2016 01:16")).hasMessageContaining("29/2/2016 01:16");
        assertThatThrownBy(() -> EventTimes.toEpochMillis("2022-11-08T16:22:06"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EventTimes.toEpochMillis(true)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void quantilesAreType7() {
        long[] v = {1, 2, 3, 4, 10};
        assertThat(Quantiles.type7(v, 0.5)).isEqualTo(3.0);
        assertThat(Quantiles.type7(v, 0.9)).isEqualTo(7.6, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(Quantiles.shareAtMost(v, 3)).isEqualTo(0.6);
    }

    @Test
    void acceptedRangeIsFrom1970UpTo2200Exclusive() {
        assertThat(EventTimes.MIN_EPOCH_MS)
                .isEqualTo(java.time.Instant.parse("1970-01-01T00:00:00Z").toEpochMilli());
        assertThat(EventTimes.END_EPOCH_MS)
                .isEqualTo(java.time.Instant.parse("2200-01-01T00:00:00Z").toEpochMilli());
        assertThat(EventTimes.inRange(EventTimes.END_EPOCH_MS - 1)).isTrue();
        assertThat(EventTimes.inRange(EventTimes.END_EPOCH_MS)).isFalse();
        assertThat(EventTimes.inRange(-1)).isFalse();
        assertThat(EventTimes.inRange(EventTimes.toEpochMillis(99999999999L)))
                .as("seconds: year 5138")
                .isFalse();
        assertThat(EventTimes.RANGE).isEqualTo("[1970-01-01T00:00:00Z, 2200-01-01T00:00:00Z)");
    }

    @Test
    void iso_isInstantsOwnText_forEveryAcceptedTimeAndOutsideTheRange() {
        long[] fixed = {
            EventTimes.MIN_EPOCH_MS,
            1,
            999,
            1000,
            86_399_999,
            951_782_400_000L, // 2000-02-29
            4_107_542_399_999L, // 2100-02-28T23:59:59.999
            4_107_542_400_000L, // 2100-03-01 (not a leap year)
            EventTimes.END_EPOCH_MS - 1,
            EventTimes.END_EPOCH_MS,
            -1,
            Long.MIN_VALUE / 4,
            Long.MAX_VALUE / 4
        };
        for (long t : fixed) {
            assertThat(EventTimes.iso(t))
                    .as("%d", t)
                    .isEqualTo(java.time.Instant.ofEpochMilli(t).toString());
        }
        java.util.SplittableRandom r = new java.util.SplittableRandom(20261202);
        for (int i = 0; i < 200_000; i++) {
            long t = r.nextLong(EventTimes.MIN_EPOCH_MS, EventTimes.END_EPOCH_MS);
            if (i % 3 == 0) {
                t -= t % 1000; // whole seconds: no fraction
            }
            assertThat(EventTimes.iso(t))
                    .isEqualTo(java.time.Instant.ofEpochMilli(t).toString());
        }
    }
}
