package io.flightcontroller.app;

import io.flightcontroller.adapters.kinesis.KinesisSourceOptions;
import io.flightcontroller.adapters.kinesis.KinesisSources;
import io.flightcontroller.adapters.parse.EventParser;
import io.flightcontroller.domain.event.ParsedRecord;
import io.flightcontroller.pipeline.PipelineOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The Kinesis input of {@link ManagedFlinkJob} on the Flink 1.20 line: {@link KinesisSources#create}
 * ({@code FlinkKinesisConsumer} of {@code flink-connector-kinesis} 4.3.0). The {@code src/flink2} variant of this
 * class refuses a Kinesis source (README, "Flink 2").
 *
 * <p>Shape: one static method; the stream carries event-time timestamps and per-shard watermarks, operator uid
 * {@value KinesisSources#UID}.
 */
final class KinesisInput {
    /** Whether this build has a Kinesis source: on the Flink 1.20 line, a Kinesis source ({@code FlinkKinesisConsumer}). */
    static final boolean AVAILABLE = true;

    private KinesisInput() {}

    /**
     * @param env the environment
     * @param options validated source settings
     * @param pipeline out-of-orderness, idle timeout, future-time skew
     * @return parsed records with timestamps and watermarks
     */
    static DataStream<ParsedRecord> create(
            StreamExecutionEnvironment env, KinesisSourceOptions options, PipelineOptions pipeline) {
        return KinesisSources.create(
                env,
                options,
                pipeline.getOutOfOrderness(),
                pipeline.getIdleTimeout(),
                new EventParser().withMaxFutureSkew(pipeline.getMaxFutureSkew()));
    }
}
