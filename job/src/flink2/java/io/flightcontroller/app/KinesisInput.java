package io.flightcontroller.app;

import io.flightcontroller.adapters.kinesis.KinesisSourceOptions;
import io.flightcontroller.config.RuntimePropertyKeys;
import io.flightcontroller.domain.event.ParsedRecord;
import io.flightcontroller.pipeline.PipelineOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The Kinesis input of {@link ManagedFlinkJob} on the Flink 2 line: there is none. The job's Kinesis source,
 * {@code FlinkKinesisConsumer}, is a {@code SourceFunction}, which Flink 2 removed; its successor, the
 * {@code KinesisStreamsSource} of {@code flink-connector-aws-kinesis-streams} 6.x, cannot be obtained by this build.
 * So a Kinesis configuration is refused when the job graph is built, naming the option; {@code source.type=file}
 * works. README, "Flink 2", lists what to add once the connector can be obtained.
 *
 * <p>Shape: one static method that always throws.
 */
final class KinesisInput {
    /** Whether this build has a Kinesis source: on the Flink 2 line, no Kinesis source. */
    static final boolean AVAILABLE = false;

    private KinesisInput() {}

    /**
     * @param env the environment
     * @param options validated source settings
     * @param pipeline pipeline settings
     * @return never
     * @throws IllegalStateException always: no Kinesis source on this line
     */
    static DataStream<ParsedRecord> create(
            StreamExecutionEnvironment env, KinesisSourceOptions options, PipelineOptions pipeline) {
        throw new IllegalStateException(RuntimePropertyKeys.GROUP_SOURCE + "." + RuntimePropertyKeys.SOURCE_TYPE
                + "=kinesis: this Flink 2 build has no Kinesis source (FlinkKinesisConsumer was removed with Flink 2's "
                + "SourceFunction; flink-connector-aws-kinesis-streams 6.x is not in this build, see README "
                + "'Flink 2'); stream " + options.getStreamName() + " is not read. Use the Flink 1.20 build, or "
                + "source.type=file");
    }
}
