package io.flightcontroller.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** A CPU ratio row is the first row's CPU per event over the second's, with both rows' figures in the notes. */
class RatiosTest {

    @Test
    void cpuRatioIsFirstOverSecondCpuPerEvent() {
        Row rocks = new Row();
        rocks.cpuUsPerEvent = 45;
        rocks.eventsPerS = 20_000;
        Row heap = new Row();
        heap.cpuUsPerEvent = 18;
        heap.eventsPerS = 50_000;

        Row r = Ratios.cpu("CPU ratio p1 RocksDB / heap", rocks, heap);

        assertThat(r.scenario).isEqualTo("CPU ratio p1 RocksDB / heap");
        assertThat(r.eventsPerS).isEqualTo(2.5);
        assertThat(r.wallS).isNaN();
        assertThat(r.notes).contains("45.00 / 18.00 us").contains("20,000 / 50,000 = 0.40");
    }

    @Test
    void marginalCpuIsTheExtraCpuOverTheExtraEvents() {
        Row small = new Row();
        small.events = 300_000;
        small.cpuUsPerEvent = 30; // 9 s
        Row large = new Row();
        large.events = 3_000_000;
        large.cpuUsPerEvent = 21; // 63 s

        Row r = Ratios.marginalCpu("marginal CPU FC streamed p2, 100000 -> 1000000 cases", small, large);

        assertThat(r.events).isEqualTo(2_700_000);
        assertThat(r.cpuUsPerEvent).isCloseTo((63e6 - 9e6) / 2_700_000, within(1e-9));
        assertThat(r.eventsPerS).isEqualTo(r.cpuUsPerEvent);
        assertThat(r.notes).contains("9.0 s over 300000 events").contains("63.0 s over 3000000 events");
    }

    @Test
    void marginalCpuRefusesASecondRunThatIsNotLarger() {
        Row a = new Row();
        a.events = 10;
        assertThatThrownBy(() -> Ratios.marginalCpu("marginal CPU x", a, a))
                .hasMessageContaining("marginal CPU x")
                .hasMessageContaining("more events");
    }
}
