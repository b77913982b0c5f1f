package io.flightcontroller.adapters.sns;

import io.flightcontroller.domain.result.Alert;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.connector.base.sink.writer.ElementConverter;

/**
 * Turns an {@link Alert} into one typed {@link SnsAlertEntry} (published as one SNS PublishBatch entry).
 *
 * <p>Body (JSON object, null fields left out): {@code kind} (lower case: {@code timeout}, {@code breach},
 * {@code burn_rate_firing}, {@code burn_rate_resolved}), {@code severity}, {@code measure}, {@code correlation_id},
 * {@code case_key}, {@code start_time} and {@code deadline} (ISO-8601 UTC instants with milliseconds, e.g.
 * {@code 2024-01-01T10:00:00Z}), {@code observed_lead_ms} (breach and timeout alerts), {@code burn_rate} and
 * {@code window} (burn-rate alerts), {@code objective}, {@code missing_step} (a sequence's TIMEOUT), {@code subject}
 * (capped at {@link #MAX_SUBJECT_CHARS} characters so the message stays far below SNS's 256 KiB limit) and
 * {@code alert_id}.
 *
 * <p>Message attributes (String): {@code alert_id}, {@code severity}, {@code measure}, {@code kind} (same values as the
 * body; subscribers de-duplicate by {@code alert_id}, since delivery is at least once), and for
 * a sequence's TIMEOUT {@code missing_step} (the event type of the step not reached in time), for SNS subscription
 * filter policies. FIFO topics (ARN ending in {@code .fifo}): {@code MessageGroupId} = measure,
 * {@code MessageDeduplicationId} = alert id (or its SHA-256 hex when longer than SNS's 128 characters); an alert
 * without an id gets no de-duplication id, so a FIFO topic without content-based de-duplication rejects it and the
 * sink dead-letters it.
 *
 * <p>The writer numbers the entries of each batch when it makes the SDK entries ({@link SnsAlertEntry#toRequestEntry}).
 */
public class SnsAlertElementConverter implements ElementConverter<Alert, SnsAlertEntry> {
    private static final long serialVersionUID = 1L;

    /** Longest subject kept in the body, in characters. */
    public static final int MAX_SUBJECT_CHARS = io.flightcontroller.adapters.json.AlertJson.MAX_SUBJECT_CHARS;
    /** Longest MessageDeduplicationId SNS accepts, in characters. */
    public static final int MAX_DEDUP_ID_CHARS = 128;

    private final boolean fifo;

    /**
     * @param topicArn the topic the entries go to; decides FIFO handling
     */
    public SnsAlertElementConverter(String topicArn) {
        this.fifo = topicArn != null && topicArn.endsWith(".fifo");
    }

    @Override
    public SnsAlertEntry apply(Alert alert, SinkWriter.Context context) {
        return convert(alert);
    }

    /**
     * The mapping, usable without Flink.
     *
     * @param alert the alert, not null
     * @return the entry
     */
    public SnsAlertEntry convert(Alert alert) {
        String kind = alert.getKind() == null ? null : alert.getKind().name().toLowerCase(Locale.ROOT);
        String group = null;
        String dedup = null;
        if (fifo) {
            group = alert.getMeasure() == null ? "unknown" : alert.getMeasure();
            dedup = alert.getAlertId() == null ? null : dedupId(alert.getAlertId());
        }
        return new SnsAlertEntry(
                alert.getAlertId(),
                kind,
                alert.getSeverity() == null ? null : alert.getSeverity().label(),
                alert.getMeasure(),
                alert.getMissingStep(),
                alert.getCorrelationId(),
                alert.getDeadlineMs(),
                body(alert),
                group,
                dedup);
    }

    /**
     * @param alert the alert
     * @return the JSON body described in the class comment ({@link io.flightcontroller.adapters.json.AlertJson})
     */
    public static String body(Alert alert) {
        return io.flightcontroller.adapters.json.AlertJson.toJson(alert);
    }

    static String dedupId(String alertId) {
        if (alertId.length() <= MAX_DEDUP_ID_CHARS) {
            return alertId;
        }
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(alertId.getBytes(StandardCharsets.UTF_8));
            StringBuilder sb = new StringBuilder();
            for (byte x : d) {
                sb.append(String.format("%02x", x));
            }
            return sb.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
