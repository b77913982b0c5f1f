package io.flightcontroller.adapters.influx;

import io.flightcontroller.adapters.DeadLetterHandler;
import io.flightcontroller.adapters.InvalidOptionException;
import io.flightcontroller.adapters.RetryingSinkBuilder;
import io.flightcontroller.adapters.metrics.MetricPoint;
import org.apache.flink.configuration.Configuration;

/**
 * Builds an {@link InfluxLineProtocolSink}; {@link #build()} validates every option with
 * {@link InfluxSinkOptions#fromConfiguration} and names the key in its error.
 *
 * <p>Required: URL, org, bucket, a token ({@link #setToken} or the token keys) and a {@link DeadLetterHandler}.
 * Defaults are those of {@link InfluxSinkOptions}; batching limits are set with Flink's {@code AsyncSinkBaseBuilder}
 * setters.
 */
public class InfluxLineProtocolSinkBuilder
        extends RetryingSinkBuilder<MetricPoint, String, InfluxLineProtocolSinkBuilder> {
    private static final String SINK = "InfluxDB sink";

    private InfluxToken token;

    InfluxLineProtocolSinkBuilder() {
        super(InfluxSinkOptions.RETRY);
    }

    /**
     * Copies the InfluxDB options present in a property group (keys of {@link InfluxSinkOptions#options()}).
     *
     * @param group e.g. the runtime property group {@code FlightController.Sinks}
     * @return this
     */
    public InfluxLineProtocolSinkBuilder fromConfiguration(Configuration group) {
        return withConfiguration(group);
    }

    /** @param options validated options (e.g. from {@link InfluxSinkOptions#fromConfiguration}); @return this */
    public InfluxLineProtocolSinkBuilder setOptions(InfluxSinkOptions options) {
        this.token = options.getToken();
        return withConfiguration(options.toConfiguration());
    }

    /** @param url server base URL, e.g. {@code https://host:8086} (without {@code /api/v2/write}); @return this */
    public InfluxLineProtocolSinkBuilder setUrl(String url) {
        return setString(InfluxSinkOptions.URL, url);
    }

    /** @param org organisation name; @return this */
    public InfluxLineProtocolSinkBuilder setOrg(String org) {
        return setString(InfluxSinkOptions.ORG, org);
    }

    /** @param bucket bucket name; @return this */
    public InfluxLineProtocolSinkBuilder setBucket(String bucket) {
        return setString(InfluxSinkOptions.BUCKET, bucket);
    }

    /** @param token where the API token comes from (instead of the token keys); @return this */
    public InfluxLineProtocolSinkBuilder setToken(InfluxToken token) {
        this.token = token;
        return this;
    }

    /**
     * @return the sink
     * @throws InvalidOptionException naming the key when a value is missing or invalid
     * @throws IllegalArgumentException when no dead-letter handler is set
     */
    @Override
    public InfluxLineProtocolSink build() {
        InfluxSinkOptions options = InfluxSinkOptions.read(configuration(), token);
        return new InfluxLineProtocolSink(options, deadLetters(SINK));
    }
}
