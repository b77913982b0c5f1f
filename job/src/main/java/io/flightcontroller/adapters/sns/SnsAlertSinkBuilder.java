package io.flightcontroller.adapters.sns;

import io.flightcontroller.adapters.DeadLetterHandler;
import io.flightcontroller.adapters.RetryBackoff;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

import java.net.URI;

/**
 * Builds an {@link SnsAlertSink}; {@link #build()} validates every option and names the option in its error.
 *
 * <p>Required: {@link SnsSinkOptions#TOPIC_ARN} and a {@link DeadLetterHandler}. Defaults are those of
 * {@link SnsSinkOptions}.
 */
public class SnsAlertSinkBuilder {
    private final Configuration config = new Configuration();
    private DeadLetterHandler deadLetters;

    SnsAlertSinkBuilder() {}

    /**
     * Copies the SNS options present in {@code options} (keys of {@link SnsSinkOptions}).
     *
     * @param options e.g. the runtime property group {@code FlightController.Alerts}
     * @return this
     */
    public SnsAlertSinkBuilder fromConfiguration(Configuration options) {
        for (ConfigOption<?> o : new ConfigOption<?>[] {SnsSinkOptions.TOPIC_ARN, SnsSinkOptions.REGION,
                SnsSinkOptions.ENDPOINT, SnsSinkOptions.MAX_ATTEMPTS, SnsSinkOptions.MAX_BATCH_SIZE,
                SnsSinkOptions.MAX_IN_FLIGHT, SnsSinkOptions.MAX_BUFFERED, SnsSinkOptions.MAX_TIME_IN_BUFFER_MS,
                SnsSinkOptions.BACKOFF_BASE_MS, SnsSinkOptions.BACKOFF_MAX_MS}) {
            if (options.containsKey(o.key())) {
                config.setString(o.key(), options.toMap().get(o.key()));
            }
        }
        return this;
    }

    /** @param topicArn topic ARN ({@code arn:aws:sns:REGION:ACCOUNT:NAME}); @return this */
    public SnsAlertSinkBuilder setTopicArn(String topicArn) {
        config.set(SnsSinkOptions.TOPIC_ARN, topicArn);
        return this;
    }

    /** @param region AWS region id; @return this */
    public SnsAlertSinkBuilder setRegion(String region) {
        config.set(SnsSinkOptions.REGION, region);
        return this;
    }

    /** @param endpoint endpoint override URI, e.g. {@code http://127.0.0.1:5000}; @return this */
    public SnsAlertSinkBuilder setEndpoint(String endpoint) {
        config.set(SnsSinkOptions.ENDPOINT, endpoint);
        return this;
    }

    /** @param maxAttempts attempts per alert, {@code >= 1}; @return this */
    public SnsAlertSinkBuilder setMaxAttempts(int maxAttempts) {
        config.set(SnsSinkOptions.MAX_ATTEMPTS, maxAttempts);
        return this;
    }

    /** @param maxBatchSize alerts per PublishBatch call, 1..10; @return this */
    public SnsAlertSinkBuilder setMaxBatchSize(int maxBatchSize) {
        config.set(SnsSinkOptions.MAX_BATCH_SIZE, maxBatchSize);
        return this;
    }

    /** @param maxInFlight concurrent calls per writer, {@code >= 1}; @return this */
    public SnsAlertSinkBuilder setMaxInFlightRequests(int maxInFlight) {
        config.set(SnsSinkOptions.MAX_IN_FLIGHT, maxInFlight);
        return this;
    }

    /** @param maxBuffered alerts buffered per writer, {@code > max batch size}; @return this */
    public SnsAlertSinkBuilder setMaxBufferedRequests(int maxBuffered) {
        config.set(SnsSinkOptions.MAX_BUFFERED, maxBuffered);
        return this;
    }

    /** @param ms longest wait for a full batch, {@code >= 1} ms; @return this */
    public SnsAlertSinkBuilder setMaxTimeInBufferMs(long ms) {
        config.set(SnsSinkOptions.MAX_TIME_IN_BUFFER_MS, ms);
        return this;
    }

    /** @param baseMs first retry delay cap in ms; @param maxMs largest delay in ms; @return this */
    public SnsAlertSinkBuilder setBackoff(long baseMs, long maxMs) {
        config.set(SnsSinkOptions.BACKOFF_BASE_MS, baseMs);
        config.set(SnsSinkOptions.BACKOFF_MAX_MS, maxMs);
        return this;
    }

