package io.flightcontroller.domain.measure;

import java.util.Locale;

/** What a measure computes; the YAML name is the lower-case constant name (e.g. {@code lead_time}). */
public enum MeasureKind {
    /** Time in ms from the first start event of a case (or cycle) to the first end event after it. */
    LEAD_TIME(new LeadTimeKind()),
    /** Number of {@code count} events (default: the start events) in a cycle, emitted when the cycle ends. */
    CYCLE_COUNT(new CycleCountKind()),
    /** Running total of the {@code count} events seen for a key, emitted on each of them. */
    COUNTER(new CounterKind()),
    /** A number computed by an expression from one event's payload, emitted for each {@code start} event. */
    VALUE(new ValueKind()),
    /**
     * Steps in order, matched per case as one Flink CEP pattern: a lead per hop (step k-1 to step k) and one for the
     * whole sequence (first to last step), a limit per hop and for the whole, alerts naming the missing step.
     */
    SEQUENCE(new SequenceKind());

    private final KindRules rules;

    MeasureKind(KindRules rules) {
        this.rules = rules;
    }

    /** @return everything that differs between kinds, for this kind */
    public KindRules rules() {
        return rules;
    }

    /** @return the YAML spelling, e.g. {@code lead_time} */
    public String yamlName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses the YAML spelling.
     *
     * @param s e.g. {@code lead_time}; null means {@link #LEAD_TIME}
     * @return the kind
     * @throws IllegalArgumentException for an unknown name
     */
    public static MeasureKind parse(String s) {
        if (s == null) {
            return LEAD_TIME;
        }
        for (MeasureKind k : values()) {
            if (k.yamlName().equals(s.trim().toLowerCase(Locale.ROOT))) {
                return k;
            }
        }
        java.util.StringJoiner known = new java.util.StringJoiner(", ");
        for (MeasureKind k : values()) {
            known.add(k.yamlName());
        }
        throw new IllegalArgumentException("unknown kind '" + s + "', expected one of " + known);
    }

    /**
     * @param test a property of the rules
     * @return the YAML names of the kinds whose rules have it, joined by " and ", e.g. {@code lead_time and
     *     cycle_count}, for error messages
     */
    public static String kindsThat(java.util.function.Predicate<KindRules> test) {
        java.util.StringJoiner names = new java.util.StringJoiner(" and ");
        for (MeasureKind k : values()) {
            if (test.test(k.rules())) {
                names.add(k.yamlName());
            }
        }
        return names.toString();
    }
}
