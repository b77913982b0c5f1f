package io.flightcontroller.adapters;

import java.io.Serializable;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.sink.AsyncSinkBaseBuilder;

/**
 * Base of the builders of the {@link RetryingAsyncSink}s, on Flink's {@link AsyncSinkBaseBuilder} (whose setters set
 * the batching and buffering limits): adds attempts per entry, backoff and the dead-letter handler, and collects every
 * value under its key in a {@link Configuration}, so that {@code build()} validates builder values and property-group
 * values with one method (the sink's {@code XxxSinkOptions.fromConfiguration}) and its errors name the key.
 *
 * <p>Shape: a value set here wins over the same key in a configuration given earlier with {@link #withConfiguration};
 * a later configuration wins over values set before it.
 *
 * @param <InputT> element type the sink receives
 * @param <E> request entry type
 * @param <B> the concrete builder, returned by the setters
 */
public abstract class RetryingSinkBuilder<InputT, E extends Serializable, B extends RetryingSinkBuilder<InputT, E, B>>
        extends AsyncSinkBaseBuilder<InputT, E, B> {

    private final Configuration config = new Configuration();
    private final RetryingSinkOptions.Keys keys;
    private DeadLetterHandler deadLetters;

    /** @param keys the sink's shared keys */
    protected RetryingSinkBuilder(RetryingSinkOptions.Keys keys) {
        this.keys = keys;
    }

    /** @return this, as the concrete builder */
    @SuppressWarnings("unchecked")
    protected B self() {
        return (B) this;
    }

    /**
     * Copies the options of a property group (unknown keys are ignored).
     *
     * @param group e.g. the runtime property group {@code FlightController.Alerts}
     * @return this
     */
    protected B withConfiguration(Configuration group) {
        config.addAll(group);
        return self();
    }

    /** @param maxAttempts attempts per entry for retryable errors, {@code >= 1}; @return this */
    public B setMaxAttempts(int maxAttempts) {
        config.set(keys.maxAttempts, maxAttempts);
        return self();
    }

    /** @param baseMs cap of the first retry delay in ms; @param maxMs largest delay in ms; @return this */
    public B setBackoff(long baseMs, long maxMs) {
        config.set(keys.backoffBaseMs, baseMs);
        config.set(keys.backoffMaxMs, maxMs);
        return self();
    }

    /** @param deadLetters where entries that cannot be delivered go; @return this */
    public B setDeadLetterHandler(DeadLetterHandler deadLetters) {
        this.deadLetters = deadLetters;
        return self();
    }

    /** @return the options collected so far, with the batching limits of {@link AsyncSinkBaseBuilder}'s setters */
    protected Configuration configuration() {
        Configuration c = new Configuration(config);
        if (getMaxBatchSize() != null) {
            c.set(keys.maxBatchSize, getMaxBatchSize());
        }
        if (getMaxInFlightRequests() != null) {
            c.set(keys.maxInFlight, getMaxInFlightRequests());
        }
        if (getMaxBufferedRequests() != null) {
            c.set(keys.maxBuffered, getMaxBufferedRequests());
        }
        if (getMaxTimeInBufferMS() != null) {
            c.set(keys.maxTimeInBufferMs, getMaxTimeInBufferMS());
        }
        if (getMaxBatchSizeInBytes() != null) {
            c.set(keys.maxBatchSizeInBytes, getMaxBatchSizeInBytes());
        }
        if (getMaxRecordSizeInBytes() != null) {
            c.set(keys.maxRecordSizeInBytes, getMaxRecordSizeInBytes());
        }
        return c;
    }

    /** @param key a key; @param value its value, or null to leave it unset; @return this */
    protected B setString(ConfigOption<String> key, String value) {
        if (value == null) {
            config.removeConfig(key);
        } else {
            config.set(key, value);
        }
        return self();
    }

    /**
     * @param sink sink name for the message, e.g. {@code SNS sink}
     * @return the dead-letter handler
     * @throws IllegalArgumentException when none was set
     */
    protected DeadLetterHandler deadLetters(String sink) {
        if (deadLetters == null) {
            throw new IllegalArgumentException(sink + ": a dead-letter handler is required (entries that cannot be "
                    + "delivered must go somewhere)");
        }
        return deadLetters;
    }
}