    /** @param deadLetters where alerts go that could not be published; @return this */
    public SnsAlertSinkBuilder setDeadLetterHandler(DeadLetterHandler deadLetters) {
        this.deadLetters = deadLetters;
        return this;
    }

    /**
     * @return the sink
     * @throws IllegalArgumentException naming the option when a value is missing or invalid
     */
    public SnsAlertSink build() {
        String arn = config.get(SnsSinkOptions.TOPIC_ARN);
        if (arn == null || arn.trim().isEmpty()) {
            throw invalid(SnsSinkOptions.TOPIC_ARN, arn, "is required");
        }
        String[] parts = arn.split(":", -1);
        if (parts.length != 6 || !"arn".equals(parts[0]) || !"sns".equals(parts[2]) || parts[5].isEmpty()) {
            throw invalid(SnsSinkOptions.TOPIC_ARN, arn, "must look like arn:aws:sns:REGION:ACCOUNT:TOPIC");
        }
        String region = config.get(SnsSinkOptions.REGION);
        if (region == null || region.isEmpty()) {
            region = parts[3];
        }
        if (region.isEmpty()) {
            throw invalid(SnsSinkOptions.REGION, region, "is required when the topic ARN has no region");
        }
        String endpoint = config.get(SnsSinkOptions.ENDPOINT);
        if (endpoint != null && !endpoint.isEmpty()) {
            try {
                URI u = URI.create(endpoint);
                if (u.getScheme() == null || u.getHost() == null) {
                    throw invalid(SnsSinkOptions.ENDPOINT, endpoint, "must be an absolute http(s) URI");
                }
            } catch (IllegalArgumentException e) {
                throw invalid(SnsSinkOptions.ENDPOINT, endpoint, "must be an absolute http(s) URI");
            }
        }
        int maxAttempts = config.get(SnsSinkOptions.MAX_ATTEMPTS);
        if (maxAttempts < 1) {
            throw invalid(SnsSinkOptions.MAX_ATTEMPTS, maxAttempts, "must be >= 1");
        }
        int batch = config.get(SnsSinkOptions.MAX_BATCH_SIZE);
        if (batch < 1 || batch > SnsSinkOptions.SNS_MAX_BATCH_ENTRIES) {
            throw invalid(SnsSinkOptions.MAX_BATCH_SIZE, batch, "must be 1..10 (SNS PublishBatch limit)");
        }
        int inFlight = config.get(SnsSinkOptions.MAX_IN_FLIGHT);
        if (inFlight < 1) {
            throw invalid(SnsSinkOptions.MAX_IN_FLIGHT, inFlight, "must be >= 1");
        }
        int buffered = config.get(SnsSinkOptions.MAX_BUFFERED);
        if (buffered <= batch) {
            throw invalid(SnsSinkOptions.MAX_BUFFERED, buffered, "must be > " + SnsSinkOptions.MAX_BATCH_SIZE.key()
                    + " (" + batch + ")");
        }
        long bufferMs = config.get(SnsSinkOptions.MAX_TIME_IN_BUFFER_MS);
        if (bufferMs < 1) {
            throw invalid(SnsSinkOptions.MAX_TIME_IN_BUFFER_MS, bufferMs, "must be >= 1");
        }
        long base = config.get(SnsSinkOptions.BACKOFF_BASE_MS);
        long max = config.get(SnsSinkOptions.BACKOFF_MAX_MS);
        if (base < 0) {
            throw invalid(SnsSinkOptions.BACKOFF_BASE_MS, base, "must be >= 0");
        }
        if (max < base) {
            throw invalid(SnsSinkOptions.BACKOFF_MAX_MS, max, "must be >= " + SnsSinkOptions.BACKOFF_BASE_MS.key());
        }
        if (deadLetters == null) {
            throw new IllegalArgumentException("SNS sink: a dead-letter handler is required (alerts that cannot be "
                    + "published must go somewhere)");
        }
        return new SnsAlertSink(arn, region, endpoint, maxAttempts, batch, inFlight, buffered, bufferMs,
                new RetryBackoff(base, max), deadLetters);
    }

    private static IllegalArgumentException invalid(ConfigOption<?> option, Object value, String problem) {
        return new IllegalArgumentException("SNS sink option '" + option.key() + "' " + problem + " (got: " + value
                + ")");
    }
}
