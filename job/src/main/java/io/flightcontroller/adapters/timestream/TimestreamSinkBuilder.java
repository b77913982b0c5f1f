package io.flightcontroller.adapters.timestream;

import io.flightcontroller.adapters.DeadLetterHandler;
import io.flightcontroller.adapters.InvalidOptionException;
import io.flightcontroller.adapters.RetryingSinkBuilder;
import io.flightcontroller.adapters.metrics.MetricPoint;
import org.apache.flink.configuration.Configuration;
import software.amazon.awssdk.services.timestreamwrite.model.Record;

/**
 * Builds a {@link TimestreamSink}; {@link #build()} validates every option with
 * {@link TimestreamSinkOptions#fromConfiguration} and names the key in its error.
 *
 * <p>Required: database, table, region and a {@link DeadLetterHandler}. Defaults are those of
 * {@link TimestreamSinkOptions}; batching limits are set with Flink's {@code AsyncSinkBaseBuilder} setters.
 */
public class TimestreamSinkBuilder extends RetryingSinkBuilder<MetricPoint, Record, TimestreamSinkBuilder> {
    private static final String SINK = "Timestream sink";

    TimestreamSinkBuilder() {
        super(TimestreamSinkOptions.RETRY);
    }

    /**
     * Copies the Timestream options present in a property group (keys of {@link TimestreamSinkOptions#options()}).
     *
     * @param group e.g. the runtime property group {@code FlightController.Sinks}
     * @return this
     */
    public TimestreamSinkBuilder fromConfiguration(Configuration group) {
        return withConfiguration(group);
    }

    /** @param options validated options (e.g. from {@link TimestreamSinkOptions#fromConfiguration}); @return this */
    public TimestreamSinkBuilder setOptions(TimestreamSinkOptions options) {
        return withConfiguration(options.toConfiguration());
    }

    /** @param database Timestream database name; @return this */
    public TimestreamSinkBuilder setDatabase(String database) {
        return setString(TimestreamSinkOptions.DATABASE, database);
    }

    /** @param table Timestream table name; @return this */
    public TimestreamSinkBuilder setTable(String table) {
        return setString(TimestreamSinkOptions.TABLE, table);
    }

    /** @param region AWS region id, e.g. {@code eu-west-1}; @return this */
    public TimestreamSinkBuilder setRegion(String region) {
        return setString(TimestreamSinkOptions.REGION, region);
    }

    /** @param endpoint endpoint override URI (disables endpoint discovery), or null; @return this */
    public TimestreamSinkBuilder setEndpoint(String endpoint) {
        return setString(TimestreamSinkOptions.ENDPOINT, endpoint);
    }

    /**
     * @return the sink
     * @throws InvalidOptionException naming the key when a value is missing or invalid
     * @throws IllegalArgumentException when no dead-letter handler is set
     */
    @Override
    public TimestreamSink build() {
        TimestreamSinkOptions options = TimestreamSinkOptions.fromConfiguration(configuration());
        return new TimestreamSink(options, deadLetters(SINK));
    }
}
