package io.flightcontroller.adapters.influx;

import io.flightcontroller.adapters.DeadLetterHandler;
import io.flightcontroller.adapters.RetryBackoff;

import java.net.URI;

/**
 * Builds an {@link InfluxLineProtocolSink}; {@link #build()} validates every option and names it in its error.
 *
 * <p>Required: URL, org, bucket, token and a {@link DeadLetterHandler}. Defaults are those of
 * {@link InfluxSinkOptions}.
 */
public class InfluxLineProtocolSinkBuilder {
    private String url;
    private String org;
    private String bucket;
    private InfluxToken token;
    private int maxAttempts = InfluxSinkOptions.DEFAULT_MAX_ATTEMPTS;
    private int maxBatchSize = InfluxSinkOptions.MAX_LINES_PER_WRITE;
    private int maxInFlight = InfluxSinkOptions.DEFAULT_MAX_IN_FLIGHT;
    private int maxBuffered = InfluxSinkOptions.DEFAULT_MAX_BUFFERED;
    private long maxTimeInBufferMs = InfluxSinkOptions.DEFAULT_MAX_TIME_IN_BUFFER_MS;
    private long backoffBaseMs = InfluxSinkOptions.DEFAULT_BACKOFF_BASE_MS;
    private long backoffMaxMs = InfluxSinkOptions.DEFAULT_BACKOFF_MAX_MS;
    private DeadLetterHandler deadLetters;

    InfluxLineProtocolSinkBuilder() {}

    /** @param url server base URL, e.g. {@code https://host:8086} (without {@code /api/v2/write}); @return this */
    public InfluxLineProtocolSinkBuilder setUrl(String url) {
        this.url = url;
        return this;
    }

    /** @param org organisation name; @return this */
    public InfluxLineProtocolSinkBuilder setOrg(String org) {
        this.org = org;
        return this;
    }

    /** @param bucket bucket name; @return this */
    public InfluxLineProtocolSinkBuilder setBucket(String bucket) {
        this.bucket = bucket;
        return this;
    }

    /** @param token where the API token comes from; @return this */
    public InfluxLineProtocolSinkBuilder setToken(InfluxToken token) {
        this.token = token;
        return this;
    }

    /** @param maxAttempts attempts per line for retryable errors, {@code >= 1}; @return this */
    public InfluxLineProtocolSinkBuilder setMaxAttempts(int maxAttempts) {
        this.maxAttempts = maxAttempts;
        return this;
    }

    /** @param maxBatchSize lines per request, 1..5000; @return this */
    public InfluxLineProtocolSinkBuilder setMaxBatchSize(int maxBatchSize) {
        this.maxBatchSize = maxBatchSize;
        return this;
    }

    /** @param maxInFlight concurrent requests per writer, {@code >= 1}; @return this */
    public InfluxLineProtocolSinkBuilder setMaxInFlightRequests(int maxInFlight) {
        this.maxInFlight = maxInFlight;
        return this;
    }

    /** @param maxBuffered lines buffered per writer, {@code > max batch size}; @return this */
    public InfluxLineProtocolSinkBuilder setMaxBufferedRequests(int maxBuffered) {
        this.maxBuffered = maxBuffered;
        return this;
    }

    /** @param ms longest wait for a full batch, {@code >= 1} ms; @return this */
    public InfluxLineProtocolSinkBuilder setMaxTimeInBufferMs(long ms) {
        this.maxTimeInBufferMs = ms;
        return this;
    }

    /** @param baseMs first retry delay cap in ms; @param maxMs largest delay in ms; @return this */
    public InfluxLineProtocolSinkBuilder setBackoff(long baseMs, long maxMs) {
        this.backoffBaseMs = baseMs;
        this.backoffMaxMs = maxMs;
        return this;
    }

    /** @param deadLetters where rejected lines go; @return this */
    public InfluxLineProtocolSinkBuilder setDeadLetterHandler(DeadLetterHandler deadLetters) {
        this.deadLetters = deadLetters;
        return this;
    }

    /**
     * @return the sink
     * @throws IllegalArgumentException naming the option when a value is missing or invalid
     */
    public InfluxLineProtocolSink build() {
        if (url == null || url.trim().isEmpty()) {
            throw invalid("url", url, "is required");
        }
        URI u;
        try {
            u = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw invalid("url", url, "must be an absolute http(s) URL");
        }
        if (u.getScheme() == null || u.getHost() == null || !(u.getScheme().equals("http")
                || u.getScheme().equals("https"))) {
            throw invalid("url", url, "must be an absolute http(s) URL");
        }
        if (org == null || org.trim().isEmpty()) {
            throw invalid("org", org, "is required");
        }
        if (bucket == null || bucket.trim().isEmpty()) {
            throw invalid("bucket", bucket, "is required");
        }
        if (token == null) {
            throw invalid("token", null, "is required");
        }
        if (maxAttempts < 1) {
            throw invalid("max attempts", maxAttempts, "must be >= 1");
        }
        if (maxBatchSize < 1 || maxBatchSize > InfluxSinkOptions.MAX_LINES_PER_WRITE) {
            throw invalid("max batch size", maxBatchSize, "must be 1..5000");
        }
        if (maxInFlight < 1) {
            throw invalid("max in flight", maxInFlight, "must be >= 1");
        }
        if (maxBuffered <= maxBatchSize) {
            throw invalid("max buffered", maxBuffered, "must be > max batch size (" + maxBatchSize + ")");
        }
        if (maxTimeInBufferMs < 1) {
            throw invalid("max time in buffer ms", maxTimeInBufferMs, "must be >= 1");
        }
        if (deadLetters == null) {
            throw new IllegalArgumentException("InfluxDB sink: a dead-letter handler is required (rejected lines "
                    + "must go somewhere)");
        }
        return new InfluxLineProtocolSink(url, org, bucket, token, maxAttempts, maxBatchSize, maxInFlight,
                maxBuffered, maxTimeInBufferMs, new RetryBackoff(backoffBaseMs, backoffMaxMs), deadLetters);
    }

    private static IllegalArgumentException invalid(String option, Object value, String problem) {
        return new IllegalArgumentException("InfluxDB sink option '" + option + "' " + problem + " (got: " + value
                + ")");
    }
}
