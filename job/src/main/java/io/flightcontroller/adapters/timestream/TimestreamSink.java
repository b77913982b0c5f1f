package io.flightcontroller.adapters.timestream;

import io.flightcontroller.adapters.AwsClients;
import io.flightcontroller.adapters.DeadLetterHandler;
import io.flightcontroller.adapters.RetryingAsyncSink;
import io.flightcontroller.adapters.RetryingSinkWriter;
import io.flightcontroller.adapters.metrics.MetricPoint;
import java.time.Duration;
import java.util.Collection;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.services.timestreamwrite.TimestreamWriteAsyncClient;
import software.amazon.awssdk.services.timestreamwrite.model.Record;

/**
 * Writes {@link MetricPoint}s to an Amazon Timestream for LiveAnalytics table with WriteRecords, as multi-measure
 * records ({@code MeasureValueType MULTI}; see {@link TimestreamRecordConverter}), on Flink's AsyncSinkBase: batching
 * (at most {@value TimestreamSinkOptions#MAX_RECORDS_PER_WRITE} records per call, the WriteRecords quota in
 * https://docs.aws.amazon.com/timestream/latest/developerguide/ts-limits.html), in-flight limits, buffering and
 * flushing on checkpoints come from Flink; retries with backoff and dead-lettering from {@link TimestreamSinkWriter}.
 *
 * <p><b>Record version.</b> Timestream stores one record per (dimensions, measure name, time). A write with the same
 * key replaces the stored record only when its {@code Version} is higher; with an equal or lower version it is
 * accepted when the measure values are identical and rejected otherwise. The job's wiring sets the version to the
 * <em>wall-clock time in ms when the point was mapped</em> (processing time, see {@code MetricPoints}). Consequences:
 * <ul>
 *   <li>a replay or a restart from a checkpoint re-maps the records with a later time, so they upsert instead of being
 *       rejected, and a corrected value (e.g. a late or after-timeout correction with the same key) always wins;</li>
 *   <li>a retry of a buffered record keeps its version (the record object is reused and checkpointed), and identical
 *       values are accepted whatever the version;</li>
 *   <li>trade-off: last write wins, so during a replay an older value briefly replaces a newer one until the replay
 *       re-emits the newer one; and versions depend on task-manager clocks (records of one key come from one subtask,
 *       so clock skew between machines matters only across a rescale within milliseconds). A version derived from the
 *       content (a hash) would make an identical replay idempotent but would reject a correction whose hash happens to
 *       be lower, which is why it was not chosen.</li>
 * </ul>
 *
 * <p><b>Old records.</b> Timestream's memory store only accepts records newer than the table's
 * {@code MemoryStoreRetentionPeriodInHours}. Late data and replays of old events need magnetic-store writes enabled on
 * the table ({@code MagneticStoreWriteProperties.EnableMagneticStoreWrites=true}, as the CDK stack does); without
 * them Timestream rejects such records and the sink dead-letters them with Timestream's reason and a hint.
 *
 * <p>Records buffered at a checkpoint are kept in it, field by field ({@link TimestreamRecordStateSerializer}).
 * Delivery is at least once (upserts make duplicates harmless). Only configuration errors (missing database or
 * table, credentials, permissions) fail the job. Build it with {@link #builder()}.
 */
public class TimestreamSink extends RetryingAsyncSink<MetricPoint, Record> {
    private static final long serialVersionUID = 1L;

    private final TimestreamSinkOptions options;

    TimestreamSink(TimestreamSinkOptions options, DeadLetterHandler deadLetters) {
        super(new TimestreamRecordConverter(), options.getRetry(), deadLetters);
        this.options = options;
    }

    /** @return a builder with the defaults of {@link TimestreamSinkOptions} */
    public static TimestreamSinkBuilder builder() {
        return new TimestreamSinkBuilder();
    }

    /** @return database name */
    public String getDatabase() {
        return options.getDatabase();
    }
    /** @return table name */
    public String getTable() {
        return options.getTable();
    }
    /** @return the validated options */
    public TimestreamSinkOptions getOptions() {
        return options;
    }

    @Override
    protected RetryingSinkWriter<MetricPoint, Record> createWriter(
            WriterInitContext context, Collection<BufferedRequestState<Record>> states) {
        String endpoint = options.getEndpoint();
        boolean overridden = endpoint != null && !endpoint.isEmpty();
        TimestreamWriteAsyncClient client = AwsClients.configure(
                        TimestreamWriteAsyncClient.builder(), options.getRegion(), endpoint, Duration.ofSeconds(30))
                // Timestream requires endpoint discovery on AWS; an endpoint override (tests, VPC endpoints) is used as
                // is
                .endpointDiscoveryEnabled(!overridden)
                .httpClientBuilder(NettyNioAsyncHttpClient.builder().maxConcurrency(getMaxInFlightRequests() * 2))
                .build();
        return new TimestreamSinkWriter(
                getElementConverter(),
                context,
                getRetryOptions(),
                states,
                getDeadLetterHandler(),
                client,
                options.getDatabase(),
                options.getTable());
    }

    @Override
    public SimpleVersionedSerializer<BufferedRequestState<Record>> getWriterStateSerializer() {
        return new TimestreamRecordStateSerializer();
    }
}
