package io.flightcontroller.domain.event;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CorroboratedClockTest {

    @Test
    void stepsWithinTheBoundMoveTheWatermarkLikeAPlainBoundedOutOfOrdernessOne() {
        CorroboratedClock c = new CorroboratedClock(2, 5_000);
        c.observe(1_000);
        assertThat(c.watermark()).isEqualTo(Long.MIN_VALUE); // nothing corroborated yet
        c.observe(3_000);
        assertThat(c.watermark()).isEqualTo(3_000 - 5_000 - 1);
        c.observe(2_000); // behind: changes nothing
        assertThat(c.anchor()).isEqualTo(3_000);
    }

    @Test
    void aLoneJumpBeyondTheBoundIsHeldUntilAnotherInstantFollowsIt() {
        CorroboratedClock c = new CorroboratedClock(2, 5_000);
        c.observe(10_000);
        c.observe(11_000);
        c.observe(4_102_444_800_000L); // 2100
        assertThat(c.anchor()).isEqualTo(11_000);
        c.observe(4_102_444_800_000L); // the same instant again does not corroborate it
        c.observe(12_000);
        assertThat(c.anchor()).isEqualTo(12_000);
        assertThat(c.endOfInput()).isEqualTo(12_000);
        assertThat(c.heldBackAtEnd()).isEqualTo(2);
        // a second event far ahead, elsewhere in the input, does not corroborate the first
        c.observe(4_102_444_801_000L);
        c.observe(13_000);
        assertThat(c.anchor()).isEqualTo(13_000);
        // a real gap: once the stream goes on after it (two arrivals in a row), time moves on
        c.observe(4_102_444_802_000L);
        c.observe(4_102_444_803_000L);
        assertThat(c.anchor()).isEqualTo(4_102_444_803_000L);
        assertThat(c.heldBackAtEnd()).isZero();
    }

    @Test
    void withCorroborationOneTheClockIsTheMaximum() {
        CorroboratedClock c = new CorroboratedClock(1, 0);
        c.observe(5);
        c.observe(1_000_000);
        assertThat(c.watermark()).isEqualTo(999_999);
        assertThat(c.endOfInput()).isEqualTo(1_000_000);
    }

    @Test
    void endOfInputWithFewerThanKInstantsIsTheLargestSeen() {
        CorroboratedClock c = new CorroboratedClock(2, 0);
        assertThat(c.endOfInput()).isEqualTo(Long.MIN_VALUE);
        c.observe(7);
        c.observe(7);
        assertThat(c.endOfInput()).isEqualTo(7);
    }
}
