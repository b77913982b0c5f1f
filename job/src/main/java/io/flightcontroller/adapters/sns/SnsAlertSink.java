package io.flightcontroller.adapters.sns;

import io.flightcontroller.adapters.AwsClients;
import io.flightcontroller.adapters.DeadLetterHandler;
import io.flightcontroller.adapters.RetryingAsyncSink;
import io.flightcontroller.adapters.RetryingSinkWriter;
import io.flightcontroller.domain.result.Alert;
import java.time.Duration;
import java.util.Collection;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.services.sns.SnsAsyncClient;

/**
 * Publishes {@link Alert}s to an Amazon SNS topic (standard or FIFO) with PublishBatch, on Flink's AsyncSinkBase:
 * batching (at most 10 alerts and 256 KiB per call, the SNS limits), in-flight limits, buffering and flushing on
 * checkpoints come from Flink; retries with backoff and dead-lettering from {@link SnsAlertSinkWriter}.
 *
 * <p>Delivery is at least once: an alert buffered at a checkpoint is kept in the checkpoint
 * ({@link SnsAlertStateSerializer}), and a restart may publish an alert twice (FIFO topics de-duplicate it by alert id
 * within SNS's 5-minute de-duplication interval; subscribers of a standard topic de-duplicate by the {@code alert_id}
 * message attribute). An alert is never dropped silently: it is published, or handed to the {@link DeadLetterHandler}
 * and counted in {@code numAlertsDeadLettered}. Only configuration errors (missing topic, credentials, permissions)
 * fail the job.
 *
 * <p>Build it with {@link #builder()}.
 */
public class SnsAlertSink extends RetryingAsyncSink<Alert, SnsAlertEntry> {
    private static final long serialVersionUID = 1L;

    private final SnsSinkOptions options;

    SnsAlertSink(SnsSinkOptions options, DeadLetterHandler deadLetters) {
        super(new SnsAlertElementConverter(options.getTopicArn()), options.getRetry(), deadLetters);
        this.options = options;
    }

    /** @return a builder with the defaults of {@link SnsSinkOptions} */
    public static SnsAlertSinkBuilder builder() {
        return new SnsAlertSinkBuilder();
    }

    /** @return the topic ARN */
    public String getTopicArn() {
        return options.getTopicArn();
    }

    /** @return the validated options */
    public SnsSinkOptions getOptions() {
        return options;
    }

    @Override
    protected RetryingSinkWriter<Alert, SnsAlertEntry> createWriter(
            WriterInitContext context, Collection<BufferedRequestState<SnsAlertEntry>> states) {
        SnsAsyncClient client = AwsClients.configure(
                        SnsAsyncClient.builder(), options.getRegion(), options.getEndpoint(), Duration.ofSeconds(30))
                .httpClientBuilder(NettyNioAsyncHttpClient.builder().maxConcurrency(getMaxInFlightRequests() * 2))
                .build();
        return new SnsAlertSinkWriter(
                getElementConverter(),
                context,
                getRetryOptions(),
                states,
                getDeadLetterHandler(),
                client,
                options.getTopicArn());
    }

    @Override
    public SimpleVersionedSerializer<BufferedRequestState<SnsAlertEntry>> getWriterStateSerializer() {
        return new SnsAlertStateSerializer();
    }
}
