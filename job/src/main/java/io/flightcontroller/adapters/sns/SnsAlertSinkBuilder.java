package io.flightcontroller.adapters.sns;

import io.flightcontroller.adapters.DeadLetterHandler;
import io.flightcontroller.adapters.RetryingSinkBuilder;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

import java.net.URI;

/**
 * Builds an {@link SnsAlertSink}; {@link #build()} validates every option and names the option in its error.
 *
 * <p>Required: {@link SnsSinkOptions#TOPIC_ARN} and a {@link DeadLetterHandler}. Defaults are those of
 * {@link SnsSinkOptions}.
 */
public class SnsAlertSinkBuilder extends RetryingSinkBuilder<SnsAlertSinkBuilder> {
    private static final String SINK = "SNS sink";
    private final Configuration config = new Configuration();

    SnsAlertSinkBuilder() {
        super(SnsSinkOptions.MAX_ATTEMPTS.defaultValue(), SnsSinkOptions.MAX_BATCH_SIZE.defaultValue(),
                SnsSinkOptions.MAX_IN_FLIGHT.defaultValue(), SnsSinkOptions.MAX_BUFFERED.defaultValue(),
                SnsSinkOptions.MAX_TIME_IN_BUFFER_MS.defaultValue(), SnsSinkOptions.BACKOFF_BASE_MS.defaultValue(),
                SnsSinkOptions.BACKOFF_MAX_MS.defaultValue());
    }

    @Override
    protected String optionName(String option) {
        switch (option) {
            case "max attempts": return SnsSinkOptions.MAX_ATTEMPTS.key();
            case "max batch size": return SnsSinkOptions.MAX_BATCH_SIZE.key();
            case "max in flight": return SnsSinkOptions.MAX_IN_FLIGHT.key();
            case "max buffered": return SnsSinkOptions.MAX_BUFFERED.key();
            case "max time in buffer ms": return SnsSinkOptions.MAX_TIME_IN_BUFFER_MS.key();
            case "backoff base ms": return SnsSinkOptions.BACKOFF_BASE_MS.key();
            case "backoff max ms": return SnsSinkOptions.BACKOFF_MAX_MS.key();
            default: return option;
        }
    }

    /**
     * Copies the SNS options present in {@code options} (keys of {@link SnsSinkOptions}).
     *
     * @param options e.g. the runtime property group {@code FlightController.Alerts}
     * @return this
     */
    public SnsAlertSinkBuilder fromConfiguration(Configuration options) {
        for (ConfigOption<?> o : new ConfigOption<?>[] {SnsSinkOptions.TOPIC_ARN, SnsSinkOptions.REGION,
                SnsSinkOptions.ENDPOINT}) {
            if (options.containsKey(o.key())) {
                config.setString(o.key(), options.toMap().get(o.key()));
            }
        }
        options.getOptional(SnsSinkOptions.MAX_ATTEMPTS).ifPresent(this::setMaxAttempts);
        options.getOptional(SnsSinkOptions.MAX_BATCH_SIZE).ifPresent(this::setMaxBatchSize);
        options.getOptional(SnsSinkOptions.MAX_IN_FLIGHT).ifPresent(this::setMaxInFlightRequests);
        options.getOptional(SnsSinkOptions.MAX_BUFFERED).ifPresent(this::setMaxBufferedRequests);
        options.getOptional(SnsSinkOptions.MAX_TIME_IN_BUFFER_MS).ifPresent(this::setMaxTimeInBufferMs);
        setBackoff(options.getOptional(SnsSinkOptions.BACKOFF_BASE_MS).orElse(backoffBaseMs),
                options.getOptional(SnsSinkOptions.BACKOFF_MAX_MS).orElse(backoffMaxMs));
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
        validateRetryingOptions(SINK, SnsSinkOptions.SNS_MAX_BATCH_ENTRIES, "SNS PublishBatch limit");
        return new SnsAlertSink(arn, region, endpoint, maxAttempts, maxBatchSize, maxInFlight, maxBuffered,
                maxTimeInBufferMs, backoff(), deadLetters);
    }

    private static IllegalArgumentException invalid(ConfigOption<?> option, Object value, String problem) {
        return invalid(SINK, option.key(), value, problem);
    }
}
