package io.flightcontroller.adapters.sns;

import io.flightcontroller.config.RuntimePropertyKeys;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * Options of the SNS alert sink, with their defaults and the AWS limits they respect. Keys are those of the runtime
 * property group {@link RuntimePropertyKeys#GROUP_ALERTS}.
 */
public final class SnsSinkOptions {
    private SnsSinkOptions() {}

    /** Most entries in one PublishBatch call (Amazon SNS API Reference, PublishBatch: "up to 10 messages"). */
    public static final int SNS_MAX_BATCH_ENTRIES = 10;
    /**
     * Largest message and largest PublishBatch payload, in bytes: 262,144 (256 KiB), Amazon SNS quotas ("Message
     * payload size"; PublishBatch: "the total aggregate size of all messages ... is 256 KiB").
     */
    public static final long SNS_MAX_PAYLOAD_BYTES = 262_144;

    /** Topic ARN; a name ending in {@code .fifo} makes it a FIFO topic. Required. */
    public static final ConfigOption<String> TOPIC_ARN = ConfigOptions.key(RuntimePropertyKeys.SNS_TOPIC_ARN)
            .stringType().noDefaultValue().withDescription("SNS topic ARN the alerts are published to.");
    /** AWS region; defaults to the region in the topic ARN. */
    public static final ConfigOption<String> REGION = ConfigOptions.key(RuntimePropertyKeys.SNS_REGION)
            .stringType().noDefaultValue().withDescription("AWS region; defaults to the topic ARN's region.");
    /** Endpoint override URI (tests, VPC endpoints). */
    public static final ConfigOption<String> ENDPOINT = ConfigOptions.key(RuntimePropertyKeys.SNS_ENDPOINT)
            .stringType().noDefaultValue().withDescription("Endpoint override, e.g. http://127.0.0.1:5000.");
    /** Attempts per alert before it is dead-lettered, {@code >= 1}. */
    public static final ConfigOption<Integer> MAX_ATTEMPTS = ConfigOptions.key("sns.max.attempts").intType()
            .defaultValue(10).withDescription("Publish attempts per alert before it goes to the dead-letter handler.");
    /** Entries per PublishBatch call, 1..10. */
    public static final ConfigOption<Integer> MAX_BATCH_SIZE = ConfigOptions.key("sns.max.batch.size").intType()
            .defaultValue(SNS_MAX_BATCH_ENTRIES).withDescription("Alerts per PublishBatch call, 1..10.");
    /** Concurrent PublishBatch calls per writer, {@code >= 1}. */
    public static final ConfigOption<Integer> MAX_IN_FLIGHT = ConfigOptions.key("sns.max.in.flight").intType()
            .defaultValue(50).withDescription("Concurrent PublishBatch calls per parallel writer.");
    /** Alerts buffered per writer before the sink backpressures, {@code > max batch size}. */
    public static final ConfigOption<Integer> MAX_BUFFERED = ConfigOptions.key("sns.max.buffered").intType()
            .defaultValue(10_000).withDescription("Alerts buffered per writer before backpressure.");
    /** Longest time an alert waits for a full batch, ms. */
    public static final ConfigOption<Long> MAX_TIME_IN_BUFFER_MS = ConfigOptions.key("sns.max.time.in.buffer.ms")
            .longType().defaultValue(500L).withDescription("Longest wait for a full batch, ms.");
    /** Cap of the first retry's backoff delay, ms (full jitter). */
    public static final ConfigOption<Long> BACKOFF_BASE_MS = ConfigOptions.key("sns.backoff.base.ms").longType()
            .defaultValue(100L).withDescription("Cap of the first retry delay, ms; doubles per attempt.");
    /** Largest backoff delay, ms. */
    public static final ConfigOption<Long> BACKOFF_MAX_MS = ConfigOptions.key("sns.backoff.max.ms").longType()
            .defaultValue(20_000L).withDescription("Largest retry delay, ms.");
}
