package io.flightcontroller.adapters.parse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.flightcontroller.domain.measure.BurnRateRule;
import io.flightcontroller.domain.measure.InvalidMeasureException;
import io.flightcontroller.domain.measure.KindRules;
import io.flightcontroller.domain.measure.MeasureDefinition;
import io.flightcontroller.domain.measure.MeasureKind;
import io.flightcontroller.domain.measure.MeasuresConfig;
import io.flightcontroller.domain.measure.SequenceStep;
import io.flightcontroller.domain.measure.Slo;
import io.flightcontroller.domain.result.Severity;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Reads the measures YAML into a validated {@link MeasuresConfig}. Every error names the line, the measure and the
 * field: {@code measures.yaml line 12: measure 'm', field 'slo.threshold': ...}.
 *
 * <p>Strict: a key given twice in one mapping (anywhere, including a second top-level {@code measures}), a key with
 * no value ({@code timeout:}), an empty {@code aggregate_windows} list and a second YAML document are errors, not
 * silently dropped. Lines come from {@link YamlLines}; the checks on values live in the domain.
 *
 * <p>Format (durations are ISO-8601 of fixed length, see {@link IsoDurations}: {@code PT1H}, {@code P7D},
 * {@code P1W}; no months or years; at most {@code P36500D}; event-type fields take one type or a list):
 * <pre>
 * aggregate_windows: [PT1H, P1D]        # optional
 * measures:
 *   - name: project_lead_time
 *     kind: lead_time                   # lead_time (default) | cycle_count | counter | value | sequence
 *     start: project_requested
 *     end: [project_created]
 *     restart_on: []                    # optional
 *     count: []                         # cycle_count / counter: counted types (default: start)
 *     events: []                        # counter / value: alias of count / start
 *     timeout: P7D                      # optional
 *     every_cycle: false                # optional
 *     key: [correlation_id]             # optional; parts: correlation_id | payload.field
 *     dimensions: [account_id]          # optional payload fields
 *     expression: "..."                 # value only
 *     process: projects                 # optional
 *     steps:                            # sequence only: the steps in order
 *       - event: project_requested      #   one event type or a list
 *       - event: project_assigned
 *         within: PT1H                  #   optional: limit of the hop from the previous step (inclusive)
 *         measure: assigned_lead_time   #   optional: the hop's metric name (default NAME#k)
 *     within: P7D                       # sequence only, optional: limit of the whole sequence
 *     slo:
 *       threshold: PT1H
 *       objective: 0.95
 *       window: P28D
 *       min_events: 10                  # optional, default 10
 *       burn_rate_alerts:               # optional, default: Google SRE Workbook rules
 *         - {severity: page, long_window: PT1H, short_window: PT5M, burn_rate: 14.4}
 * </pre>
 */
public final class MeasuresYaml {
    private MeasuresYaml() {}

    private static final YAMLFactory YAML = new YAMLFactory();
    private static final ObjectMapper MAPPER = new ObjectMapper(YAML);

    /** Default minimum outcomes in a burn-rate rule's long window. */
    public static final long DEFAULT_MIN_EVENTS = 10;

    private static final Set<String> MEASURE_FIELDS = new HashSet<>(Arrays.asList(
            "name",
            "kind",
            "start",
            "end",
            "restart_on",
            "count",
            "events",
            "timeout",
            "every_cycle",
            "key",
            "dimensions",
            "expression",
            "process",
            "slo",
            "description",
            "steps",
            "within"));
    private static final Set<String> STEP_FIELDS = new HashSet<>(Arrays.asList("event", "within", "measure"));
    private static final Set<String> SLO_FIELDS =
            new HashSet<>(Arrays.asList("threshold", "objective", "window", "min_events", "burn_rate_alerts"));
    private static final Set<String> RULE_FIELDS =
            new HashSet<>(Arrays.asList("severity", "long_window", "short_window", "burn_rate"));

