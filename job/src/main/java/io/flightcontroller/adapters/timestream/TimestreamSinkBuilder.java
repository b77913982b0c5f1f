package io.flightcontroller.adapters.timestream;

import io.flightcontroller.adapters.DeadLetterHandler;
import io.flightcontroller.adapters.RetryingSinkBuilder;
import java.net.URI;

/**
 * Builds a {@link TimestreamSink}; {@link #build()} validates every option and names it in its error.
 *
 * <p>Required: database, table, region and a {@link DeadLetterHandler}. Defaults are those of
 * {@link TimestreamSinkOptions}.
 */
public class TimestreamSinkBuilder extends RetryingSinkBuilder<TimestreamSinkBuilder> {
    private String database;
    private String table;
    private String region;
    private String endpoint;

    private static final String SINK = "Timestream sink";

    TimestreamSinkBuilder() {
        super(TimestreamSinkOptions.DEFAULT_MAX_ATTEMPTS, TimestreamSinkOptions.MAX_RECORDS_PER_WRITE,
                TimestreamSinkOptions.DEFAULT_MAX_IN_FLIGHT, TimestreamSinkOptions.DEFAULT_MAX_BUFFERED,
                TimestreamSinkOptions.DEFAULT_MAX_TIME_IN_BUFFER_MS, TimestreamSinkOptions.DEFAULT_BACKOFF_BASE_MS,
                TimestreamSinkOptions.DEFAULT_BACKOFF_MAX_MS);
    }

    /** @param database Timestream database name; @return this */
    public TimestreamSinkBuilder setDatabase(String database) {
        this.database = database;
        return this;
    }

    /** @param table Timestream table name; @return this */
    public TimestreamSinkBuilder setTable(String table) {
        this.table = table;
        return this;
    }

    /** @param region AWS region id, e.g. {@code eu-west-1}; @return this */
    public TimestreamSinkBuilder setRegion(String region) {
        this.region = region;
        return this;
    }

    /** @param endpoint endpoint override URI (disables endpoint discovery), or null; @return this */
    public TimestreamSinkBuilder setEndpoint(String endpoint) {
        this.endpoint = endpoint;
        return this;
    }

    /**
     * @return the sink
     * @throws IllegalArgumentException naming the option when a value is missing or invalid
     */
    public TimestreamSink build() {
        require("database", database);
        require("table", table);
        require("region", region);
        if (endpoint != null && !endpoint.isEmpty()) {
            URI u;
            try {
                u = URI.create(endpoint);
            } catch (IllegalArgumentException e) {
                throw invalid("endpoint", endpoint, "must be an absolute http(s) URI");
            }
            if (u.getScheme() == null || u.getHost() == null) {
                throw invalid("endpoint", endpoint, "must be an absolute http(s) URI");
            }
        }
        validateRetryingOptions(SINK, TimestreamSinkOptions.MAX_RECORDS_PER_WRITE, "Timestream WriteRecords quota");
        return new TimestreamSink(database, table, region, endpoint, maxAttempts, maxBatchSize, maxInFlight,
                maxBuffered, maxTimeInBufferMs, backoff(), deadLetters);
    }

    private static void require(String option, String value) {
        if (value == null || value.trim().isEmpty()) {
            throw invalid(option, value, "is required");
        }
    }

    private static IllegalArgumentException invalid(String option, Object value, String problem) {
        return invalid(SINK, option, value, problem);
    }
}
