package io.flightcontroller.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * A CPU ratio row is the first row's CPU per event over the second's, with both rows' figures in the notes; a RocksDB /
 * heap ratio only between rows that did the same work.
 */
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
    void rocksDbOverHeapIsTheCpuRatioNamedAfterTheHeapRowWhenTheCountersAreEqual() {
        Row heap = fcRow("FC pre-parsed, discard", 1, 18, 100, 90);
        Row rocks = fcRow("FC pre-parsed, RocksDB, discard", 1, 45, 100, 90);

        Row r = Ratios.rocksdbOverHeap(rocks, heap);

        assertThat(r.scenario).isEqualTo("CPU ratio p2 RocksDB / heap: FC pre-parsed, discard");
        assertThat(r.eventsPerS).isEqualTo(2.5);
        assertThat(r.notes).contains("45.00 / 18.00 us").endsWith("; same counters");
    }

    @Test
    void rocksDbOverHeapRefusesATwinThatReadOtherInput() {
        Row heap = fcRow("FC end-to-end, discard", 2, 18, 100, 90);
        Row rocks = fcRow("FC end-to-end, RocksDB, discard", 2, 45, 99, 90);

        assertThatThrownBy(() -> Ratios.rocksdbOverHeap(rocks, heap))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("FC end-to-end, discard p=2")
                .hasMessageContaining("records_in 99 against the heap's 100");
    }

    @Test
    void rocksDbOverHeapWithOneReaderRefusesATwinWithOtherOutputs() {
        Row heap = fcRow("FC as run: sort, 1 reader, discard", 1, 18, 100, 90);
        Row rocks = fcRow("FC as run: sort, 1 reader, RocksDB, discard", 1, 45, 100, 89);

        assertThatThrownBy(() -> Ratios.rocksdbOverHeap(rocks, heap))
                .hasMessageContaining("matched 89 against the heap's 90")
                .hasMessageContaining("1 source reader(s)");
    }

    @Test
    void rocksDbOverHeapWithTwoReadersShowsOtherOutputsAtEndOfInput() {
        Row heap = fcRow("FC end-to-end, discard", 2, 18, 100, 90);
        Row rocks = fcRow("FC end-to-end, RocksDB, discard", 2, 36, 100, 89);

        Row r = Ratios.rocksdbOverHeap(rocks, heap);

        assertThat(r.eventsPerS).isEqualTo(2.0);
        assertThat(r.notes).contains("outputs at end of input differ").contains("matched 89/90");
    }

    @Test
    void rocksDbOverHeapRefusesRowsWithoutCounters() {
        Row heap = new Row();
        heap.scenario = "Esper, JSON";
        assertThatThrownBy(() -> Ratios.rocksdbOverHeap(heap, heap)).hasMessageContaining("Esper, JSON");
    }

    /** @return a Flight Controller row at p=2 with the given CPU per event and counters */
    private static Row fcRow(String name, int readers, double cpu, long recordsIn, long matched) {
        Row r = new Row();
        r.scenario = name;
        r.parallelism = "2";
        r.cpuUsPerEvent = cpu;
        r.eventsPerS = 1_000_000 / cpu;
        r.sourceReaders = readers;
        r.counters = new java.util.LinkedHashMap<>();
        r.counters.put("records_in", recordsIn);
        r.counters.put("matched", matched);
        r.counters.put("duplicate", 3L);
        return r;
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
