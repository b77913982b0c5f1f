package io.flightcontroller.adapters.sns;

import io.flightcontroller.adapters.AwsClients;
import io.flightcontroller.adapters.DeadLetterHandler;
import io.flightcontroller.adapters.RetryBackoff;
import io.flightcontroller.adapters.RetryingAsyncSink;
import io.flightcontroller.adapters.RetryingSinkWriter;
import io.flightcontroller.domain.Alert;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.config.AsyncSinkWriterConfiguration;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.services.sns.SnsAsyncClient;
import software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry;

import java.time.Duration;
import java.util.Collection;

/**
 * Publishes {@link Alert}s to an Amazon SNS topic (standard or FIFO) with PublishBatch, on Flink's AsyncSinkBase:
 * batching (at most 10 alerts and 256 KiB per call, the SNS limits), in-flight limits, buffering and flushing on
 * checkpoints come from Flink; retries with backoff and dead-lettering from {@link SnsAlertSinkWriter}.
 *
 * <p>Delivery is at least once: an alert buffered at a checkpoint is kept in the checkpoint, and a restart may publish
 * an alert twice (FIFO topics de-duplicate it by alert id within SNS's 5-minute de-duplication interval). An alert is
 * never dropped silently: it is published, or handed to the {@link DeadLetterHandler} and counted in
 * {@code numAlertsDeadLettered}. Only configuration errors (missing topic, credentials, permissions) fail the job.
 *
 * <p>Build it with {@link #builder()}.
 */
public class SnsAlertSink extends RetryingAsyncSink<Alert, PublishBatchRequestEntry> {
    private static final long serialVersionUID = 1L;

    private final String topicArn;
    private final String region;
    private final String endpoint;
    private final int maxAttempts;
    private final RetryBackoff backoff;
    private final DeadLetterHandler deadLetters;

    SnsAlertSink(String topicArn, String region, String endpoint, int maxAttempts, int maxBatchSize, int maxInFlight,
            int maxBuffered, long maxTimeInBufferMs, RetryBackoff backoff, DeadLetterHandler deadLetters) {
        super(new SnsAlertElementConverter(topicArn), maxBatchSize, maxInFlight, maxBuffered,
                SnsSinkOptions.SNS_MAX_PAYLOAD_BYTES, maxTimeInBufferMs, SnsSinkOptions.SNS_MAX_PAYLOAD_BYTES);
        this.topicArn = topicArn;
        this.region = region;
        this.endpoint = endpoint;
        this.maxAttempts = maxAttempts;
        this.backoff = backoff;
        this.deadLetters = deadLetters;
    }

    /** @return a builder with the defaults of {@link SnsSinkOptions} */
    public static SnsAlertSinkBuilder builder() {
        return new SnsAlertSinkBuilder();
    }

    /** @return the topic ARN */
    public String getTopicArn() {
        return topicArn;
    }

    @Override
    protected RetryingSinkWriter<Alert, PublishBatchRequestEntry> createWriter(
            WriterInitContext context, Collection<BufferedRequestState<PublishBatchRequestEntry>> states) {
        AsyncSinkWriterConfiguration config = AsyncSinkWriterConfiguration.builder()
                .setMaxBatchSize(getMaxBatchSize()).setMaxBatchSizeInBytes(getMaxBatchSizeInBytes())
                .setMaxInFlightRequests(getMaxInFlightRequests()).setMaxBufferedRequests(getMaxBufferedRequests())
                .setMaxTimeInBufferMS(getMaxTimeInBufferMS()).setMaxRecordSizeInBytes(getMaxRecordSizeInBytes())
                .build();
        SnsAsyncClient client = AwsClients.configure(SnsAsyncClient.builder(), region, endpoint,
                Duration.ofSeconds(30))
                .httpClientBuilder(NettyNioAsyncHttpClient.builder().maxConcurrency(getMaxInFlightRequests() * 2))
                .build();
        return new SnsAlertSinkWriter(getElementConverter(), context, config, states, deadLetters, backoff,
                maxAttempts, client, topicArn);
    }
}
