package io.flightcontroller.adapters.kinesis;

import io.flightcontroller.adapters.InvalidOptionException;
import io.flightcontroller.adapters.Options;
import java.io.Serializable;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;

/**
 * Validated settings of the Kinesis source. Immutable.
 *
 * <p>The stream is given by name or by ARN ({@code arn:aws:kinesis:REGION:ACCOUNT:stream/NAME}); with an ARN the
 * region defaults to the ARN's region. Defaults: initial position {@link InitialPosition#LATEST}, reader
 * {@link Reader#POLLING}, no endpoint override.
 */
public final class KinesisSourceOptions implements Serializable {
    private static final long serialVersionUID = 1L;

    private static final Pattern ARN =
            Pattern.compile("arn:aws[a-zA-Z-]*:kinesis:([a-z0-9-]+):(\\d{12}):stream/([A-Za-z0-9_.-]{1,128})");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,128}");
    private static final Pattern EFO_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,128}");

    /** Kinesis stream name or ARN. */
    public static final ConfigOption<String> STREAM = ConfigOptions.key("kinesis.stream")
            .stringType()
            .noDefaultValue()
            .withDescription("Kinesis stream name or ARN");
    /** AWS region of the stream; defaults to the ARN's region. */
    public static final ConfigOption<String> REGION = ConfigOptions.key("kinesis.region")
            .stringType()
            .noDefaultValue()
            .withDescription("AWS region of the stream (required unless the stream is an ARN)");
    /** LATEST, TRIM_HORIZON or AT_TIMESTAMP. */
    public static final ConfigOption<String> INITIAL_POSITION = ConfigOptions.key("kinesis.initial.position")
            .stringType()
            .defaultValue("LATEST")
            .withDescription("LATEST | TRIM_HORIZON | AT_TIMESTAMP");
    /** ISO-8601 instant for AT_TIMESTAMP. */
    public static final ConfigOption<String> INITIAL_TIMESTAMP = ConfigOptions.key("kinesis.initial.timestamp")
            .stringType()
            .noDefaultValue()
            .withDescription("ISO-8601 instant, required for AT_TIMESTAMP");
    /** POLLING or EFO (enhanced fan-out). */
    public static final ConfigOption<String> READER = ConfigOptions.key("kinesis.reader")
            .stringType()
            .defaultValue("POLLING")
            .withDescription("POLLING | EFO");
    /** Consumer name for enhanced fan-out. */
    public static final ConfigOption<String> EFO_CONSUMER = ConfigOptions.key("kinesis.efo.consumer")
            .stringType()
            .noDefaultValue()
            .withDescription("EFO consumer name, required for EFO");
    /** Endpoint override (tests, VPC endpoints). */
    public static final ConfigOption<String> ENDPOINT = ConfigOptions.key("kinesis.endpoint")
            .stringType()
            .noDefaultValue()
            .withDescription("http(s)://host[:port]; default: the AWS regional endpoint");

    /** @return every option of this source, in documentation order */
    public static List<ConfigOption<String>> options() {
        return List.of(STREAM, REGION, INITIAL_POSITION, INITIAL_TIMESTAMP, READER, EFO_CONSUMER, ENDPOINT);
    }

    /**
     * Reads and validates the source's options.
     *
     * @param group the property group's settings
     * @return the validated options
     * @throws InvalidOptionException naming the key that is missing or invalid
     */
    public static KinesisSourceOptions fromConfiguration(Configuration group) {
        String stream = Options.required(group, STREAM, "required when source.type=kinesis (name or ARN)");
        InitialPosition pos = Options.enumValue(group, INITIAL_POSITION, InitialPosition.class, InitialPosition.LATEST);
        Instant ts = null;
        String tsText = Options.string(group, INITIAL_TIMESTAMP);
        if (pos == InitialPosition.AT_TIMESTAMP) {
            if (tsText == null) {
                throw new InvalidOptionException(
                        INITIAL_TIMESTAMP.key(),
                        "required when kinesis.initial.position"
                                + "=AT_TIMESTAMP (ISO-8601 instant, e.g. 2026-01-01T00:00:00Z)");
            }
            try {
                ts = Instant.parse(tsText);
            } catch (DateTimeParseException e) {
                throw new InvalidOptionException(
                        INITIAL_TIMESTAMP.key(), "not an ISO-8601 instant (e.g. 2026-01-01T00:00:00Z): " + tsText);
            }
        }
        return builder(stream)
                .region(Options.string(group, REGION))
                .initialPosition(pos)
                .initialTimestamp(ts)
                .reader(Options.enumValue(group, READER, Reader.class, Reader.POLLING))
                .efoConsumerName(Options.string(group, EFO_CONSUMER))
                .endpoint(Options.string(group, ENDPOINT))
                .build();
    }

    /** Where a shard is read from when the job starts without state. */
    public enum InitialPosition {
        /** Only records put after the job started. */
        LATEST,
        /** The oldest record still retained. */
        TRIM_HORIZON,
        /** Records from {@link #getInitialTimestamp()} on. */
        AT_TIMESTAMP
    }

    /** How records are fetched. */
    public enum Reader {
        /** GetRecords polling, shared 2 MB/s per shard read throughput. */
        POLLING,
        /** Enhanced fan-out (SubscribeToShard): a dedicated 2 MB/s per shard per consumer, HTTP/2 push. */
        EFO
    }

    private final String streamName;
    private final String streamArn;
    private final String region;
    private final InitialPosition initialPosition;
    private final Instant initialTimestamp;
    private final Reader reader;
    private final String efoConsumerName;
    private final String endpoint;

    private KinesisSourceOptions(Builder b) {
        this.streamName = b.streamName;
        this.streamArn = b.streamArn;
        this.region = b.region;
        this.initialPosition = b.initialPosition;
        this.initialTimestamp = b.initialTimestamp;
        this.reader = b.reader;
        this.efoConsumerName = b.efoConsumerName;
        this.endpoint = b.endpoint;
    }

    /**
     * @param stream stream name or ARN
     * @return a builder with the defaults
     */
    public static Builder builder(String stream) {
        return new Builder(stream);
    }

    /** @return the stream name (from the ARN when an ARN was given) */
    public String getStreamName() {
        return streamName;
    }
    /** @return the ARN when the stream was given by ARN, else null */
    public String getStreamArn() {
        return streamArn;
    }
    /** @return the AWS region id, e.g. {@code eu-west-1} */
    public String getRegion() {
        return region;
    }
    /** @return where shards without state start */
    public InitialPosition getInitialPosition() {
        return initialPosition;
    }
    /** @return the start instant for {@link InitialPosition#AT_TIMESTAMP}, else null */
    public Instant getInitialTimestamp() {
        return initialTimestamp;
    }
    /** @return polling or enhanced fan-out */
    public Reader getReader() {
        return reader;
    }
    /** @return the EFO consumer name (only for {@link Reader#EFO}) */
    public String getEfoConsumerName() {
        return efoConsumerName;
    }
    /** @return endpoint override URL, or null for the regional AWS endpoint */
    public String getEndpoint() {
        return endpoint;
    }

    @Override
    public String toString() {
        return "KinesisSourceOptions{stream=" + (streamArn != null ? streamArn : streamName) + ", region=" + region
                + ", initialPosition=" + initialPosition
                + (initialTimestamp != null ? " " + initialTimestamp : "") + ", reader=" + reader
                + (efoConsumerName != null ? " consumer " + efoConsumerName : "")
                + (endpoint != null ? ", endpoint=" + endpoint : "") + "}";
    }

    /** Builder; {@link #build()} validates. */
    public static final class Builder {
        private final String stream;
        private String streamName;
        private String streamArn;
        private String region;
        private InitialPosition initialPosition = InitialPosition.LATEST;
        private Instant initialTimestamp;
        private Reader reader = Reader.POLLING;
        private String efoConsumerName;
        private String endpoint;

        private Builder(String stream) {
            this.stream = stream;
        }

        /** @param region AWS region id; may be null when the stream is an ARN @return this */
        public Builder region(String region) {
            this.region = region;
            return this;
        }
        /** @param p initial position @return this */
        public Builder initialPosition(InitialPosition p) {
            this.initialPosition = p;
            return this;
        }
        /** @param t start instant, required for AT_TIMESTAMP @return this */
        public Builder initialTimestamp(Instant t) {
            this.initialTimestamp = t;
            return this;
        }
        /** @param r polling or EFO @return this */
        public Builder reader(Reader r) {
            this.reader = r;
            return this;
        }
        /** @param name EFO consumer name, required for EFO @return this */
        public Builder efoConsumerName(String name) {
            this.efoConsumerName = name;
            return this;
        }
        /** @param url endpoint override such as {@code http://127.0.0.1:4567}, or null @return this */
        public Builder endpoint(String url) {
            this.endpoint = url;
            return this;
        }

        /**
         * @return the options
         * @throws InvalidOptionException naming the key that is missing or invalid
         */
        public KinesisSourceOptions build() {
            if (stream == null || stream.trim().isEmpty()) {
                throw new InvalidOptionException(STREAM.key(), "a Kinesis stream name or ARN is required");
            }
            String s = stream.trim();
            if (s.startsWith("arn:")) {
                Matcher m = ARN.matcher(s);
                if (!m.matches()) {
                    throw new InvalidOptionException(
                            STREAM.key(),
                            "not a Kinesis stream ARN " + "(arn:aws:kinesis:REGION:ACCOUNT:stream/NAME): " + s);
                }
                streamArn = s;
                streamName = m.group(3);
                if (region == null || region.trim().isEmpty()) {
                    region = m.group(1);
                } else if (!region.trim().equals(m.group(1))) {
                    throw new InvalidOptionException(
                            REGION.key(), region + " differs from the stream ARN's region " + m.group(1));
                }
            } else {
                if (!NAME.matcher(s).matches()) {
                    throw new InvalidOptionException(
                            STREAM.key(), "not a valid Kinesis stream name " + "(1-128 of A-Z a-z 0-9 _ . -): " + s);
                }
                streamName = s;
            }
            if (region == null || region.trim().isEmpty()) {
                throw new InvalidOptionException(REGION.key(), "required when the stream is given by name");
            }
            region = region.trim();
            if (!region.matches("[a-z]{2}(-[a-z]+)+-\\d")) {
                throw new InvalidOptionException(REGION.key(), "not an AWS region id (like eu-west-1): " + region);
            }
            Objects.requireNonNull(initialPosition, "initialPosition");
            Objects.requireNonNull(reader, "reader");
            if (initialPosition == InitialPosition.AT_TIMESTAMP && initialTimestamp == null) {
                throw new InvalidOptionException(INITIAL_TIMESTAMP.key(), "required for AT_TIMESTAMP");
            }
            if (initialPosition != InitialPosition.AT_TIMESTAMP) {
                initialTimestamp = null;
            }
            if (reader == Reader.EFO) {
                if (efoConsumerName == null
                        || !EFO_NAME.matcher(efoConsumerName).matches()) {
                    throw new InvalidOptionException(
                            EFO_CONSUMER.key(),
                            "required for EFO, 1-128 of " + "A-Z a-z 0-9 _ . -, was " + efoConsumerName);
                }
            } else {
                efoConsumerName = null;
            }
            if (endpoint != null) {
                endpoint = endpoint.trim();
                if (endpoint.isEmpty()) {
                    endpoint = null;
                } else if (!endpoint.matches("https?://[^\\s/]+(:\\d+)?/?")) {
                    throw new InvalidOptionException(ENDPOINT.key(), "not an http(s)://host[:port] URL: " + endpoint);
                }
            }
            return new KinesisSourceOptions(this);
        }
    }
}
