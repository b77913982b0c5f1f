package io.flightcontroller.adapters.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flightcontroller.domain.result.Alert;
import java.time.Instant;
import java.util.Locale;

/**
 * The one JSON form of an alert, used by every alert output (SNS message body, alerts file, log):
 * {@code kind} (lower case: {@code timeout}, {@code breach}, {@code burn_rate_firing}, {@code burn_rate_resolved}),
 * {@code severity}, {@code measure}, {@code correlation_id} and {@code case_key} where they apply, {@code start_time}
 * and {@code deadline} (ISO-8601 UTC instants), {@code observed_lead_ms}, {@code burn_rate}, {@code objective},
 * {@code window}, {@code missing_step} (a sequence's TIMEOUT: the event type of the step not reached in time),
 * {@code subject} (at most {@link #MAX_SUBJECT_CHARS} characters) and {@code alert_id}. Absent values
 * are left out.
 */
public final class AlertJson {
    private AlertJson() {}

    /** Longest subject kept, in characters. */
    public static final int MAX_SUBJECT_CHARS = 1024;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * @param alert the alert
     * @return its JSON text, one line
     * @throws IllegalStateException if Jackson cannot write the tree (a programming error)
     */
    public static String toJson(Alert alert) {
        ObjectNode o = MAPPER.createObjectNode();
        putIfSet(
                o,
                "kind",
                alert.getKind() == null ? null : alert.getKind().name().toLowerCase(Locale.ROOT));
        putIfSet(
                o,
                "severity",
                alert.getSeverity() == null ? null : alert.getSeverity().label());
        putIfSet(o, "measure", alert.getMeasure());
        putIfSet(o, "correlation_id", alert.getCorrelationId());
        putIfSet(o, "case_key", alert.getCaseKey());
        o.put("start_time", Instant.ofEpochMilli(alert.getStartMs()).toString());
        o.put("deadline", Instant.ofEpochMilli(alert.getDeadlineMs()).toString());
        if (alert.getObservedLeadMs() != null) {
            o.put("observed_lead_ms", alert.getObservedLeadMs());
        }
        if (alert.getBurnRate() != null) {
            o.put("burn_rate", alert.getBurnRate());
        }
        if (alert.getObjective() != null) {
            o.put("objective", alert.getObjective());
        }
        putIfSet(o, "window", alert.getWindow());
        putIfSet(o, "missing_step", alert.getMissingStep());
        String subject = alert.getSubject();
        if (subject != null && subject.length() > MAX_SUBJECT_CHARS) {
            subject = subject.substring(0, MAX_SUBJECT_CHARS - 3) + "...";
        }
        putIfSet(o, "subject", subject);
        putIfSet(o, "alert_id", alert.getAlertId());
        try {
            return MAPPER.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write alert JSON", e);
        }
    }

    private static void putIfSet(ObjectNode o, String field, String value) {
        if (value != null) {
            o.put(field, value);
        }
    }
}
