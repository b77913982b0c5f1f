package io.flightcontroller.benchmark;

import java.util.Locale;

/**
 * Ratio rows between two rows measured in the same invocation (the machine is shared: ratios within one invocation
 * are steadier than absolute figures across invocations), and the marginal CPU per event between two sizes
 * ({@link #marginalCpu}).
 *
 * <p>Shape: value = {@code a}'s CPU µs per event / {@code b}'s (1.0 = the same CPU per event, 2.0 = twice as much);
 * the notes carry both CPU figures and the events/s ratio {@code a / b}; no wall time.
 */
final class Ratios {
    private Ratios() {}

    /**
     * @param name scenario name of the ratio row
     * @param a the row on top
     * @param b the row below
     * @return the ratio row
     */
    static Row cpu(String name, Row a, Row b) {
        Row r = new Row();
        r.scenario = name;
        r.eventsPerS = a.cpuUsPerEvent / b.cpuUsPerEvent;
        r.wallS = Double.NaN;
        r.notes = String.format(
                Locale.ROOT,
                "CPU per event %.2f / %.2f us; events/s %s / %s = %.2f",
                a.cpuUsPerEvent,
                b.cpuUsPerEvent,
                Report.fmt(a.eventsPerS),
                Report.fmt(b.eventsPerS),
                a.eventsPerS / b.eventsPerS);
        return r;
    }

    /** Counters that depend on the input alone: equal on both backends whatever the number of readers. */
    static final java.util.List<String> INPUT_SIDE = java.util.List.of("records_in", "duplicate", "late");

    /**
     * The CPU ratio of a RocksDB row over its heap twin, once it is clear that both did the same work: the input-side
     * counters ({@link #INPUT_SIDE}) must be equal, and with one source reader every counter (the outputs at end of
     * input are then determined); with more readers each ends its input at its own last event time, so which cases are
     * still open then may differ (benchmark README, "Results: 2026-12-01, evening"): such differences are in the notes.
     *
     * @param rocks the RocksDB row
     * @param heap its heap twin
     * @return the row {@code CPU ratio pN RocksDB / heap: <heap row>}
     * @throws IllegalStateException when the rows carry no counters or did different work (naming the row and counter)
     */
    static Row rocksdbOverHeap(Row rocks, Row heap) {
        String what = heap.scenario + " p=" + heap.parallelism;
        if (heap.counters.isEmpty() || !rocks.counters.keySet().equals(heap.counters.keySet())) {
            throw new IllegalStateException("RocksDB / heap of " + what + ": counters missing or not the same, "
                    + rocks.counters.keySet() + " against " + heap.counters.keySet());
        }
        java.util.List<String> differ = new java.util.ArrayList<>();
        for (String c : heap.counters.keySet()) {
            long h = heap.counters.get(c);
            long r = rocks.counters.get(c);
            if (h == r) {
                continue;
            }
            if (INPUT_SIDE.contains(c) || heap.sourceReaders == 1) {
                throw new IllegalStateException("RocksDB / heap of " + what + ": the RocksDB row did other work, " + c
                        + " " + r + " against the heap's " + h + " (" + heap.sourceReaders + " source reader(s))");
            }
            differ.add(c + " " + r + "/" + h);
        }
        Row ratio = cpu("CPU ratio p" + heap.parallelism + " RocksDB / heap: " + heap.scenario, rocks, heap);
        ratio.notes += differ.isEmpty()
                ? "; same counters"
                : "; same input, outputs at end of input differ (RocksDB/heap, " + heap.sourceReaders + " readers): "
                        + String.join(", ", differ);
        return ratio;
    }

    /**
     * The marginal CPU per event between two runs of the same job at two sizes: the extra CPU over the extra events,
     * {@code (CPU(b) - CPU(a)) / (events(b) - events(a))}, so that the fixed cost of a run (job start, JIT, warm
     * caches) drops out.
     *
     * @param name scenario name of the row
     * @param a the smaller run
     * @param b the larger run
     * @return the row: CPU µs per event column (and value column) = the marginal CPU µs per event, events = the extra
     *     events; the notes carry both runs' CPU seconds and CPU per event
     */
    static Row marginalCpu(String name, Row a, Row b) {
        double cpuA = a.cpuUsPerEvent * a.events;
        double cpuB = b.cpuUsPerEvent * b.events;
        long extra = b.events - a.events;
        if (extra <= 0) {
            throw new IllegalArgumentException("marginal CPU " + name + ": the second run must have more events, had "
                    + b.events + " <= " + a.events);
        }
        Row r = new Row();
        r.scenario = name;
        r.events = extra;
        r.cpuUsPerEvent = (cpuB - cpuA) / extra;
        r.eventsPerS = r.cpuUsPerEvent;
        r.wallS = Double.NaN;
        r.notes = String.format(
                Locale.ROOT,
                "marginal CPU us/event (value column); CPU %.1f s over %d events (%.2f us) -> %.1f s over %d events"
                        + " (%.2f us)",
                cpuA / 1e6,
                a.events,
                a.cpuUsPerEvent,
                cpuB / 1e6,
                b.events,
                b.cpuUsPerEvent);
        return r;
    }
}
