package io.flightcontroller.adapters.sns;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flightcontroller.adapters.DeadLetterHandler;
import io.flightcontroller.adapters.RetryBackoff;
import io.flightcontroller.adapters.RetryingSinkWriter;
import io.flightcontroller.domain.Alert;
import io.flightcontroller.domain.DeadLetter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.ElementConverter;
import org.apache.flink.connector.base.sink.writer.ResultHandler;
import org.apache.flink.connector.base.sink.writer.config.AsyncSinkWriterConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sns.SnsAsyncClient;
import software.amazon.awssdk.services.sns.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sns.model.PublishBatchRequest;
import software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry;
import software.amazon.awssdk.services.sns.model.PublishBatchResponse;
import software.amazon.awssdk.services.sns.model.PublishBatchResultEntry;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Publishes batches of up to 10 alerts with SNS PublishBatch and settles each entry: published, retried (throttling,
 * server errors, network errors, entries missing from the answer) or dead-lettered (rejected by SNS as the sender's
 * fault, or out of attempts). Configuration and permission errors fail the job through Flink's fatal-exception path
 * with a message naming the topic and the SNS error ({@link SnsExceptionClassifier}).
 */
public class SnsAlertSinkWriter extends RetryingSinkWriter<Alert, PublishBatchRequestEntry> {
    private static final Logger LOG = LoggerFactory.getLogger(SnsAlertSinkWriter.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Name of the counter of alerts handed to the dead-letter handler. */
    public static final String DEAD_LETTER_COUNTER = "numAlertsDeadLettered";
    /** Dead-letter stage of this sink. */
    public static final String STAGE = "sink:sns";

    private final SnsAsyncClient client;
    private final String topicArn;

    SnsAlertSinkWriter(ElementConverter<Alert, PublishBatchRequestEntry> converter, WriterInitContext context,
            AsyncSinkWriterConfiguration configuration, Collection<BufferedRequestState<PublishBatchRequestEntry>> states,
            DeadLetterHandler deadLetters, RetryBackoff backoff, int maxAttempts, SnsAsyncClient client,
            String topicArn) {
        super(converter, context, configuration, states, deadLetters, backoff, maxAttempts, DEAD_LETTER_COUNTER);
        this.client = client;
        this.topicArn = topicArn;
    }

    @Override
    protected void submitRequestEntries(List<PublishBatchRequestEntry> entries,
            ResultHandler<PublishBatchRequestEntry> handler) {
        List<PublishBatchRequestEntry> numbered = new ArrayList<>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            numbered.add(entries.get(i).toBuilder().id(Integer.toString(i)).build());
        }
        PublishBatchRequest request = PublishBatchRequest.builder().topicArn(topicArn)
                .publishBatchRequestEntries(numbered).build();
        client.publishBatch(request).whenComplete((response, error) -> {
            try {
                if (error != null) {
                    onRequestError(entries, error, handler);
                } else {
                    onResponse(entries, response, handler);
                }
            } catch (RuntimeException e) {
                handler.completeExceptionally(e);
            }
        });
    }

    private void onRequestError(List<PublishBatchRequestEntry> entries, Throwable error,
            ResultHandler<PublishBatchRequestEntry> handler) {
        Throwable cause = SnsExceptionClassifier.unwrap(error);
        SnsExceptionClassifier.Outcome outcome = SnsExceptionClassifier.classify(cause);
        if (outcome == SnsExceptionClassifier.Outcome.FATAL) {
            handler.completeExceptionally(new SnsSinkException("SNS rejected PublishBatch to " + topicArn
                    + " with a non-retryable error (check the topic ARN, region, credentials and IAM permissions "
                    + "sns:Publish): " + cause.getMessage(), cause));
            return;
        }
        LOG.debug("PublishBatch to {} failed ({}), retrying {} entries: {}", topicArn, outcome, entries.size(),
                cause.toString());
        failedRequest(entries, "PublishBatch failed (" + outcome + "): " + cause, handler);
    }

    private void onResponse(List<PublishBatchRequestEntry> entries, PublishBatchResponse response,
            ResultHandler<PublishBatchRequestEntry> handler) {
        Set<String> settled = new HashSet<>();
        for (PublishBatchResultEntry ok : response.successful()) {
            settled.add(ok.id());
            succeeded(entries.get(Integer.parseInt(ok.id())));
        }
        List<PublishBatchRequestEntry> retries = new ArrayList<>();
        for (BatchResultErrorEntry failed : response.failed()) {
            settled.add(failed.id());
            PublishBatchRequestEntry entry = entries.get(Integer.parseInt(failed.id()));
            String detail = "SNS " + failed.code() + ": " + failed.message();
            SnsExceptionClassifier.Outcome outcome = SnsExceptionClassifier.classify(failed.code(), failed.message(),
                    0);
            if (Boolean.TRUE.equals(failed.senderFault()) && outcome != SnsExceptionClassifier.Outcome.THROTTLED) {
                // the message itself is invalid for this topic: retrying cannot succeed
                deadLetter(entry, detail);
            } else {
                failedAttempt(entry, detail, retries);
            }
        }
        for (int i = 0; i < entries.size(); i++) {
            if (!settled.contains(Integer.toString(i))) {
                LOG.warn("entry {} missing from the PublishBatch answer of {}, retrying: {}", i, topicArn, response);
                failedAttempt(entries.get(i), "entry missing from the PublishBatch answer", retries);
            }
        }
        finish(retries, handler);
    }

    @Override
    protected long getSizeInBytes(PublishBatchRequestEntry entry) {
        return SnsAlertElementConverter.sizeInBytes(entry);
    }

    @Override
    protected DeadLetter toDeadLetter(PublishBatchRequestEntry entry, String detail) {
        DeadLetter d = DeadLetter.of(STAGE, DeadLetter.REASON_SINK_REJECTED, detail + " [topic " + topicArn + "]",
                entry.message());
        try {
            JsonNode body = MAPPER.readTree(entry.message());
            String correlationId = body.path("correlation_id").asText(null);
            Long time = body.has("deadline") ? Instant.parse(body.get("deadline").asText()).toEpochMilli() : null;
            d.withEvent(correlationId, time);
        } catch (Exception e) {
            LOG.debug("dead-lettered SNS entry body is not the expected JSON", e);
        }
        return d;
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
