package io.flightcontroller.benchmark;

import java.util.Locale;

/**
 * Ratio rows between two rows measured in the same invocation (the machine is shared: ratios within one invocation
 * are steadier than absolute figures across invocations).
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
}
