package io.flightcontroller.adapters.sns;

import io.flightcontroller.domain.Alert;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.connector.base.sink.writer.ElementConverter;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Turns an {@link Alert} into one SNS PublishBatch entry.
 *
 * <p>Body (JSON object, null fields left out): {@code kind} (lower case: {@code timeout}, {@code breach},
 * {@code burn_rate_firing}, {@code burn_rate_resolved}), {@code severity}, {@code measure}, {@code correlation_id},
 * {@code case_key}, {@code start_time} and {@code deadline} (ISO-8601 UTC instants with milliseconds, e.g.
 * {@code 2024-01-01T10:00:00Z}), {@code observed_lead_ms} (breach and timeout alerts), {@code burn_rate} and
 * {@code window} (burn-rate alerts), {@code objective}, {@code missing_step} (a sequence's TIMEOUT), {@code subject}
 * (capped at {@link #MAX_SUBJECT_CHARS} characters so the message stays far below SNS's 256 KiB limit) and
 * {@code alert_id}.
 *
 * <p>Message attributes (String): {@code severity}, {@code measure}, {@code kind} (same values as the body), and for
 * a sequence's TIMEOUT {@code missing_step} (the event type of the step not reached in time), for SNS subscription
 * filter policies. FIFO topics (ARN ending in {@code .fifo}): {@code MessageGroupId} = measure,
 * {@code MessageDeduplicationId} = alert id (or its SHA-256 hex when longer than SNS's 128 characters); an alert
 * without an id gets no de-duplication id, so a FIFO topic without content-based de-duplication rejects it and the
 * sink dead-letters it.
 *
 * <p>The entry's {@code Id} is a placeholder; the writer numbers the entries of each batch.
 */
public class SnsAlertElementConverter implements ElementConverter<Alert, PublishBatchRequestEntry> {
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
    public PublishBatchRequestEntry apply(Alert alert, SinkWriter.Context context) {
        return convert(alert);
    }

    /**
     * The mapping, usable without Flink.
     *
     * @param alert the alert, not null
     * @return the entry, with id {@code "0"}
     */
    public PublishBatchRequestEntry convert(Alert alert) {
        String kind = alert.getKind() == null ? null : alert.getKind().name().toLowerCase(Locale.ROOT);
        Map<String, MessageAttributeValue> attributes = new HashMap<>();
        putAttribute(attributes, "severity", alert.getSeverity() == null ? null : alert.getSeverity().label());
        putAttribute(attributes, "measure", alert.getMeasure());
        putAttribute(attributes, "kind", kind);
        putAttribute(attributes, "missing_step", alert.getMissingStep());
        PublishBatchRequestEntry.Builder b = PublishBatchRequestEntry.builder().id("0").message(body(alert))
                .messageAttributes(attributes);
        if (fifo) {
            b.messageGroupId(alert.getMeasure() == null ? "unknown" : alert.getMeasure());
            if (alert.getAlertId() != null) {
                b.messageDeduplicationId(dedupId(alert.getAlertId()));
            }
        }
        return b.build();
    }

    /**
     * @param alert the alert
     * @return the JSON body described in the class comment ({@link io.flightcontroller.adapters.json.AlertJson})
     */
    public static String body(Alert alert) {
        return io.flightcontroller.adapters.json.AlertJson.toJson(alert);
    }

    /**
     * @param entry an entry
     * @return its approximate size in bytes as SNS counts it: body plus attribute names and values, UTF-8
     */
    public static long sizeInBytes(PublishBatchRequestEntry entry) {
        long size = entry.message().getBytes(StandardCharsets.UTF_8).length;
        for (Map.Entry<String, MessageAttributeValue> a : entry.messageAttributes().entrySet()) {
            size += a.getKey().length() + a.getValue().dataType().length()
                    + a.getValue().stringValue().getBytes(StandardCharsets.UTF_8).length;
        }
        return size;
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

    private static void putAttribute(Map<String, MessageAttributeValue> attributes, String name, String value) {
        if (value != null && !value.isEmpty()) {
            attributes.put(name, MessageAttributeValue.builder().dataType("String").stringValue(value).build());
        }
    }
}
