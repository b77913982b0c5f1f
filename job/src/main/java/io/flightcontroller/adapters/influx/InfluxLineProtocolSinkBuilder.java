package io.flightcontroller.adapters.influx;

import io.flightcontroller.adapters.DeadLetterHandler;
import io.flightcontroller.adapters.RetryingSinkBuilder;

import java.net.URI;

/**
 * Builds an {@link InfluxLineProtocolSink}; {@link #build()} validates every option and names it in its error.
 *
 * <p>Required: URL, org, bucket, token and a {@link DeadLetterHandler}. Defaults are those of
 * {@link InfluxSinkOptions}.
 */
public class InfluxLineProtocolSinkBuilder extends RetryingSinkBuilder<InfluxLineProtocolSinkBuilder> {
    private String url;
    private String org;
    private String bucket;
    private InfluxToken token;

    private static final String SINK = "InfluxDB sink";

    InfluxLineProtocolSinkBuilder() {
        super(InfluxSinkOptions.DEFAULT_MAX_ATTEMPTS, InfluxSinkOptions.MAX_LINES_PER_WRITE,
                InfluxSinkOptions.DEFAULT_MAX_IN_FLIGHT, InfluxSinkOptions.DEFAULT_MAX_BUFFERED,
                InfluxSinkOptions.DEFAULT_MAX_TIME_IN_BUFFER_MS, InfluxSinkOptions.DEFAULT_BACKOFF_BASE_MS,
                InfluxSinkOptions.DEFAULT_BACKOFF_MAX_MS);
    }

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
        validateRetryingOptions(SINK, InfluxSinkOptions.MAX_LINES_PER_WRITE, "lines per write request");
        return new InfluxLineProtocolSink(url, org, bucket, token, maxAttempts, maxBatchSize, maxInFlight,
                maxBuffered, maxTimeInBufferMs, backoff(), deadLetters);
    }

    private static IllegalArgumentException invalid(String option, Object value, String problem) {
        return invalid(SINK, option, value, problem);
    }
}
