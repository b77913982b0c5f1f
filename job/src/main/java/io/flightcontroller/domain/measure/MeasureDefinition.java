package io.flightcontroller.domain.measure;

import io.flightcontroller.domain.event.ProcessEvent;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One measure: which events start and end it, how cases are keyed, its timeout and its SLO. Immutable; built with
 * {@link #builder(String)}, which validates and names the offending field.
 *
 * <p>Fields: {@code kind} (see {@link MeasureKind}); {@code start} / {@code end} (event types; a case's lead runs from
 * its first start event to the first end event after it); {@code restartOn} (event types that restart the clock of an
 * open case: the start time moves to that event); {@code count} (event types counted by {@code cycle_count} and
 * {@code counter}; default: the start types); {@code timeout} (optional; when the watermark reaches start + timeout
 * and no end arrived, the case times out); {@code everyCycle} (measure every start..end cycle of a key, numbered from
 * 1, instead of only the first per case); {@code key} (key parts: {@code correlation_id} and/or
 * {@code payload.<field>}, default {@code [correlation_id]}); {@code dimensions} (payload fields carried to the
 * metric); {@code expression} (kind {@code value} only); {@code slo} (optional, lead_time and sequence);
 * {@code process} (dimension naming the process, default: the measure name up to its first underscore);
 * {@code steps} and {@code within} (kind {@code sequence} only: the steps in order, see {@link SequenceStep}, and the
 * optional limit of the whole sequence from its first step, inclusive).
 *
 * <p>Durations: {@code timeout} at most {@link DurationLimits#MAX}; an SLO's threshold at most the timeout (a case
 * still open at its timeout is bad, so a longer threshold could never make it good). A sequence: at least two steps,
 * no event type in two steps, no {@code within} or {@code measure} on the first step (no hop ends there), each hop's
 * {@code within} at most the sequence's, hop metric names valid measure names; its SLO threshold at most its
 * {@code within}.
 */
public final class MeasureDefinition implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]*");
    private static final Pattern VARIANT_LABEL = Pattern.compile("[^\\[\\]\\p{Cntrl}]+");
    /** Key part naming the event's correlation id. */
    public static final String KEY_CORRELATION_ID = "correlation_id";

    private final String name;
    private final MeasureKind kind;
    private final Set<String> start;
    private final Set<String> end;
    private final Set<String> restartOn;
    private final Set<String> count;
    private final Duration timeout;
    private final boolean everyCycle;
    private final List<String> key;
    private final List<String> dimensions;
    private final ValueExpression expression;
    private final Slo slo;
    private final String process;
    private final List<SequenceStep> steps;
    private final Duration within;
    private final Set<String> relevant;

    private MeasureDefinition(Builder b) {
        this.name = b.variantLabel == null ? b.name : b.name + "[" + b.variantLabel + "]";
        this.kind = b.kind;
        this.start = Collections.unmodifiableSet(new LinkedHashSet<>(b.start));
        this.end = Collections.unmodifiableSet(new LinkedHashSet<>(b.end));
        this.restartOn = Collections.unmodifiableSet(new LinkedHashSet<>(b.restartOn));
        this.count = Collections.unmodifiableSet(new LinkedHashSet<>(b.count.isEmpty() ? b.start : b.count));
        this.timeout = b.timeout;
        this.everyCycle = b.everyCycle;
        this.key = Collections.unmodifiableList(
                new ArrayList<>(b.key.isEmpty() ? Collections.singletonList(KEY_CORRELATION_ID) : b.key));
        this.dimensions = Collections.unmodifiableList(new ArrayList<>(b.dimensions));
        this.expression = b.expression;
        this.slo = b.slo;
        this.process =
                b.process != null ? b.process : (name.indexOf('_') > 0 ? name.substring(0, name.indexOf('_')) : name);
        this.steps = Collections.unmodifiableList(new ArrayList<>(b.steps));
        this.within = b.within;
        Set<String> r = new LinkedHashSet<>();
        for (SequenceStep step : steps) {
            r.addAll(step.getTypes());
        }
        r.addAll(start);
        r.addAll(end);
        r.addAll(restartOn);
        r.addAll(count);
        this.relevant = Collections.unmodifiableSet(r);
    }

    /**
     * Starts a definition.
     *
     * @param name measure name: a letter, then letters, digits, {@code _ . -}
     * @return a builder
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /**
     * A copy of this measure with another timeout and SLO, named {@code NAME[label]} (a name no measures file can
     * use, so it never collides with one), for running SLO variants side by side in one replay: everything else
     * (events, key, dimensions, process) is this measure's. Validated like a measure from a file.
     *
     * @param label what differs, e.g. {@code threshold=PT2H,objective=0.95}: not empty, no brackets, no control
     *     characters
     * @param timeout the variant's timeout, or null for none
     * @param slo the variant's SLO
     * @return the variant
     * @throws InvalidMeasureException naming this measure (not the variant) and the field, e.g. an objective outside
     *     (0, 1) or a threshold above the timeout
     */
    public MeasureDefinition variant(String label, Duration timeout, Slo slo) {
        if (label == null || label.isEmpty() || !VARIANT_LABEL.matcher(label).matches()) {
            throw new InvalidMeasureException(
                    name,
                    "name",
                    "a variant label must be non-empty text without brackets" + " or control characters, was '" + label
                            + "'");
        }
        Builder b = builder(name)
                .kind(kind)
                .start(start)
                .end(end)
                .restartOn(restartOn)
                .count(count)
                .everyCycle(everyCycle)
                .key(key)
                .dimensions(dimensions)
                .process(process)
                .timeout(timeout)
                .slo(slo);
        if (expression != null) {
            b.expression(expression.getSource());
        }
        b.variantLabel = label;
        return b.build();
    }

    public String getName() {
        return name;
    }

    public MeasureKind getKind() {
        return kind;
    }

    public Set<String> getStart() {
        return start;
    }

    public Set<String> getEnd() {
        return end;
    }

    public Set<String> getRestartOn() {
        return restartOn;
    }

    public Set<String> getCount() {
        return count;
    }
    /** @return timeout, or null for none */
    public Duration getTimeout() {
        return timeout;
    }

    public boolean isEveryCycle() {
        return everyCycle;
    }

    public List<String> getKey() {
        return key;
    }

    public List<String> getDimensions() {
        return dimensions;
    }
    /** @return the value expression (kind value), else null */
    public ValueExpression getExpression() {
        return expression;
    }
    /** @return the SLO, or null */
    public Slo getSlo() {
        return slo;
    }

    public String getProcess() {
        return process;
    }
    /** @return the steps of a sequence in order (empty for other kinds) */
    public List<SequenceStep> getSteps() {
        return steps;
    }
    /** @return the limit of a whole sequence from its first step, or null */
    public Duration getWithin() {
        return within;
    }

    /**
     * The measure name of the lead rows of a sequence's hop.
     *
     * @param step the number of the step the hop ends at, 2 to the number of steps
     * @return the step's {@code measure}, else {@code NAME#step}
     */
    public String hopMeasure(int step) {
        String declared = steps.get(step - 1).getMeasure();
        return declared != null ? declared : name + "#" + step;
    }

    /**
     * @return every measure name this definition writes lead rows or measurements under: the name, and for a sequence
     *     each hop's name after it
     */
    public List<String> outputMeasures() {
        List<String> out = new ArrayList<>();
        out.add(name);
        for (int k = 2; k <= steps.size(); k++) {
            out.add(hopMeasure(k));
        }
        return out;
    }

    /**
     * @param eventType an event type
     * @return whether this measure reacts to it (start, end, restart, count)
     */
    public boolean isRelevant(String eventType) {
        return relevant.contains(eventType);
    }

    /**
     * @return whether the measure reads any payload field (a payload key part, a dimension, or a value expression);
     *     when not, events can be routed to it without their payload
     */
    public boolean usesPayload() {
        if (kind.rules().allowsExpression() || !dimensions.isEmpty()) {
            return true;
        }
        for (String k : key) {
            if (!k.equals(KEY_CORRELATION_ID)) {
                return true;
            }
        }
        return false;
    }

    /** @return every event type this measure reacts to */
    public Set<String> relevantTypes() {
        return relevant;
    }

    /**
     * The event's values of this measure's dimensions, carried to its results and sinks.
     *
     * <p>Shape: dimension name (the field without a {@code payload.} prefix) to the field's value as text; a field
     * the event lacks is left out.
     *
     * @param e the event
     * @return the values, or null when the measure has no dimensions
     */
    public java.util.Map<String, String> dimensionsOf(ProcessEvent e) {
        if (dimensions.isEmpty()) {
            return null;
        }
        java.util.Map<String, String> d = new java.util.LinkedHashMap<>();
        for (String f : dimensions) {
            Object v = e.payloadField(f);
            if (v != null) {
                d.put(f.startsWith("payload.") ? f.substring("payload.".length()) : f, String.valueOf(v));
            }
        }
        return d;
    }

    /**
     * Builds the case key of an event: its key parts joined by {@code |}.
     *
     * @param e the event
     * @return the key, or null when a payload key field is missing
     */
    public String caseKey(ProcessEvent e) {
        if (key.size() == 1 && key.get(0).equals(KEY_CORRELATION_ID)) {
            return e.getCorrelationId();
        }
        StringBuilder sb = new StringBuilder();
        for (String part : key) {
            Object v = part.equals(KEY_CORRELATION_ID) ? e.getCorrelationId() : e.payloadField(part);
            if (v == null || v.toString().isEmpty()) {
                return null;
            }
            if (sb.length() > 0) {
                sb.append('|');
            }
            sb.append(v);
        }
        return sb.toString();
    }

    /** Builder; {@link #build()} validates. */
    public static final class Builder {
        private final String name;
        private MeasureKind kind = MeasureKind.LEAD_TIME;
        private final List<String> start = new ArrayList<>();
        private final List<String> end = new ArrayList<>();
        private final List<String> restartOn = new ArrayList<>();
        private final List<String> count = new ArrayList<>();
        private Duration timeout;
        private boolean everyCycle;
        private final List<String> key = new ArrayList<>();
        private final List<String> dimensions = new ArrayList<>();
        private ValueExpression expression;
        private String expressionSource;
        private Slo slo;
        private String process;
        private String variantLabel;
        private final List<SequenceStep> steps = new ArrayList<>();
        private Duration within;

        private Builder(String name) {
            this.name = name;
        }

        public Builder kind(MeasureKind kind) {
            this.kind = kind;
            return this;
        }

        public Builder start(Collection<String> types) {
            start.addAll(types);
            return this;
        }

        public Builder start(String... types) {
            return start(java.util.Arrays.asList(types));
        }

        public Builder end(Collection<String> types) {
            end.addAll(types);
            return this;
        }

        public Builder end(String... types) {
            return end(java.util.Arrays.asList(types));
        }

        public Builder restartOn(Collection<String> types) {
            restartOn.addAll(types);
            return this;
        }

        public Builder count(Collection<String> types) {
            count.addAll(types);
            return this;
        }
        /** @param timeout positive duration, or null for none */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        public Builder everyCycle(boolean everyCycle) {
            this.everyCycle = everyCycle;
            return this;
        }

        public Builder key(Collection<String> parts) {
            key.addAll(parts);
            return this;
        }

        public Builder dimensions(Collection<String> fields) {
            dimensions.addAll(fields);
            return this;
        }

        public Builder expression(String source) {
            this.expressionSource = source;
            return this;
        }

        public Builder slo(Slo slo) {
            this.slo = slo;
            return this;
        }

        public Builder process(String process) {
            this.process = process;
            return this;
        }

        public Builder steps(Collection<SequenceStep> s) {
            steps.addAll(s);
            return this;
        }

        public Builder steps(SequenceStep... s) {
            return steps(java.util.Arrays.asList(s));
        }
        /** @param within limit of a whole sequence from its first step, or null for none */
        public Builder within(Duration within) {
            this.within = within;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @return the definition
         * @throws InvalidMeasureException naming the measure and the field that is wrong
         */
        public MeasureDefinition build() {
            String n = name == null ? "?" : name;
            if (name == null || !NAME.matcher(name).matches()) {
                throw new InvalidMeasureException(
                        n, "name", "must start with a letter and use letters, digits, '_', '.', '-'");
            }
            if (kind == null) {
                throw new InvalidMeasureException(n, "kind", "is required");
            }
            checkTypes(n, "start", start);
            checkTypes(n, "end", end);
            checkTypes(n, "restart_on", restartOn);
            checkTypes(n, "count", count);
            kind.rules().validate(this, n);
            if (!kind.rules().allowsSteps()) {
                if (!steps.isEmpty()) {
                    throw new InvalidMeasureException(n, "steps", "applies to kind sequence only");
                }
                if (within != null) {
                    throw new InvalidMeasureException(n, "within", "applies to kind sequence only; use timeout");
                }
            }
            if (expressionSource != null) {
                if (!kind.rules().allowsExpression()) {
                    throw new InvalidMeasureException(
                            n,
                            "expression",
                            "applies to kind " + MeasureKind.kindsThat(KindRules::allowsExpression) + " only");
                }
                try {
                    expression = ValueExpression.compile(expressionSource);
                } catch (IllegalArgumentException e) {
                    throw new InvalidMeasureException(n, "expression", e.getMessage());
                }
            }
            if (timeout != null && (timeout.isZero() || timeout.isNegative())) {
                throw new InvalidMeasureException(n, "timeout", "must be a positive ISO-8601 duration, e.g. P7D");
            }
            DurationLimits.checkMax(n, "timeout", timeout);
            if (timeout != null && !kind.rules().allowsTimeout()) {
                throw new InvalidMeasureException(
                        n, "timeout", "applies to " + MeasureKind.kindsThat(KindRules::allowsTimeout) + " only");
            }
            if (slo != null) {
                if (!kind.rules().allowsSlo()) {
                    throw new InvalidMeasureException(
                            n, "slo", "applies to kinds " + MeasureKind.kindsThat(KindRules::allowsSlo) + " only");
                }
                slo.validate(n);
                if (within != null && slo.getThreshold().compareTo(within) > 0) {
                    throw new InvalidMeasureException(
                            n,
                            "slo.threshold",
                            DurationLimits.format(slo.getThreshold())
                                    + " is greater than within " + DurationLimits.format(within)
                                    + ": a sequence still open"
                                    + " at its limit counts as bad, so a lead between the two could never be good; use a"
                                    + " threshold at most the within");
                }
                if (timeout != null && slo.getThreshold().compareTo(timeout) > 0) {
                    throw new InvalidMeasureException(
                            n,
                            "slo.threshold",
                            DurationLimits.format(slo.getThreshold())
                                    + " is greater than timeout " + DurationLimits.format(timeout)
                                    + ": a case still open at"
                                    + " its timeout counts as bad, so a lead between the two could never be good; use a"
                                    + " threshold at most the timeout");
                }
            }
            for (int i = 0; i < key.size(); i++) {
                String k = key.get(i);
                if (!k.equals(KEY_CORRELATION_ID) && !(k.startsWith("payload.") && k.length() > "payload.".length())) {
                    throw new InvalidMeasureException(
                            n, "key[" + i + "]", "must be 'correlation_id' or 'payload.<field>', was '" + k + "'");
                }
            }
            for (int i = 0; i < dimensions.size(); i++) {
                if (dimensions.get(i) == null || dimensions.get(i).trim().isEmpty()) {
                    throw new InvalidMeasureException(n, "dimensions[" + i + "]", "is empty");
                }
            }
            return new MeasureDefinition(this);
        }

        /** @return the start event types given so far */
        List<String> startTypes() {
            return start;
        }
        /** @return the counted event types given so far */
        List<String> countTypes() {
            return count;
        }
        /** @return the expression's source, or null */
        String expressionSource() {
            return expressionSource;
        }

        /** The rules of the kinds with cycles: at least one start and one end type, disjoint. */
        void checkStartAndEnd(String n) {
            if (start.isEmpty()) {
                throw new InvalidMeasureException(n, "start", "needs at least one event type");
            }
            if (end.isEmpty()) {
                throw new InvalidMeasureException(n, "end", "needs at least one event type");
            }
            for (String s : start) {
                if (end.contains(s)) {
                    throw new InvalidMeasureException(n, "end", "'" + s + "' is also a start event type");
                }
            }
        }

        /** The rules of kind sequence; fields are named as in the YAML, e.g. {@code steps[1].within}. */
        void checkSequence(String n) {
            for (String f : new String[] {"start", "end", "restart_on", "count"}) {
                List<String> given =
                        f.equals("start") ? start : f.equals("end") ? end : f.equals("restart_on") ? restartOn : count;
                if (!given.isEmpty()) {
                    throw new InvalidMeasureException(
                            n, f, "does not apply to kind sequence; list the events in steps");
                }
            }
            if (timeout != null) {
                throw new InvalidMeasureException(
                        n,
                        "timeout",
                        "does not apply to kind sequence; use within (the whole"
                                + " sequence) or a step's within (one hop)");
            }
            if (everyCycle) {
                throw new InvalidMeasureException(
                        n, "every_cycle", "does not apply to kind sequence (one sequence per" + " case)");
            }
            if (steps.size() < 2) {
                throw new InvalidMeasureException(
                        n, "steps", "needs at least two steps, e.g. [{event: a}, {event: b}]");
            }
            if (within != null && (within.isZero() || within.isNegative())) {
                throw new InvalidMeasureException(n, "within", "must be a positive ISO-8601 duration, e.g. P7D");
            }
            DurationLimits.checkMax(n, "within", within);
            java.util.Map<String, Integer> stepOfType = new java.util.HashMap<>();
            Set<String> hopNames = new java.util.HashSet<>();
            for (int i = 0; i < steps.size(); i++) {
                SequenceStep step = steps.get(i);
                String f = "steps[" + i + "]";
                if (step == null || step.getTypes().isEmpty()) {
                    throw new InvalidMeasureException(n, f + ".event", "needs at least one event type");
                }
                int t = 0;
                for (String type : step.getTypes()) {
                    if (type == null || type.trim().isEmpty()) {
                        throw new InvalidMeasureException(n, f + ".event[" + t + "]", "is an empty event type");
                    }
                    Integer other = stepOfType.putIfAbsent(type, i);
                    if (other != null) {
                        throw new InvalidMeasureException(
                                n,
                                f + ".event",
                                "'" + type + "' is also the event of step " + (other + 1)
                                        + "; an event type may make one step only");
                    }
                    t++;
                }
                Duration w = step.getWithin();
                if (i == 0 && w != null) {
                    throw new InvalidMeasureException(
                            n,
                            f + ".within",
                            "the first step has no previous step to be"
                                    + " within of; limit the whole sequence with the measure's within");
                }
                if (i == 0 && step.getMeasure() != null) {
                    throw new InvalidMeasureException(
                            n, f + ".measure", "no hop ends at the first step; name a hop on" + " the step it ends at");
                }
                if (w != null) {
                    if (w.isZero() || w.isNegative()) {
                        throw new InvalidMeasureException(
                                n, f + ".within", "must be a positive ISO-8601 duration, e.g. PT1H");
                    }
                    DurationLimits.checkMax(n, f + ".within", w);
                    if (within != null && w.compareTo(within) > 0) {
                        throw new InvalidMeasureException(
                                n,
                                f + ".within",
                                DurationLimits.format(w)
                                        + " is longer than the sequence's within " + DurationLimits.format(within)
                                        + ": the hop could never use it; shorten it or lengthen the sequence's within");
                    }
                }
                String m = step.getMeasure();
                if (m != null && !NAME.matcher(m).matches()) {
                    throw new InvalidMeasureException(
                            n, f + ".measure", "must start with a letter and use letters, digits, '_', '.', '-'");
                }
                if (m != null && (m.equals(n) || !hopNames.add(m))) {
                    throw new InvalidMeasureException(
                            n,
                            f + ".measure",
                            "'" + m + "' names another lead of this sequence; give each hop its own name");
                }
            }
        }

        private static void checkTypes(String n, String field, List<String> types) {
            for (int i = 0; i < types.size(); i++) {
                if (types.get(i) == null || types.get(i).trim().isEmpty()) {
                    throw new InvalidMeasureException(n, field + "[" + i + "]", "is an empty event type");
                }
            }
        }
    }
}
