package io.flightcontroller.adapters.timestream;

import io.flightcontroller.adapters.DeadLetterHandler;
import io.flightcontroller.adapters.RetryBackoff;

import java.net.URI;

/**
 * Builds a {@link TimestreamSink}; {@link #build()} validates every option and names it in its error.
 *
 * <p>Required: database, table, region and a {@link DeadLetterHandler}. Defaults are those of
 * {@link TimestreamSinkOptions}.
 */
public class TimestreamSinkBuilder {
    private String database;
    private String table;
    private String region;
    private String endpoint;
    private int maxAttempts = TimestreamSinkOptions.DEFAULT_MAX_ATTEMPTS;
    private int maxBatchSize = TimestreamSinkOptions.MAX_RECORDS_PER_WRITE;
    private int maxInFlight = TimestreamSinkOptions.DEFAULT_MAX_IN_FLIGHT;
    private int maxBuffered = TimestreamSinkOptions.DEFAULT_MAX_BUFFERED;
    private long maxTimeInBufferMs = TimestreamSinkOptions.DEFAULT_MAX_TIME_IN_BUFFER_MS;
    private long backoffBaseMs = TimestreamSinkOptions.DEFAULT_BACKOFF_BASE_MS;
    private long backoffMaxMs = TimestreamSinkOptions.DEFAULT_BACKOFF_MAX_MS;
    private DeadLetterHandler deadLetters;

    TimestreamSinkBuilder() {}

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

    /** @param maxAttempts attempts per record for retryable errors, {@code >= 1}; @return this */
    public TimestreamSinkBuilder setMaxAttempts(int maxAttempts) {
        this.maxAttempts = maxAttempts;
        return this;
    }

    /** @param maxBatchSize records per WriteRecords call, 1..100; @return this */
    public TimestreamSinkBuilder setMaxBatchSize(int maxBatchSize) {
        this.maxBatchSize = maxBatchSize;
        return this;
    }

    /** @param maxInFlight concurrent calls per writer, {@code >= 1}; @return this */
    public TimestreamSinkBuilder setMaxInFlightRequests(int maxInFlight) {
        this.maxInFlight = maxInFlight;
        return this;
    }

    /** @param maxBuffered records buffered per writer, {@code > max batch size}; @return this */
    public TimestreamSinkBuilder setMaxBufferedRequests(int maxBuffered) {
        this.maxBuffered = maxBuffered;
        return this;
    }

    /** @param ms longest wait for a full batch, {@code >= 1} ms; @return this */
    public TimestreamSinkBuilder setMaxTimeInBufferMs(long ms) {
        this.maxTimeInBufferMs = ms;
        return this;
    }

    /** @param baseMs first retry delay cap in ms; @param maxMs largest delay in ms; @return this */
    public TimestreamSinkBuilder setBackoff(long baseMs, long maxMs) {
        this.backoffBaseMs = baseMs;
        this.backoffMaxMs = maxMs;
        return this;
    }

    /** @param deadLetters where rejected records go; @return this */
    public TimestreamSinkBuilder setDeadLetterHandler(DeadLetterHandler deadLetters) {
        this.deadLetters = deadLetters;
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
        if (maxAttempts < 1) {
            throw invalid("max attempts", maxAttempts, "must be >= 1");
        }
        if (maxBatchSize < 1 || maxBatchSize > TimestreamSinkOptions.MAX_RECORDS_PER_WRITE) {
            throw invalid("max batch size", maxBatchSize, "must be 1..100 (Timestream WriteRecords quota)");
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
            throw new IllegalArgumentException("Timestream sink: a dead-letter handler is required (rejected records "
                    + "must go somewhere)");
        }
        return new TimestreamSink(database, table, region, endpoint, maxAttempts, maxBatchSize, maxInFlight,
                maxBuffered, maxTimeInBufferMs, new RetryBackoff(backoffBaseMs, backoffMaxMs), deadLetters);
    }

    private static void require(String option, String value) {
        if (value == null || value.trim().isEmpty()) {
            throw invalid(option, value, "is required");
        }
    }

    private static IllegalArgumentException invalid(String option, Object value, String problem) {
        return new IllegalArgumentException("Timestream sink option '" + option + "' " + problem + " (got: " + value
                + ")");
    }
}
