package io.flightcontroller.adapters.kinesis;

import io.flightcontroller.adapters.parse.EventParser;
import io.flightcontroller.domain.event.ParsedRecord;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Properties;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.connectors.kinesis.FlinkKinesisConsumer;
import org.apache.flink.streaming.connectors.kinesis.config.AWSConfigConstants;
import org.apache.flink.streaming.connectors.kinesis.config.ConsumerConfigConstants;

/**
 * Builds the Kinesis Data Streams input of the job: records parsed into {@link ParsedRecord}s, with event-time
 * timestamps and per-shard watermarks that skip idle shards.
 *
 * <h2>Why {@code FlinkKinesisConsumer} and not the FLIP-27 {@code KinesisStreamsSource}</h2>
 * Both ship in {@code flink-connector-kinesis:4.3.0-1.19}, the newest Kinesis connector this build can obtain.
 * <ul>
 *   <li><b>Enhanced fan-out.</b> The FLIP-27 {@code KinesisStreamsSource} of 4.3.0 is {@code @Experimental} and has
 *       only a polling split reader ({@code PollingKinesisShardSplitReader}); EFO arrived with the 5.x line
 *       ({@code flink-connector-aws-kinesis-streams}), which is not available here. {@code FlinkKinesisConsumer}
 *       supports polling and EFO ({@code flink.stream.recordpublisher=EFO}). The job must offer both, so the
 *       FLIP-27 source does not meet the requirement.</li>
 *   <li><b>Per-shard watermarks and idle shards.</b> The FLIP-27 source would get per-split watermarks from the
 *       framework ({@code WatermarkStrategy.withIdleness}). {@code FlinkKinesisConsumer} has its own per-shard
 *       mechanism: a periodic assigner cloned per shard ({@link ShardWatermarks}); the subtask emits the minimum over
 *       its shards' watermarks. A shard that has not delivered a record yet is not counted; a shard that delivered
 *       and then stays silent for {@code flink.shard.idle.interval} (set from {@code idle.timeout}) is left out, and a
 *       subtask whose shards are all idle (or that has none) marks itself idle. So a silent shard never stops timeouts
 *       from firing; the kinesalite test proves both cases and shows the stall without idleness.</li>
 * <li><b>Stream by ARN.</b> The FLIP-27 builder needs an ARN; the consumer needs a name. {@link KinesisSourceOptions}
 *       accepts either and derives the name (and region) from an ARN.</li>
 *   <li><b>Verified here.</b> The consumer was verified against kinesalite on this build's Flink 1.20.3; the
 *       FLIP-27 source of this version was not.</li>
 *   <li><b>Flink 2.x upgrade path.</b> {@code FlinkKinesisConsumer} is a {@code SourceFunction}, which Flink 2.0
 *       removes; the {@code flink2} build leaves this class out. Its successor is the FLIP-27
 *       {@code KinesisStreamsSource} of {@code flink-connector-aws-kinesis-streams} 6.x (EFO, per-split idleness via
 *       {@code FlightControllerTopology.watermarkStrategy}), added in {@code src/flink2}'s {@code KinesisInput} under a
 *       new uid: its state is not compatible with this consumer's, so the upgraded job drops this source's state
 *       (allow non-restored state), starts AT_TIMESTAMP before the snapshot and relies on de-duplication. The code,
 *       the key mapping and the steps: README, "Flink 2".</li>
 * </ul>
 */
public final class KinesisSources {
    private KinesisSources() {}

    /** The uid of the source operator (stable: savepoints map the shard offsets by it). */
    public static final String UID = "source-kinesis";