    /**
     * Reads a measures file.
     *
     * @param file the YAML file
     * @return the validated measures
     * @throws InvalidMeasureException naming measure and field when the content is invalid
     * @throws IOException when the file cannot be read
     */
    public static MeasuresConfig read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            Path name = file.getFileName();
            return read(in, name != null ? name.toString() : file.toString());
        }
    }

    /**
     * Reads measures YAML from a stream.
     *
     * @param in the YAML
     * @return the validated measures
     * @throws InvalidMeasureException naming measure and field when the content is invalid
     * @throws IOException when the stream cannot be read
     */
    public static MeasuresConfig read(InputStream in) throws IOException {
        return read(in, null);
    }

    /**
     * Reads measures YAML from a stream, naming it in messages.
     *
     * @param in the YAML
     * @param source file name for messages ({@code measures.yaml line 12: ...}), or null ({@code line 12: ...})
     * @return the validated measures
     * @throws InvalidMeasureException naming line, measure and field when the content is invalid
     * @throws IOException when the stream cannot be read
     */
    public static MeasuresConfig read(InputStream in, String source) throws IOException {
        byte[] bytes = in.readAllBytes();
        YamlLines lines;
        JsonNode root;
        try {
            lines = YamlLines.scan(YAML, bytes);
            root = MAPPER.readTree(bytes);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            int line = e.getLocation() != null ? e.getLocation().getLineNr() : 0;
            throw new InvalidMeasureException(source, line, "-", "-", "not valid YAML: " + e.getOriginalMessage());
        }
        try {
            strict(root, lines);
            return fromTree(root, lines);
        } catch (InvalidMeasureException e) {
            int line = e.getLine() > 0 ? e.getLine() : lines.lineOf(e.getField().equals("-") ? "" : e.getField());
            throw source == null && e.getLine() > 0 ? e : e.at(source, line);
        }
    }

    /** Refuses what a tree silently drops: a second document, a duplicate key, a key with no value. */
    private static void strict(JsonNode root, YamlLines lines) {
        YamlLines.Issue doc = lines.secondDocument();
        if (doc != null) {
            throw new InvalidMeasureException(
                    null,
                    doc.line,
                    "-",
                    "-",
                    "a second YAML document (after '---') starts here; put every measure in one 'measures' list");
        }
        YamlLines.Issue dup = lines.duplicate();
        if (dup != null) {
            String key = dup.path.substring(YamlLines.parent(dup.path).length()).replaceFirst("^\\.", "");
            throw at(
                    root,
                    dup,
                    "duplicate key '" + key + "' (first at line " + dup.firstLine
                            + "); YAML would keep only the last one, so remove one");
        }
        YamlLines.Issue empty = lines.empty();
        if (empty != null) {
            throw at(root, empty, "has no value; give one or remove the key");
        }
    }

    /** An error at a path: inside measure {@code measures[i]}, named after it; else a top-level field. */
    private static InvalidMeasureException at(JsonNode root, YamlLines.Issue where, String problem) {
        String path = where.path;
        if (path.startsWith("measures[") && path.indexOf(']') > 0) {
            int close = path.indexOf(']');
            int i = Integer.parseInt(path.substring("measures[".length(), close));
            String field = close + 1 < path.length() ? path.substring(close + 2) : "-";
            JsonNode m = root.path("measures").path(i);
            String name = m.hasNonNull("name") && !m.get("name").asText().trim().isEmpty()
                    ? m.get("name").asText()
                    : "#" + (i + 1);
            return new InvalidMeasureException(null, where.line, name, field, problem);
        }
        return new InvalidMeasureException(null, where.line, "-", path, problem);
    }

    /**
     * Places a domain error of measure {@code measures[index]} at the line of its field (or the nearest parent).
     */
    private static InvalidMeasureException place(InvalidMeasureException e, int index, YamlLines lines) {
        String prefix = "measures[" + index + "]";
        return e.at(null, lines.lineOf(e.getField().equals("-") ? prefix : prefix + "." + e.getField()));
    }

    /**
     * Reads measures YAML from a string.
     *
     * @param yaml the YAML text
     * @return the validated measures
     * @throws InvalidMeasureException naming measure and field when the content is invalid
     */
    public static MeasuresConfig parse(String yaml) {
        try {
            return read(new java.io.ByteArrayInputStream(yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8)), null);
        } catch (IOException e) {
            throw new InvalidMeasureException("-", "-", "cannot read: " + e.getMessage());
        }
    }

    private static MeasuresConfig fromTree(JsonNode root, YamlLines lines) {
        if (root == null || !root.isObject() || !root.has("measures")) {
            throw new InvalidMeasureException("-", "measures", "the file must be a mapping with a 'measures' list");
        }
        Iterator<String> top = root.fieldNames();
        while (top.hasNext()) {
            String f = top.next();
            if (!f.equals("measures") && !f.equals("aggregate_windows")) {
                throw new InvalidMeasureException(
                        "-", f, "unknown top-level field (expected measures, aggregate_windows)");
            }
        }
        JsonNode list = root.get("measures");
        if (!list.isArray()) {
            throw new InvalidMeasureException("-", "measures", "must be a list");
        }
        List<MeasureDefinition> measures = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            try {
                measures.add(measure(list.get(i), i));
            } catch (InvalidMeasureException e) {
                throw place(e, i, lines);
            }
        }
        List<Duration> windows = new ArrayList<>();
        JsonNode w = root.get("aggregate_windows");
        if (w != null) {
            if (w.isArray() && w.size() == 0) {
                throw new InvalidMeasureException(
                        "-", "aggregate_windows", "is an empty list; remove the key to use the defaults (PT1H, P1D)");
            }
            List<String> texts = types("-", "aggregate_windows", w);
            for (int i = 0; i < texts.size(); i++) {
                windows.add(duration(
                        "-", w.isArray() ? "aggregate_windows[" + i + "]" : "aggregate_windows", texts.get(i)));
            }
        }
        try {
            return new MeasuresConfig(measures, windows);
        } catch (InvalidMeasureException e) {
            int index = -1; // the second measure with the name (a name defined twice), else the first
            int seen = 0;
            for (int i = 0; i < measures.size() && seen < 2; i++) {
                if (measures.get(i).getName().equals(e.getMeasure())) {
                    index = i;
                    seen++;
                }
            }
            throw index >= 0 ? place(e, index, lines) : e;
        }
    }

    private static MeasureDefinition measure(JsonNode n, int index) {
        String id = "#" + (index + 1);
        if (n == null || !n.isObject()) {
            throw new InvalidMeasureException(id, "-", "each measure must be a mapping");
        }
        String name = n.hasNonNull("name") ? n.get("name").asText() : null;
        if (name == null || name.trim().isEmpty()) {
            throw new InvalidMeasureException(id, "name", "is required");
        }
        Iterator<String> fields = n.fieldNames();
        while (fields.hasNext()) {
            String f = fields.next();
            if (!MEASURE_FIELDS.contains(f)) {
                throw new InvalidMeasureException(
                        name, f, "unknown field (known: " + new java.util.TreeSet<>(MEASURE_FIELDS) + ")");
            }
        }
        MeasureKind kind;
        try {
            kind = MeasureKind.parse(n.hasNonNull("kind") ? n.get("kind").asText() : null);
        } catch (IllegalArgumentException e) {
            throw new InvalidMeasureException(name, "kind", e.getMessage());
        }
        MeasureDefinition.Builder b = MeasureDefinition.builder(name).kind(kind);
        b.start(types(name, "start", n.get("start")));
        b.end(types(name, "end", n.get("end")));
        b.restartOn(types(name, "restart_on", n.get("restart_on")));
        b.count(types(name, "count", n.get("count")));
        List<String> events = types(name, "events", n.get("events"));
        if (!events.isEmpty()) {
            KindRules.EventsField meaning = kind.rules().eventsField();
            if (meaning == KindRules.EventsField.COUNT) {
                b.count(events);
            } else if (meaning == KindRules.EventsField.START) {
                b.start(events);
            } else {
                throw new InvalidMeasureException(
                        name,
                        "events",
                        "applies to kinds "
                                + MeasureKind.kindsThat(r -> r.eventsField() != KindRules.EventsField.NOT_ALLOWED)
                                + "; use start/end");
            }
        }
        if (n.hasNonNull("timeout")) {
            b.timeout(duration(name, "timeout", n.get("timeout").asText()));
        }
        if (n.hasNonNull("every_cycle")) {
            if (!n.get("every_cycle").isBoolean()) {
                throw new InvalidMeasureException(name, "every_cycle", "must be true or false");
            }
            b.everyCycle(n.get("every_cycle").asBoolean());
        }
        b.key(types(name, "key", n.get("key")));
        b.dimensions(types(name, "dimensions", n.get("dimensions")));
        if (n.hasNonNull("expression")) {
            b.expression(n.get("expression").asText());
        }
        if (n.hasNonNull("process")) {
            b.process(n.get("process").asText());
        }
        if (n.hasNonNull("slo")) {
            b.slo(slo(name, n.get("slo")));
        }
        if (n.hasNonNull("steps")) {
            b.steps(steps(name, n.get("steps")));
        }
        if (n.hasNonNull("within")) {
            b.within(duration(name, "within", n.get("within").asText()));
        }
        return b.build();
    }

    private static Slo slo(String name, JsonNode n) {
        if (!n.isObject()) {
            throw new InvalidMeasureException(name, "slo", "must be a mapping with threshold, objective, window");
        }
        Iterator<String> fields = n.fieldNames();
        while (fields.hasNext()) {
            String f = fields.next();
            if (!SLO_FIELDS.contains(f)) {
                throw new InvalidMeasureException(
                        name, "slo." + f, "unknown field (known: " + new java.util.TreeSet<>(SLO_FIELDS) + ")");
            }
        }
        for (String req : Arrays.asList("threshold", "objective", "window")) {
            if (!n.hasNonNull(req)) {
                throw new InvalidMeasureException(name, "slo." + req, "is required");
            }
        }
        if (!n.get("objective").isNumber()) {
            throw new InvalidMeasureException(name, "slo.objective", "must be a number in (0, 1), e.g. 0.95");
        }
        List<BurnRateRule> rules = BurnRateRule.workbookDefaults();
        JsonNode r = n.get("burn_rate_alerts");
        if (r != null && !r.isNull()) {
            if (!r.isArray()) {
                throw new InvalidMeasureException(name, "slo.burn_rate_alerts", "must be a list");
            }
            rules = new ArrayList<>();
            for (int i = 0; i < r.size(); i++) {
                rules.add(rule(name, "slo.burn_rate_alerts[" + i + "]", r.get(i)));
            }
        }
        long minEvents = DEFAULT_MIN_EVENTS;
        if (n.hasNonNull("min_events")) {
            if (!n.get("min_events").canConvertToLong()) {
                throw new InvalidMeasureException(name, "slo.min_events", "must be a whole number");
            }
            minEvents = n.get("min_events").asLong();
        }
        return new Slo(
                duration(name, "slo.threshold", n.get("threshold").asText()),
                n.get("objective").asDouble(),
                duration(name, "slo.window", n.get("window").asText()),
                rules,
                minEvents);
    }

    private static List<SequenceStep> steps(String name, JsonNode n) {
        if (!n.isArray()) {
            throw new InvalidMeasureException(name, "steps", "must be a list of steps, e.g. [{event: a}, {event: b}]");
        }
        List<SequenceStep> out = new ArrayList<>();
        for (int i = 0; i < n.size(); i++) {
            String field = "steps[" + i + "]";
            JsonNode s = n.get(i);
            if (s == null || !s.isObject()) {
                throw new InvalidMeasureException(
                        name, field, "must be a mapping with event (and optional within," + " measure)");
            }
            Iterator<String> fields = s.fieldNames();
            while (fields.hasNext()) {
                String f = fields.next();
                if (!STEP_FIELDS.contains(f)) {
                    throw new InvalidMeasureException(
                            name,
                            field + "." + f,
                            "unknown field (known: " + new java.util.TreeSet<>(STEP_FIELDS) + ")");
                }
            }
            List<String> types = types(name, field + ".event", s.get("event"));
            if (types.isEmpty()) {
                throw new InvalidMeasureException(
                        name, field + ".event", "is required: the step's event type or a" + " list of them");
            }
            Duration within = s.hasNonNull("within")
                    ? duration(name, field + ".within", s.get("within").asText())
                    : null;
            String measure = s.hasNonNull("measure") ? s.get("measure").asText() : null;
            out.add(new SequenceStep(types, within, measure));
        }
        return out;
    }

    private static BurnRateRule rule(String name, String field, JsonNode n) {
        if (n == null || !n.isObject()) {
            throw new InvalidMeasureException(name, field, "must be a mapping");
        }
        Iterator<String> fields = n.fieldNames();
        while (fields.hasNext()) {
            String f = fields.next();
            if (!RULE_FIELDS.contains(f)) {
                throw new InvalidMeasureException(
                        name, field + "." + f, "unknown field (known: " + new java.util.TreeSet<>(RULE_FIELDS) + ")");
            }
        }
        for (String req : Arrays.asList("long_window", "short_window", "burn_rate")) {
            if (!n.hasNonNull(req)) {
                throw new InvalidMeasureException(name, field + "." + req, "is required");
            }
        }
        if (!n.get("burn_rate").isNumber()) {
            throw new InvalidMeasureException(name, field + ".burn_rate", "must be a number");
        }
        Severity severity = Severity.PAGE;
        if (n.hasNonNull("severity")) {
            try {
                severity = Severity.parse(n.get("severity").asText());
            } catch (IllegalArgumentException e) {
                throw new InvalidMeasureException(name, field + ".severity", e.getMessage());
            }
        }
        return new BurnRateRule(
                severity,
                duration(name, field + ".long_window", n.get("long_window").asText()),
                duration(name, field + ".short_window", n.get("short_window").asText()),
                n.get("burn_rate").asDouble());
    }

    private static List<String> types(String name, String field, JsonNode n) {
        if (n == null || n.isNull()) {
            return Collections.emptyList();
        }
        List<String> out = new ArrayList<>();
        if (n.isArray()) {
            for (int i = 0; i < n.size(); i++) {
                JsonNode e = n.get(i);
                if (e == null || !e.isValueNode() || e.isNull()) {
                    throw new InvalidMeasureException(name, field + "[" + i + "]", "must be a plain string");
                }
                out.add(e.asText());
            }
        } else if (n.isValueNode()) {
            out.add(n.asText());
        } else {
            throw new InvalidMeasureException(name, field, "must be a string or a list of strings");
        }
        return out;
    }

    private static Duration duration(String name, String field, String s) {
        try {
            return IsoDurations.parse(s);
        } catch (IllegalArgumentException e) {
            throw new InvalidMeasureException(name, field, e.getMessage());
        }
    }
}
