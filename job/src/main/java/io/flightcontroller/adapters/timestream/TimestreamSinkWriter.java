package io.flightcontroller.adapters.timestream;

import io.flightcontroller.adapters.DeadLetterHandler;
import io.flightcontroller.adapters.RetryingSinkOptions;
import io.flightcontroller.adapters.RetryingSinkWriter;
import io.flightcontroller.adapters.SinkErrorClassifier;
import io.flightcontroller.adapters.metrics.MetricPoint;
import io.flightcontroller.domain.event.DeadLetter;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.ElementConverter;
import org.apache.flink.connector.base.sink.writer.ResultHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.timestreamwrite.TimestreamWriteAsyncClient;
import software.amazon.awssdk.services.timestreamwrite.model.Record;
import software.amazon.awssdk.services.timestreamwrite.model.RejectedRecord;
import software.amazon.awssdk.services.timestreamwrite.model.RejectedRecordsException;
import software.amazon.awssdk.services.timestreamwrite.model.WriteRecordsRequest;

/**
 * Writes batches of up to 100 multi-measure records with Timestream WriteRecords and settles each record: written,
 * retried (throttling, server and network errors), or dead-lettered.
 *
 * <p>A {@link RejectedRecordsException} (HTTP 419) means Timestream stored the batch's other records and rejected the
 * listed ones for good (time outside the ingestion window, a version conflict, a schema mismatch): the rejected
 * records go to the {@link DeadLetterHandler} with Timestream's reason and are counted ({@value #DEAD_LETTER_COUNTER},
 * {@code numRecordsOutErrors}), the others count as written, and nothing is retried, so a rejected record can never
 * restart-loop the job. A record rejected for its time gets a reason that says what to change (magnetic-store writes).
 * Configuration and permission errors fail the job through Flink's fatal-exception path
 * ({@link #ERRORS}).
 */
public class TimestreamSinkWriter extends RetryingSinkWriter<MetricPoint, Record> {
    private static final Logger LOG = LoggerFactory.getLogger(TimestreamSinkWriter.class);
    /** Name of the counter of records handed to the dead-letter handler. */
    public static final String DEAD_LETTER_COUNTER = "numTimestreamRecordsDeadLettered";
    /** Dead-letter stage of this sink. */
    public static final String STAGE = "sink:timestream";
    /**
     * Timestream's error classification: missing database or table, credentials, permissions and a wrong endpoint
     * are fatal; throttling is retried with backoff; a {@code ValidationException} of the request dead-letters the
     * batch (the records themselves are malformed, and failing the job would restart-loop on the same records);
     * anything else is retried. Per-record rejections ({@code RejectedRecordsException}) are read record by record.
     */
    public static final SinkErrorClassifier ERRORS = SinkErrorClassifier.builder()
            .fatalCodes(
                    "ResourceNotFoundException",
                    "AccessDeniedException",
                    "InvalidEndpointException",
                    "UnrecognizedClientException",
                    "InvalidClientTokenId",
                    "InvalidSignatureException",
                    "SignatureDoesNotMatch",
                    "IncompleteSignature",
                    "MissingAuthenticationToken",
                    "ExpiredTokenException",
                    "ExpiredToken",
                    "ServiceQuotaExceededException")
            .throttlingCodes("ThrottlingException", "Throttling", "TooManyRequestsException", "RequestLimitExceeded")
            .invalidRequestCodes("ValidationException")
            .build();

    private final TimestreamWriteAsyncClient client;
    private final String database;
    private final String table;

    TimestreamSinkWriter(
            ElementConverter<MetricPoint, Record> converter,
            WriterInitContext context,
            RetryingSinkOptions options,
            Collection<BufferedRequestState<Record>> states,
            DeadLetterHandler deadLetters,
            TimestreamWriteAsyncClient client,
            String database,
            String table) {
        super(converter, context, options, states, deadLetters, DEAD_LETTER_COUNTER);
        this.client = client;
        this.database = database;
        this.table = table;
    }

    @Override
    protected void submitRequestEntries(List<Record> entries, ResultHandler<Record> handler) {
        WriteRecordsRequest request = WriteRecordsRequest.builder()
                .databaseName(database)
                .tableName(table)
                .records(entries)
                .build();
        client.writeRecords(request).whenComplete((response, error) -> {
            try {
                if (error == null) {
                    for (Record r : entries) {
                        succeeded(r);
                    }
                    handler.complete();
                } else {
                    onError(entries, error, handler);
                }
            } catch (RuntimeException e) {
                handler.completeExceptionally(e);
            }
        });
    }