    /**
     * The consumer's properties for the given settings: region, endpoint override, initial position (AT_TIMESTAMP
     * as epoch seconds with millisecond fraction), record publisher (POLLING or EFO with its consumer name, registered
     * lazily by the job) and the shard idle interval. Credentials come from the default AWS provider chain (on MSF the
     * application's IAM role); further connector properties can be added to the returned object.
     *
     * @param options validated source settings
     * @param idleTimeout a shard silent this long (wall-clock) stops holding back the watermark; null = never
     * @return new properties for {@link FlinkKinesisConsumer}
     */
    public static Properties consumerProperties(KinesisSourceOptions options, Duration idleTimeout) {
        Properties p = new Properties();
        p.setProperty(AWSConfigConstants.AWS_REGION, options.getRegion());
        if (options.getEndpoint() != null) {
            p.setProperty(AWSConfigConstants.AWS_ENDPOINT, options.getEndpoint());
        }
        p.setProperty(
                ConsumerConfigConstants.STREAM_INITIAL_POSITION,
                options.getInitialPosition().name());
        if (options.getInitialTimestamp() != null) {
            p.setProperty(
                    ConsumerConfigConstants.STREAM_INITIAL_TIMESTAMP,
                    BigDecimal.valueOf(options.getInitialTimestamp().toEpochMilli(), 3)
                            .toPlainString());
        }
        p.setProperty(
                ConsumerConfigConstants.RECORD_PUBLISHER_TYPE,
                options.getReader() == KinesisSourceOptions.Reader.EFO
                        ? ConsumerConfigConstants.RecordPublisherType.EFO.name()
                        : ConsumerConfigConstants.RecordPublisherType.POLLING.name());
        if (options.getReader() == KinesisSourceOptions.Reader.EFO) {
            p.setProperty(ConsumerConfigConstants.EFO_CONSUMER_NAME, options.getEfoConsumerName());
            p.setProperty(
                    ConsumerConfigConstants.EFO_REGISTRATION_TYPE,
                    ConsumerConfigConstants.EFORegistrationType.LAZY.name());
        }
        if (idleTimeout != null) {
            p.setProperty(
                    ConsumerConfigConstants.SHARD_IDLE_INTERVAL_MILLIS,
                    Long.toString(Math.max(1, idleTimeout.toMillis())));
        }
        return p;
    }

    /**
     * The consumer with the parser and per-shard watermarks; {@link #create} adds it to an environment.
     *
     * @param options validated source settings
     * @param outOfOrderness bounded out-of-orderness of each shard's watermarks
     * @param idleTimeout a shard silent this long (wall-clock) stops holding back the watermark; null = never
     * @param parser record parser
     * @return a new consumer
     */
    public static FlinkKinesisConsumer<ParsedRecord> consumer(
            KinesisSourceOptions options, Duration outOfOrderness, Duration idleTimeout, EventParser parser) {
        FlinkKinesisConsumer<ParsedRecord> c = new FlinkKinesisConsumer<>(
                options.getStreamName(),
                new ParsedRecordKinesisDeserializer(parser),
                consumerProperties(options, idleTimeout));
        c.setPeriodicWatermarkAssigner(new ShardWatermarks(outOfOrderness));
        return c;
    }

    /**
     * Adds the Kinesis source to {@code env}. The returned stream already carries event-time timestamps and
     * watermarks: pass it to the topology without another watermark assigner (one would replace the per-shard
     * watermarks by per-subtask ones).
     *
     * @param env the environment; the source runs at the environment's parallelism (a subtask without shards is idle)
     * @param options validated source settings
     * @param outOfOrderness bounded out-of-orderness of each shard's watermarks
     * @param idleTimeout a shard silent this long (wall-clock) stops holding back the watermark; null = never
     * @param parser record parser
     * @return parsed records with timestamps and watermarks; operator uid {@value #UID}
     */
    @SuppressWarnings("deprecation")
    public static DataStream<ParsedRecord> create(
            StreamExecutionEnvironment env,
            KinesisSourceOptions options,
            Duration outOfOrderness,
            Duration idleTimeout,
            EventParser parser) {
        return env.addSource(
                        consumer(options, outOfOrderness, idleTimeout, parser), "kinesis " + options.getStreamName())
                .uid(UID);
    }
}
