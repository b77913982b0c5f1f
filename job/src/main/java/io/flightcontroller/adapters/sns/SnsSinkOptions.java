package io.flightcontroller.adapters.sns;

import io.flightcontroller.adapters.InvalidOptionException;
import io.flightcontroller.adapters.Options;
import io.flightcontroller.adapters.RetryingSinkOptions;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;

/**
 * Options of the SNS alert sink: its {@link ConfigOption}s (keys of the runtime property group
 * {@code FlightController.Alerts}), their defaults and the AWS limits they respect, and the validated values read by
 * {@link #fromConfiguration}.
 *
 * <p>Shape: {@code sns.topic.arn} ({@code arn:aws:sns:REGION:ACCOUNT:TOPIC}, {@code .fifo} for a FIFO topic; required),
 * {@code sns.region} (default: the ARN's region), {@code sns.endpoint} (absolute http(s) URL), and the shared retry
 * keys {@code sns.max.attempts}, {@code sns.max.batch.size}, {@code sns.max.in.flight}, {@code sns.max.buffered},
 * {@code sns.max.time.in.buffer.ms}, {@code sns.max.batch.size.bytes}, {@code sns.max.record.size.bytes},
 * {@code sns.backoff.base.ms}, {@code sns.backoff.max.ms} ({@link RetryingSinkOptions}). Limits: Amazon SNS API
 * Reference, PublishBatch ("up to 10 messages"; "the total aggregate size of all messages ... is 256 KiB").
 */
public final class SnsSinkOptions implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Most entries in one PublishBatch call (Amazon SNS API Reference, PublishBatch: "up to 10 messages"). */
    public static final int SNS_MAX_BATCH_ENTRIES = 10;
    /**
     * Largest message and largest PublishBatch payload, in bytes: 262,144 (256 KiB), Amazon SNS quotas ("Message
     * payload size"; PublishBatch: "the total aggregate size of all messages ... is 256 KiB").
     */
    public static final long SNS_MAX_PAYLOAD_BYTES = 262_144;

    /** Topic ARN; a name ending in {@code .fifo} makes it a FIFO topic. Required. */
    public static final ConfigOption<String> TOPIC_ARN = ConfigOptions.key("sns.topic.arn")
            .stringType()
            .noDefaultValue()
            .withDescription("SNS topic ARN the alerts are published to.");
    /** AWS region; defaults to the region in the topic ARN. */
    public static final ConfigOption<String> REGION = ConfigOptions.key("sns.region")
            .stringType()
            .noDefaultValue()
            .withDescription("AWS region; defaults to the topic ARN's region.");
    /** Endpoint override URI (tests, VPC endpoints). */
    public static final ConfigOption<String> ENDPOINT = ConfigOptions.key("sns.endpoint")
            .stringType()
            .noDefaultValue()
            .withDescription("Endpoint override, e.g. http://127.0.0.1:5000.");

    /** The shared retry and batching keys under {@code sns.}. */
    public static final RetryingSinkOptions.Keys RETRY = RetryingSinkOptions.keys(
            "sns",
            "alerts",
            RetryingSinkOptions.defaults(
                    10,
                    SNS_MAX_BATCH_ENTRIES,
                    50,
                    10_000,
                    500L,
                    SNS_MAX_PAYLOAD_BYTES,
                    SNS_MAX_PAYLOAD_BYTES,
                    100L,
                    20_000L),
            "SNS PublishBatch limit");

    private final String topicArn;
    private final String region;
    private final String endpoint;
    private final RetryingSinkOptions retry;

    private SnsSinkOptions(String topicArn, String region, String endpoint, RetryingSinkOptions retry) {
        this.topicArn = topicArn;
        this.region = region;
        this.endpoint = endpoint;
        this.retry = retry;
    }

    /** @return every option of this sink, in documentation order */
    public static List<ConfigOption<?>> options() {
        List<ConfigOption<?>> all = new ArrayList<>();
        all.add(TOPIC_ARN);
        all.add(REGION);
        all.add(ENDPOINT);
        all.addAll(RETRY.all());
        return Collections.unmodifiableList(all);
    }

    /**
     * Reads and validates the SNS options of a property group; absent keys take their defaults, unknown keys are
     * ignored.
     *
     * @param group e.g. the runtime property group {@code FlightController.Alerts}
     * @return the options
     * @throws InvalidOptionException naming the key that is missing or invalid, e.g.
     *     {@code sns.max.attempts: must be at least 1, got 0}
     */
    public static SnsSinkOptions fromConfiguration(Configuration group) {
        String arn = Options.required(group, TOPIC_ARN, "is required when alerts go to SNS");
        String[] parts = arn.split(":", -1);
        Options.check(
                parts.length == 6 && "arn".equals(parts[0]) && "sns".equals(parts[2]) && !parts[5].isEmpty(),
                TOPIC_ARN,
                "must look like arn:aws:sns:REGION:ACCOUNT:TOPIC, got " + arn);
        String region = Options.string(group, REGION);
        if (region == null) {
            region = parts[3];
        }
        Options.check(!region.isEmpty(), REGION, "is required when the topic ARN has no region");
        String endpoint = Options.httpUrl(ENDPOINT, Options.string(group, ENDPOINT));
        return new SnsSinkOptions(arn, region, endpoint, RETRY.read(group));
    }

    /** @return these options under their keys */
    public Configuration toConfiguration() {
        Configuration c = new Configuration();
        c.set(TOPIC_ARN, topicArn);
        c.set(REGION, region);
        if (endpoint != null) {
            c.set(ENDPOINT, endpoint);
        }
        RETRY.write(retry, c);
        return c;
    }

    /** @return topic ARN */
    public String getTopicArn() {
        return topicArn;
    }
    /** @return whether the topic is a FIFO topic (name ending in {@code .fifo}) */
    public boolean isFifo() {
        return topicArn.endsWith(".fifo");
    }
    /** @return AWS region id */
    public String getRegion() {
        return region;
    }
    /** @return endpoint override, or null */
    public String getEndpoint() {
        return endpoint;
    }
    /** @return attempts, backoff and batching limits */
    public RetryingSinkOptions getRetry() {
        return retry;
    }

    @Override
    public String toString() {
        return "sns " + topicArn + " in " + region + (endpoint != null ? " via " + endpoint : "") + " " + retry;
    }
}