    private void onError(List<Record> entries, Throwable error, ResultHandler<Record> handler) {
        Throwable cause = SinkErrorClassifier.unwrap(error);
        if (cause instanceof RejectedRecordsException) {
            onRejected(entries, (RejectedRecordsException) cause, handler);
            return;
        }
        SinkErrorClassifier.Outcome outcome = ERRORS.classify(cause);
        switch (outcome) {
            case FATAL:
                handler.completeExceptionally(new TimestreamSinkException(
                        "Timestream rejected WriteRecords to "
                                + target() + " with a non-retryable error (check the database and table names, region, "
                                + "credentials and IAM permissions timestream:WriteRecords and timestream:DescribeEndpoints): "
                                + cause.getMessage(),
                        cause));
                return;
            case INVALID_REQUEST:
                for (Record r : entries) {
                    deadLetter(r, "Timestream ValidationException for the batch: " + cause.getMessage());
                }
                handler.complete();
                return;
            default:
                LOG.debug(
                        "WriteRecords to {} failed ({}), retrying {} records: {}",
                        target(),
                        outcome,
                        entries.size(),
                        cause.toString());
                failedRequest(entries, "WriteRecords failed (" + outcome + "): " + cause, handler);
        }
    }

    private void onRejected(List<Record> entries, RejectedRecordsException e, ResultHandler<Record> handler) {
        Map<Integer, RejectedRecord> rejected = new HashMap<>();
        for (RejectedRecord r : e.rejectedRecords()) {
            if (r.recordIndex() != null && r.recordIndex() >= 0 && r.recordIndex() < entries.size()) {
                rejected.put(r.recordIndex(), r);
            }
        }
        if (rejected.isEmpty()) {
            // nothing to attribute: Timestream said "rejected" without a usable index; retry the batch (the stored
            // records upsert idempotently) and let the attempt limit end it
            failedRequest(entries, "RejectedRecordsException without record indexes: " + e.getMessage(), handler);
            return;
        }
        for (int i = 0; i < entries.size(); i++) {
            RejectedRecord r = rejected.get(i);
            if (r == null) {
                succeeded(entries.get(i));
            } else {
                deadLetter(entries.get(i), rejectionDetail(entries.get(i), r));
            }
        }
        LOG.warn(
                "Timestream rejected {} of {} records written to {}; they went to the dead-letter handler",
                rejected.size(),
                entries.size(),
                target());
        handler.complete();
    }

    /**
     * @param record the rejected record
     * @param r Timestream's rejection
     * @return the dead letter's detail: Timestream's reason, with what to do for a record outside the ingestion window
     */
    static String rejectionDetail(Record record, RejectedRecord r) {
        String reason = r.reason() == null ? "(no reason given)" : r.reason();
        StringBuilder s = new StringBuilder("Timestream rejected the record: ").append(reason);
        if (r.existingVersion() != null) {
            s.append(" [existing version ")
                    .append(r.existingVersion())
                    .append(", this record's version ")
                    .append(record.version())
                    .append(']');
        }
        String lower = reason.toLowerCase(Locale.ROOT);
        if (lower.contains("time range") || lower.contains("ingestion window") || lower.contains("retention")) {
            s.append(" [record time ")
                    .append(timeText(record))
                    .append(": older than the table's memory-store "
                            + "retention (or more than 15 minutes ahead). Enable magnetic-store writes on the table "
                            + "(MagneticStoreWriteProperties.EnableMagneticStoreWrites) to store late records, or raise "
                            + "MemoryStoreRetentionPeriodInHours]");
        }
        return s.toString();
    }

    private static String timeText(Record record) {
        try {
            return Instant.ofEpochMilli(Long.parseLong(record.time())).toString();
        } catch (RuntimeException e) {
            return record.time();
        }
    }

    private String target() {
        return database + "." + table;
    }

    @Override
    protected long getSizeInBytes(Record entry) {
        return TimestreamRecordConverter.sizeInBytes(entry);
    }

    @Override
    protected DeadLetter toDeadLetter(Record entry, String detail) {
        Long time = null;
        try {
            time = Long.parseLong(entry.time());
        } catch (RuntimeException ignored) {
            // keep null
        }
        return DeadLetter.of(
                        STAGE, DeadLetter.REASON_SINK_REJECTED, detail + " [table " + target() + "]", entry.toString())
                .withEvent(TimestreamRecordConverter.dimension(entry, "correlation_id"), time);
    }

    @Override
    public void close() {
        try {
            super.close();
        } finally {
            client.close();
        }
    }
}
