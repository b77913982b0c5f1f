package io.flightcontroller.adapters.sns;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry;

/**
 * One alert as the SNS sink buffers, checkpoints and publishes it: the JSON body, the fields that become message
 * attributes, the FIFO ids, and what a dead letter needs (correlation id, deadline), so that the writer never parses
 * its own JSON. {@link #toRequestEntry} makes the SDK's {@link PublishBatchRequestEntry} at publish time.
 *
 * <p>Shape: message attributes (all {@code String}, for subscription filter policies) are {@code alert_id},
 * {@code severity}, {@code measure}, {@code kind} and {@code missing_step}, each only when set and not empty.
 * {@code deadlineMs} is epoch milliseconds (UTC). Immutable.
 */
public final class SnsAlertEntry implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String alertId;
    private final String kind;
    private final String severity;
    private final String measure;
    private final String missingStep;
    private final String correlationId;
    private final long deadlineMs;
    private final String message;
    private final String messageGroupId;
    private final String messageDeduplicationId;

    /**
     * @param alertId the alert's stable id, may be null
     * @param kind lower-case kind ({@code breach}, {@code timeout}, ...), may be null
     * @param severity severity, may be null
     * @param measure measure name, may be null
     * @param missingStep event type of the step a sequence did not reach, may be null
     * @param correlationId correlation id of the case, may be null (burn-rate alerts)
     * @param deadlineMs the alert's deadline, epoch ms
     * @param message the JSON body
     * @param messageGroupId FIFO group id, null for a standard topic
     * @param messageDeduplicationId FIFO de-duplication id, may be null
     */
    public SnsAlertEntry(
            String alertId,
            String kind,
            String severity,
            String measure,
            String missingStep,
            String correlationId,
            long deadlineMs,
            String message,
            String messageGroupId,
            String messageDeduplicationId) {
        this.alertId = alertId;
        this.kind = kind;
        this.severity = severity;
        this.measure = measure;
        this.missingStep = missingStep;
        this.correlationId = correlationId;
        this.deadlineMs = deadlineMs;
        this.message = Objects.requireNonNull(message, "message");
        this.messageGroupId = messageGroupId;
        this.messageDeduplicationId = messageDeduplicationId;
    }

    /** @return the alert's id, or null */
    public String alertId() {
        return alertId;
    }
    /** @return lower-case kind, or null */
    public String kind() {
        return kind;
    }
    /** @return severity, or null */
    public String severity() {
        return severity;
    }
    /** @return measure, or null */
    public String measure() {
        return measure;
    }
    /** @return the step a sequence did not reach, or null */
    public String missingStep() {
        return missingStep;
    }
    /** @return correlation id, or null */
    public String correlationId() {
        return correlationId;
    }
    /** @return deadline, epoch ms */
    public long deadlineMs() {
        return deadlineMs;
    }
    /** @return the JSON body */
    public String message() {
        return message;
    }
    /** @return FIFO group id, or null */
    public String messageGroupId() {
        return messageGroupId;
    }
    /** @return FIFO de-duplication id, or null */
    public String messageDeduplicationId() {
        return messageDeduplicationId;
    }

    /** @return the message attributes of the class comment, in a stable order */
    public Map<String, MessageAttributeValue> messageAttributes() {
        Map<String, MessageAttributeValue> a = new LinkedHashMap<>();
        put(a, "alert_id", alertId);
        put(a, "severity", severity);
        put(a, "measure", measure);
        put(a, "kind", kind);
        put(a, "missing_step", missingStep);
        return a;
    }

    /**
     * @param id the entry's id within its batch
     * @return the SDK entry
     */
    public PublishBatchRequestEntry toRequestEntry(String id) {
        return PublishBatchRequestEntry.builder()
                .id(id)
                .message(message)
                .messageAttributes(messageAttributes())
                .messageGroupId(messageGroupId)
                .messageDeduplicationId(messageDeduplicationId)
                .build();
    }

    /** @return the size in bytes as SNS counts it: body plus attribute names, types and values, UTF-8 */
    public long sizeInBytes() {
        long size = message.getBytes(StandardCharsets.UTF_8).length;
        for (Map.Entry<String, MessageAttributeValue> a : messageAttributes().entrySet()) {
            size += a.getKey().length()
                    + a.getValue().dataType().length()
                    + a.getValue().stringValue().getBytes(StandardCharsets.UTF_8).length;
        }
        return size;
    }

    private static void put(Map<String, MessageAttributeValue> attributes, String name, String value) {
        if (value != null && !value.isEmpty()) {
            attributes.put(
                    name,
                    MessageAttributeValue.builder()
                            .dataType("String")
                            .stringValue(value)
                            .build());
        }
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof SnsAlertEntry)) {
            return false;
        }
        SnsAlertEntry e = (SnsAlertEntry) o;
        return deadlineMs == e.deadlineMs
                && Objects.equals(alertId, e.alertId)
                && Objects.equals(kind, e.kind)
                && Objects.equals(severity, e.severity)
                && Objects.equals(measure, e.measure)
                && Objects.equals(missingStep, e.missingStep)
                && Objects.equals(correlationId, e.correlationId)
                && message.equals(e.message)
                && Objects.equals(messageGroupId, e.messageGroupId)
                && Objects.equals(messageDeduplicationId, e.messageDeduplicationId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(alertId, kind, measure, correlationId, deadlineMs, message);
    }

    @Override
    public String toString() {
        return "SnsAlertEntry{alertId=" + alertId + ", kind=" + kind + ", measure=" + measure + ", correlationId="
                + correlationId + "}";
    }
}
