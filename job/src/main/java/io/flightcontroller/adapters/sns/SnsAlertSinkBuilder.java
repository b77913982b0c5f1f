package io.flightcontroller.adapters.sns;

import io.flightcontroller.adapters.DeadLetterHandler;
import io.flightcontroller.adapters.InvalidOptionException;
import io.flightcontroller.adapters.RetryingSinkBuilder;
import io.flightcontroller.domain.result.Alert;
import org.apache.flink.configuration.Configuration;

/**
 * Builds an {@link SnsAlertSink}; {@link #build()} validates every option with
 * {@link SnsSinkOptions#fromConfiguration} and names the key in its error.
 *
 * <p>Required: {@link SnsSinkOptions#TOPIC_ARN} and a {@link DeadLetterHandler}. Defaults are those of
 * {@link SnsSinkOptions}; batching limits are set with Flink's {@code AsyncSinkBaseBuilder} setters.
 */
public class SnsAlertSinkBuilder extends RetryingSinkBuilder<Alert, SnsAlertEntry, SnsAlertSinkBuilder> {
    private static final String SINK = "SNS sink";

    SnsAlertSinkBuilder() {
        super(SnsSinkOptions.RETRY);
    }

    /**
     * Copies the SNS options present in a property group (keys of {@link SnsSinkOptions#options()}).
     *
     * @param options e.g. the runtime property group {@code FlightController.Alerts}
     * @return this
     */
    public SnsAlertSinkBuilder fromConfiguration(Configuration options) {
        return withConfiguration(options);
    }

    /** @param options validated options (e.g. from {@link SnsSinkOptions#fromConfiguration}); @return this */
    public SnsAlertSinkBuilder setOptions(SnsSinkOptions options) {
        return withConfiguration(options.toConfiguration());
    }

    /** @param topicArn topic ARN ({@code arn:aws:sns:REGION:ACCOUNT:NAME}); @return this */
    public SnsAlertSinkBuilder setTopicArn(String topicArn) {
        return setString(SnsSinkOptions.TOPIC_ARN, topicArn);
    }

    /** @param region AWS region id; @return this */
    public SnsAlertSinkBuilder setRegion(String region) {
        return setString(SnsSinkOptions.REGION, region);
    }

    /** @param endpoint endpoint override URI, e.g. {@code http://127.0.0.1:5000}; @return this */
    public SnsAlertSinkBuilder setEndpoint(String endpoint) {
        return setString(SnsSinkOptions.ENDPOINT, endpoint);
    }

    /**
     * @return the sink
     * @throws InvalidOptionException naming the key when a value is missing or invalid
     * @throws IllegalArgumentException when no dead-letter handler is set
     */
    @Override
    public SnsAlertSink build() {
        SnsSinkOptions options = SnsSinkOptions.fromConfiguration(configuration());
        return new SnsAlertSink(options, deadLetters(SINK));
    }
}
