package io.flightcontroller.domain.measure;

import java.io.Serializable;
import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * One step of a {@link MeasureKind#SEQUENCE} measure: the event types that make it, and for every step after the
 * first the limit of the hop that ends at it and the name of that hop's metric.
 *
 * <p>Shape: {@code types} (one or more event types; the step is the first event of one of them after the previous
 * step); {@code within} (optional: the hop's limit from the previous step, inclusive, at most
 * {@link DurationLimits#MAX}; null for none); {@code measure} (optional: the name of the hop's lead rows; null for
 * {@code NAME#k}, k the number of this step, counted from 1). Immutable; validated by
 * {@link MeasureDefinition.Builder#build()}, which knows the step's position.
 */
public final class SequenceStep implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Set<String> types;
    private final Duration within;
    private final String measure;

    /**
     * @param types event types of the step
     * @param within hop limit from the previous step, or null
     * @param measure name of the hop's metric, or null for {@code NAME#k}
     */
    public SequenceStep(Collection<String> types, Duration within, String measure) {
        this.types = Collections.unmodifiableSet(new LinkedHashSet<>(types));
        this.within = within;
        this.measure = measure;
    }

    /**
     * @param types event types of the step
     * @return a step without limit or metric name
     */
    public static SequenceStep of(String... types) {
        return new SequenceStep(java.util.Arrays.asList(types), null, null);
    }

    /** @return the event types of the step (insertion order) */
    public Set<String> getTypes() {
        return types;
    }
    /** @return the hop's limit from the previous step, or null */
    public Duration getWithin() {
        return within;
    }
    /** @return the hop's metric name as declared, or null */
    public String getMeasure() {
        return measure;
    }

    /** @return the event types as one text: the type, or the types joined with {@code ,} */
    public String typesText() {
        return String.join(",", types);
    }

    @Override
    public String toString() {
        return "SequenceStep{" + types + (within == null ? "" : ", within " + within)
                + (measure == null ? "" : ", measure " + measure) + '}';
    }
}
