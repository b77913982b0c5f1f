package io.flightcontroller.adapters.sns;

import io.flightcontroller.adapters.SinkStateSerializer;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Checkpoint serializer of the alerts an {@link SnsAlertSinkWriter} holds in its buffer: each {@link SnsAlertEntry}'s
 * fields, explicitly (no Java serialization of SDK objects).
 *
 * <p>Shape (format {@value SinkStateSerializer#VERSION}, strings as in {@link SinkStateSerializer}): alert id, kind,
 * severity, measure, missing step, correlation id, deadline (long, epoch ms), message body, FIFO group id, FIFO
 * de-duplication id.
 */
public class SnsAlertStateSerializer extends SinkStateSerializer<SnsAlertEntry> {

    /** A serializer of the current format. */
    public SnsAlertStateSerializer() {
        super("SNS sink");
    }

    @Override
    protected void serializeRequestToStream(SnsAlertEntry e, DataOutputStream out) throws IOException {
        writeString(e.alertId(), out);
        writeString(e.kind(), out);
        writeString(e.severity(), out);
        writeString(e.measure(), out);
        writeString(e.missingStep(), out);
        writeString(e.correlationId(), out);
        out.writeLong(e.deadlineMs());
        writeString(e.message(), out);
        writeString(e.messageGroupId(), out);
        writeString(e.messageDeduplicationId(), out);
    }

    @Override
    protected SnsAlertEntry deserializeRequestFromStream(long requestSize, DataInputStream in) throws IOException {
        String alertId = readString(in);
        String kind = readString(in);
        String severity = readString(in);
        String measure = readString(in);
        String missingStep = readString(in);
        String correlationId = readString(in);
        long deadlineMs = in.readLong();
        String message = readString(in);
        if (message == null) {
            throw new IOException("corrupt SNS sink state: an alert without a message body");
        }
        return new SnsAlertEntry(
                alertId,
                kind,
                severity,
                measure,
                missingStep,
                correlationId,
                deadlineMs,
                message,
                readString(in),
                readString(in));
    }
}
