package io.flightcontroller.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

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
}
