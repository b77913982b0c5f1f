package io.flightcontroller.adapters;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.sink.writer.config.AsyncSinkWriterConfiguration;

/**
 * The validated options every {@link RetryingAsyncSink} shares: attempts per entry, full-jitter backoff, and the
 * batching and buffering limits of Flink's {@code AsyncSinkBase}. A sink declares its keys once with {@link #keys}
 * under its prefix ({@code sns.max.attempts}, {@code timestream.max.attempts}, {@code influxdb.max.attempts}, ...).
 *
 * <p>Shape: counts are entries (alerts, records, lines), times are milliseconds, sizes bytes as the sink estimates
 * them. The largest batch, batch size in bytes and entry size are the service's limits, given by the sink with their
 * source.
 */
public final class RetryingSinkOptions implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int maxAttempts;
    private final int maxBatchSize;
    private final int maxInFlight;
    private final int maxBuffered;
    private final long maxTimeInBufferMs;
    private final long maxBatchSizeInBytes;
    private final long maxRecordSizeInBytes;
    private final long backoffBaseMs;
    private final long backoffMaxMs;

    private RetryingSinkOptions(
            int maxAttempts,
            int maxBatchSize,
            int maxInFlight,
            int maxBuffered,
            long maxTimeInBufferMs,
            long maxBatchSizeInBytes,
            long maxRecordSizeInBytes,
            long backoffBaseMs,
            long backoffMaxMs) {
        this.maxAttempts = maxAttempts;
        this.maxBatchSize = maxBatchSize;
        this.maxInFlight = maxInFlight;
        this.maxBuffered = maxBuffered;
        this.maxTimeInBufferMs = maxTimeInBufferMs;
        this.maxBatchSizeInBytes = maxBatchSizeInBytes;
        this.maxRecordSizeInBytes = maxRecordSizeInBytes;
        this.backoffBaseMs = backoffBaseMs;
        this.backoffMaxMs = backoffMaxMs;
    }

    /**
     * A sink's defaults, not validated against limits: they are the limits. Counts are entries, times ms, sizes bytes.
     *
     * @param maxAttempts attempts per entry
     * @param maxBatchSize entries per request, also the service's largest
     * @param maxInFlight concurrent requests per writer
     * @param maxBuffered entries buffered per writer
     * @param maxTimeInBufferMs longest wait for a full batch, ms
     * @param maxBatchSizeInBytes largest request in bytes, also the service's largest
     * @param maxRecordSizeInBytes largest entry in bytes, also the service's largest
     * @param backoffBaseMs cap of the first retry delay, ms
     * @param backoffMaxMs largest retry delay, ms
     * @return the defaults, for {@link #keys}
     */
    public static RetryingSinkOptions defaults(
            int maxAttempts,
            int maxBatchSize,
            int maxInFlight,
            int maxBuffered,
            long maxTimeInBufferMs,
            long maxBatchSizeInBytes,
            long maxRecordSizeInBytes,
            long backoffBaseMs,
            long backoffMaxMs) {
        return new RetryingSinkOptions(
                maxAttempts,
                maxBatchSize,
                maxInFlight,
                maxBuffered,
                maxTimeInBufferMs,
                maxBatchSizeInBytes,
                maxRecordSizeInBytes,
                backoffBaseMs,
                backoffMaxMs);
    }

    /**
     * Declares the shared keys of one sink.
     *
     * @param prefix key prefix, e.g. {@code sns}
     * @param entries what an entry is, for descriptions, e.g. {@code alerts}
     * @param defaults the sink's defaults ({@link #defaults}); their batch size, batch bytes and record bytes are also the service limits
     * @param limitSource where the limits come from, for messages, e.g. {@code SNS PublishBatch limit}
     * @return the keys
     */
    public static Keys keys(String prefix, String entries, RetryingSinkOptions defaults, String limitSource) {
        return new Keys(prefix, entries, defaults, limitSource);
    }

    /** @return attempts per entry, {@code >= 1} */
    public int getMaxAttempts() {
        return maxAttempts;
    }
    /** @return entries per request */
    public int getMaxBatchSize() {
        return maxBatchSize;
    }
    /** @return concurrent requests per writer */
    public int getMaxInFlight() {
        return maxInFlight;
    }
    /** @return entries buffered per writer before backpressure */
    public int getMaxBuffered() {
        return maxBuffered;
    }
    /** @return longest wait for a full batch, ms */
    public long getMaxTimeInBufferMs() {
        return maxTimeInBufferMs;
    }
    /** @return largest request, bytes */
    public long getMaxBatchSizeInBytes() {
        return maxBatchSizeInBytes;
    }
    /** @return largest entry, bytes */
    public long getMaxRecordSizeInBytes() {
        return maxRecordSizeInBytes;
    }
    /** @return cap of the first retry delay, ms */
    public long getBackoffBaseMs() {
        return backoffBaseMs;
    }
    /** @return largest retry delay, ms */
    public long getBackoffMaxMs() {
        return backoffMaxMs;
    }

    /** @return the retry delays */
    public RetryBackoff backoff() {
        return new RetryBackoff(backoffBaseMs, backoffMaxMs);
    }

    /** @return Flink's writer configuration of these limits */
    public AsyncSinkWriterConfiguration writerConfiguration() {
        return AsyncSinkWriterConfiguration.builder()
                .setMaxBatchSize(maxBatchSize)
                .setMaxBatchSizeInBytes(maxBatchSizeInBytes)
                .setMaxInFlightRequests(maxInFlight)
                .setMaxBufferedRequests(maxBuffered)
                .setMaxTimeInBufferMS(maxTimeInBufferMs)
                .setMaxRecordSizeInBytes(maxRecordSizeInBytes)
                .build();
    }

    @Override
    public String toString() {
        return "maxAttempts=" + maxAttempts + " maxBatchSize=" + maxBatchSize + " maxInFlight=" + maxInFlight
                + " maxBuffered=" + maxBuffered + " maxTimeInBufferMs=" + maxTimeInBufferMs + " backoff="
                + backoffBaseMs + ".." + backoffMaxMs + "ms";
    }

    /** The shared {@link ConfigOption}s of one sink, under its prefix, and how they are read and validated. */
    public static final class Keys {
        /** Attempts per entry before it is dead-lettered, {@code >= 1}. */
        public final ConfigOption<Integer> maxAttempts;
        /** Entries per request, 1 .. the service's limit. */
        public final ConfigOption<Integer> maxBatchSize;
        /** Concurrent requests per parallel writer, {@code >= 1}. */
        public final ConfigOption<Integer> maxInFlight;
        /** Entries buffered per writer before backpressure, {@code > max batch size}. */
        public final ConfigOption<Integer> maxBuffered;
        /** Longest wait for a full batch, ms, {@code >= 1}. */
        public final ConfigOption<Long> maxTimeInBufferMs;
        /** Largest request in bytes, 1 .. the service's limit. */
        public final ConfigOption<Long> maxBatchSizeInBytes;
        /** Largest entry in bytes, 1 .. the service's limit and at most the batch size in bytes. */
        public final ConfigOption<Long> maxRecordSizeInBytes;
        /** Cap of the first retry delay, ms, {@code >= 0}; doubles per attempt (full jitter). */
        public final ConfigOption<Long> backoffBaseMs;
        /** Largest retry delay, ms, {@code >= backoff base}. */
        public final ConfigOption<Long> backoffMaxMs;

        private final int batchLimit;
        private final long batchBytesLimit;
        private final long recordBytesLimit;
        private final String limitSource;

        private Keys(String prefix, String entries, RetryingSinkOptions d, String limitSource) {
            this.maxAttempts = ConfigOptions.key(prefix + ".max.attempts")
                    .intType()
                    .defaultValue(d.maxAttempts)
                    .withDescription("Attempts per entry (" + entries + ") for retryable errors before it goes to "
                            + "the dead-letter handler.");
            this.maxBatchSize = ConfigOptions.key(prefix + ".max.batch.size")
                    .intType()
                    .defaultValue(d.maxBatchSize)
                    .withDescription(
                            "Entries (" + entries + ") per request, 1.." + d.maxBatchSize + " (" + limitSource + ").");
            this.maxInFlight = ConfigOptions.key(prefix + ".max.in.flight")
                    .intType()
                    .defaultValue(d.maxInFlight)
                    .withDescription("Concurrent requests per parallel writer.");
            this.maxBuffered = ConfigOptions.key(prefix + ".max.buffered")
                    .intType()
                    .defaultValue(d.maxBuffered)
                    .withDescription("Entries (" + entries + ") buffered per writer before backpressure.");
            this.maxTimeInBufferMs = ConfigOptions.key(prefix + ".max.time.in.buffer.ms")
                    .longType()
                    .defaultValue(d.maxTimeInBufferMs)
                    .withDescription("Longest wait for a full batch, ms.");
            this.maxBatchSizeInBytes = ConfigOptions.key(prefix + ".max.batch.size.bytes")
                    .longType()
                    .defaultValue(d.maxBatchSizeInBytes)
                    .withDescription("Largest request, bytes, at most " + d.maxBatchSizeInBytes + ".");
            this.maxRecordSizeInBytes = ConfigOptions.key(prefix + ".max.record.size.bytes")
                    .longType()
                    .defaultValue(d.maxRecordSizeInBytes)
                    .withDescription("Largest entry, bytes, at most " + d.maxRecordSizeInBytes + ".");
            this.backoffBaseMs = ConfigOptions.key(prefix + ".backoff.base.ms")
                    .longType()
                    .defaultValue(d.backoffBaseMs)
                    .withDescription("Cap of the first retry delay, ms; doubles per " + "attempt (full jitter).");
            this.backoffMaxMs = ConfigOptions.key(prefix + ".backoff.max.ms")
                    .longType()
                    .defaultValue(d.backoffMaxMs)
                    .withDescription("Largest retry delay, ms.");
            this.batchLimit = d.maxBatchSize;
            this.batchBytesLimit = d.maxBatchSizeInBytes;
            this.recordBytesLimit = d.maxRecordSizeInBytes;
            this.limitSource = limitSource;
        }

        /** @return every shared option, in documentation order */
        public List<ConfigOption<?>> all() {
            return Collections.unmodifiableList(Arrays.asList(
                    maxAttempts,
                    maxBatchSize,
                    maxInFlight,
                    maxBuffered,
                    maxTimeInBufferMs,
                    maxBatchSizeInBytes,
                    maxRecordSizeInBytes,
                    backoffBaseMs,
                    backoffMaxMs));
        }

        /**
         * Reads and validates the shared options; absent keys take their defaults.
         *
         * @param group the sink's property group
         * @return the options
         * @throws InvalidOptionException naming the key of a value that is not a number or out of range
         */
        public RetryingSinkOptions read(Configuration group) {
            int attempts = Options.get(group, maxAttempts);
            Options.check(attempts >= 1, maxAttempts, "must be at least 1, got " + attempts);
            int batch = Options.get(group, maxBatchSize);
            Options.check(
                    batch >= 1 && batch <= batchLimit,
                    maxBatchSize,
                    "must be 1.." + batchLimit + " (" + limitSource + "), got " + batch);
            int inFlight = Options.get(group, maxInFlight);
            Options.check(inFlight >= 1, maxInFlight, "must be at least 1, got " + inFlight);
            int buffered = Options.get(group, maxBuffered);
            Options.check(
                    buffered > batch,
                    maxBuffered,
                    "must be more than " + maxBatchSize.key() + " (" + batch + "), got " + buffered);
            long time = Options.get(group, maxTimeInBufferMs);
            Options.check(time >= 1, maxTimeInBufferMs, "must be at least 1, got " + time);
            long batchBytes = Options.get(group, maxBatchSizeInBytes);
            Options.check(
                    batchBytes >= 1 && batchBytes <= batchBytesLimit,
                    maxBatchSizeInBytes,
                    "must be 1.." + batchBytesLimit + " (" + limitSource + "), got " + batchBytes);
            long recordBytes = Options.get(group, maxRecordSizeInBytes);
            long recordLimit = Math.min(recordBytesLimit, batchBytes);
            Options.check(
                    recordBytes >= 1 && recordBytes <= recordLimit,
                    maxRecordSizeInBytes,
                    "must be 1.." + recordLimit + " (" + limitSource + " and " + maxBatchSizeInBytes.key() + "), got "
                            + recordBytes);
            long base = Options.get(group, backoffBaseMs);
            Options.check(base >= 0, backoffBaseMs, "must be at least 0, got " + base);
            long max = Options.get(group, backoffMaxMs);
            Options.check(
                    max >= base,
                    backoffMaxMs,
                    "must be at least " + backoffBaseMs.key() + " (" + base + "), got " + max);
            return new RetryingSinkOptions(
                    attempts, batch, inFlight, buffered, time, batchBytes, recordBytes, base, max);
        }

        /**
         * @param options validated options
         * @param into where their values are written under these keys
         */
        public void write(RetryingSinkOptions options, Configuration into) {
            into.set(maxAttempts, options.maxAttempts);
            into.set(maxBatchSize, options.maxBatchSize);
            into.set(maxInFlight, options.maxInFlight);
            into.set(maxBuffered, options.maxBuffered);
            into.set(maxTimeInBufferMs, options.maxTimeInBufferMs);
            into.set(maxBatchSizeInBytes, options.maxBatchSizeInBytes);
            into.set(maxRecordSizeInBytes, options.maxRecordSizeInBytes);
            into.set(backoffBaseMs, options.backoffBaseMs);
            into.set(backoffMaxMs, options.backoffMaxMs);
        }
    }
}
