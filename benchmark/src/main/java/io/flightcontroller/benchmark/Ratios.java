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
