package io.flightcontroller.domain.measure;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The measures file: every measure plus the tumbling windows of the SLO aggregates (default 1 hour and 1 day).
 * Measure names are unique, including the names of sequence hops ({@link MeasureDefinition#outputMeasures()}).
 */
public final class MeasuresConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Default aggregate windows: PT1H and P1D. */
    public static final List<Duration> DEFAULT_AGGREGATE_WINDOWS =
            Collections.unmodifiableList(Arrays.asList(Duration.ofHours(1), Duration.ofDays(1)));

    private final List<MeasureDefinition> measures;
    private final List<Duration> aggregateWindows;
    private final Set<String> relevantTypes;

    /**
     * @param measures the measures, at least one, unique names
     * @param aggregateWindows positive window lengths (null or empty: the defaults)
     * @throws InvalidMeasureException on an empty list, a duplicate name, a non-positive window or one longer than
     *     {@link DurationLimits#MAX}
     */
    public MeasuresConfig(List<MeasureDefinition> measures, List<Duration> aggregateWindows) {
        if (measures == null || measures.isEmpty()) {
            throw new InvalidMeasureException("-", "measures", "the file defines no measure");
        }
        Set<String> names = new HashSet<>();
        for (MeasureDefinition m : measures) {
            if (!names.add(m.getName())) {
                throw new InvalidMeasureException(m.getName(), "name", "is defined twice");
            }
        }
        for (MeasureDefinition m : measures) { // a sequence's hop metrics share the namespace of measure names
            for (int k = 2; k <= m.getSteps().size(); k++) {
                if (!names.add(m.hopMeasure(k))) {
                    throw new InvalidMeasureException(
                            m.getName(),
                            "steps[" + (k - 1) + "].measure",
                            "'" + m.hopMeasure(k) + "' is also the name of another measure or hop; names are unique");
                }
            }
        }
        List<Duration> w =
                aggregateWindows == null || aggregateWindows.isEmpty() ? DEFAULT_AGGREGATE_WINDOWS : aggregateWindows;
        for (Duration d : w) {
            if (d.isZero() || d.isNegative()) {
                throw new InvalidMeasureException("-", "aggregate_windows", "windows must be positive, was " + d);
            }
            DurationLimits.checkMax("-", "aggregate_windows", d);
        }
        this.measures = Collections.unmodifiableList(new ArrayList<>(measures));
        this.aggregateWindows = Collections.unmodifiableList(new ArrayList<>(w));
        Set<String> types = new LinkedHashSet<>();
        for (MeasureDefinition m : measures) {
            types.addAll(m.relevantTypes());
        }
        this.relevantTypes = Collections.unmodifiableSet(types);
    }

    public List<MeasureDefinition> getMeasures() {
        return measures;
    }

    public List<Duration> getAggregateWindows() {
        return aggregateWindows;
    }

    /** @return every event type some measure reacts to */
    public Set<String> relevantTypes() {
        return relevantTypes;
    }

    /**
     * @param name a measure name
     * @return its index in {@link #getMeasures()}, or -1
     */
    public int indexOf(String name) {
        for (int i = 0; i < measures.size(); i++) {
            if (measures.get(i).getName().equals(name)) {
                return i;
            }
        }
        return -1;
    }
}
