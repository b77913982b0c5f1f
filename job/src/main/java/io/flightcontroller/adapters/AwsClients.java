package io.flightcontroller.adapters;

import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.regions.Region;

/** Shared AWS SDK v2 client settings of the sinks. */
public final class AwsClients {
    private AwsClients() {}

    /**
     * Applies region, optional endpoint override and the sinks' retry policy: the SDK does not retry, because the sink
     * writers count attempts per entry and back off themselves (so the configured max attempts is exact).
     * Credentials come from the SDK's default chain (environment, system properties, profile, container or instance
     * role).
     *
     * @param builder an SDK client builder
     * @param region AWS region id, e.g. {@code eu-west-1}
     * @param endpoint endpoint override URI, or null
     * @param apiCallTimeout timeout of one API call including the transfer
     * @param <B> builder type
     * @return the builder
     */
    public static <B extends AwsClientBuilder<B, ?>> B configure(
            B builder, String region, String endpoint, Duration apiCallTimeout) {
        builder.region(Region.of(region))
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .retryStrategy(AwsRetryStrategy.doNotRetry())
                        .apiCallTimeout(apiCallTimeout)
                        .build());
        if (endpoint != null && !endpoint.isEmpty()) {
            builder.endpointOverride(URI.create(endpoint));
        }
        return builder;
    }
}
