package io.flightcontroller.adapters.sns;

import io.flightcontroller.adapters.DeadLetterHandler;
import io.flightcontroller.adapters.RetryingSinkOptions;
import io.flightcontroller.adapters.RetryingSinkWriter;
import io.flightcontroller.adapters.SinkErrorClassifier;
import io.flightcontroller.domain.event.DeadLetter;
import io.flightcontroller.domain.result.Alert;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.ElementConverter;
import org.apache.flink.connector.base.sink.writer.ResultHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sns.SnsAsyncClient;
import software.amazon.awssdk.services.sns.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sns.model.PublishBatchRequest;
import software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry;
import software.amazon.awssdk.services.sns.model.PublishBatchResponse;
import software.amazon.awssdk.services.sns.model.PublishBatchResultEntry;

/**
 * Publishes batches of up to 10 alerts with SNS PublishBatch and settles each entry: published, retried (throttling,
 * server errors, network errors, entries missing from the answer) or dead-lettered (rejected by SNS as the sender's
 * fault, or out of attempts). Configuration and permission errors fail the job through Flink's fatal-exception path
 * with a message naming the topic and the SNS error ({@link #ERRORS}).
 */
public class SnsAlertSinkWriter extends RetryingSinkWriter<Alert, SnsAlertEntry> {
    private static final Logger LOG = LoggerFactory.getLogger(SnsAlertSinkWriter.class);
    /**
     * SNS's error classification: bad credentials, missing topic, access denied, invalid request and KMS problems are
     * fatal; throttling codes are retried with backoff; anything else (5xx, network, unknown codes) is retried too.
     */
    public static final SinkErrorClassifier ERRORS = SinkErrorClassifier.builder()
            .fatalCodes(
                    "NotFound",
                    "NotFoundException",
                    "ResourceNotFound",
                    "AuthorizationError",
                    "AccessDenied",
                    "AccessDeniedException",
                    "InvalidClientTokenId",
                    "UnrecognizedClientException",
                    "SignatureDoesNotMatch",
                    "IncompleteSignature",
                    "MissingAuthenticationToken",
                    "ExpiredToken",
                    "InvalidParameter",
                    "InvalidParameterValue",
                    "ValidationError",
                    "InvalidSecurity",
                    "KMSAccessDenied",
                    "KMSDisabled",
                    "KMSInvalidState",
                    "KMSNotFound",
                    "KMSOptInRequired")
            .throttlingCodes(
                    "Throttling",
                    "ThrottlingException",
                    "Throttled",
                    "TooManyRequestsException",
                    "RequestLimitExceeded",
                    "KMSThrottling")
            .build();
    /** Name of the counter of alerts handed to the dead-letter handler. */
    public static final String DEAD_LETTER_COUNTER = "numAlertsDeadLettered";
    /** Dead-letter stage of this sink. */
    public static final String STAGE = "sink:sns";

    private final SnsAsyncClient client;
    private final String topicArn;

    SnsAlertSinkWriter(
            ElementConverter<Alert, SnsAlertEntry> converter,
            WriterInitContext context,
            RetryingSinkOptions options,
            Collection<BufferedRequestState<SnsAlertEntry>> states,
            DeadLetterHandler deadLetters,
            SnsAsyncClient client,
            String topicArn) {
        super(converter, context, options, states, deadLetters, DEAD_LETTER_COUNTER);
        this.client = client;
        this.topicArn = topicArn;
    }

    @Override
    protected void submitRequestEntries(List<SnsAlertEntry> entries, ResultHandler<SnsAlertEntry> handler) {
        List<PublishBatchRequestEntry> numbered = new ArrayList<>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            numbered.add(entries.get(i).toRequestEntry(Integer.toString(i)));
        }
        PublishBatchRequest request = PublishBatchRequest.builder()
                .topicArn(topicArn)
                .publishBatchRequestEntries(numbered)
                .build();
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

    private void onRequestError(List<SnsAlertEntry> entries, Throwable error, ResultHandler<SnsAlertEntry> handler) {
        Throwable cause = SinkErrorClassifier.unwrap(error);
        SinkErrorClassifier.Outcome outcome = ERRORS.classify(cause);
        if (outcome == SinkErrorClassifier.Outcome.FATAL) {
            handler.completeExceptionally(new SnsSinkException(
                    "SNS rejected PublishBatch to " + topicArn
                            + " with a non-retryable error (check the topic ARN, region, credentials and IAM permissions "
                            + "sns:Publish): " + cause.getMessage(),
                    cause));
            return;
        }
        LOG.debug(
                "PublishBatch to {} failed ({}), retrying {} entries: {}",
                topicArn,
                outcome,
                entries.size(),
                cause.toString());
        failedRequest(entries, "PublishBatch failed (" + outcome + "): " + cause, handler);
    }

    private void onResponse(
            List<SnsAlertEntry> entries, PublishBatchResponse response, ResultHandler<SnsAlertEntry> handler) {
        Set<String> settled = new HashSet<>();
        for (PublishBatchResultEntry ok : response.successful()) {
            settled.add(ok.id());
            succeeded(entries.get(Integer.parseInt(ok.id())));
        }
        List<SnsAlertEntry> retries = new ArrayList<>();
        for (BatchResultErrorEntry failed : response.failed()) {
            settled.add(failed.id());
            SnsAlertEntry entry = entries.get(Integer.parseInt(failed.id()));
            String detail = "SNS " + failed.code() + ": " + failed.message();
            SinkErrorClassifier.Outcome outcome = ERRORS.classify(failed.code(), failed.message(), 0);
            if (Boolean.TRUE.equals(failed.senderFault()) && outcome != SinkErrorClassifier.Outcome.THROTTLED) {
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
    protected long getSizeInBytes(SnsAlertEntry entry) {
        return entry.sizeInBytes();
    }

    @Override
    protected DeadLetter toDeadLetter(SnsAlertEntry entry, String detail) {
        return DeadLetter.of(
                        STAGE, DeadLetter.REASON_SINK_REJECTED, detail + " [topic " + topicArn + "]", entry.message())
                .withEvent(entry.correlationId(), entry.deadlineMs());
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
