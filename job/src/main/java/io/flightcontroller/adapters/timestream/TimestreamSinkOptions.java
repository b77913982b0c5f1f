package io.flightcontroller.adapters.timestream;

import io.flightcontroller.adapters.InvalidOptionException;
import io.flightcontroller.adapters.Options;
import io.flightcontroller.adapters.RetryingSinkOptions;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;

/**
 * Options of the Timestream sink: its {@link ConfigOption}s (keys of the runtime property group
 * {@code FlightController.Sinks}), their defaults and AWS limits, and the validated values read by
 * {@link #fromConfiguration}.
 *
 * <p>Shape: {@code timestream.database}, {@code timestream.table}, {@code timestream.region} (an AWS region id such as
 * {@code eu-west-1}) required; {@code timestream.endpoint} (absolute http(s) URL; disables endpoint discovery); the
 * shared retry keys {@code timestream.max.attempts}, ... ({@link RetryingSinkOptions}).
 *
 * <p>Limits are from "Quotas" in the Amazon Timestream for LiveAnalytics developer guide
 * (https://docs.aws.amazon.com/timestream/latest/developerguide/ts-limits.html): "Records per WriteRecords API
 * request: 100"; the memory store accepts records whose time lies within its retention period before now and at most
 * 15 minutes in the future ("Future ingestion period"); older records need magnetic-store writes on the table.
 */
public final class TimestreamSinkOptions implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Most records in one WriteRecords call: 100 (Timestream quotas, "Records per WriteRecords API request"). */
    public static final int MAX_RECORDS_PER_WRITE = 100;
    /** Largest request the sink builds, in bytes (estimated): a guard, far above 100 records of this job's shape. */
    public static final long MAX_BATCH_BYTES = 4L * 1024 * 1024;
    /** Largest single record, in bytes (estimated): a guard against runaway dimensions. */
    public static final long MAX_RECORD_BYTES = 256L * 1024;

    /** Default attempts per record before it is dead-lettered. */
    public static final int DEFAULT_MAX_ATTEMPTS = 10;
    /** Default concurrent WriteRecords calls per writer. */
    public static final int DEFAULT_MAX_IN_FLIGHT = 10;
    /** Default records buffered per writer before backpressure. */
    public static final int DEFAULT_MAX_BUFFERED = 10_000;
    /** Default longest wait for a full batch, ms. */
    public static final long DEFAULT_MAX_TIME_IN_BUFFER_MS = 1_000L;
    /** Default cap of the first retry delay, ms (full jitter, doubles per attempt). */
    public static final long DEFAULT_BACKOFF_BASE_MS = 100L;
    /** Default largest retry delay, ms. */
    public static final long DEFAULT_BACKOFF_MAX_MS = 20_000L;

    /** Timestream database. Required. */
    public static final ConfigOption<String> DATABASE = ConfigOptions.key("timestream.database")
            .stringType()
            .noDefaultValue()
            .withDescription("Timestream for LiveAnalytics database.");
    /** Timestream table. Required. */
    public static final ConfigOption<String> TABLE = ConfigOptions.key("timestream.table")
            .stringType()
            .noDefaultValue()
            .withDescription("Timestream for LiveAnalytics table.");
    /** AWS region id. Required. */
    public static final ConfigOption<String> REGION = ConfigOptions.key("timestream.region")
            .stringType()
            .noDefaultValue()
            .withDescription("AWS region id, e.g. eu-west-1.");
    /** Endpoint override (tests, VPC endpoints); disables endpoint discovery. */
    public static final ConfigOption<String> ENDPOINT = ConfigOptions.key("timestream.endpoint")
            .stringType()
            .noDefaultValue()
            .withDescription("Endpoint override; disables endpoint discovery.");

    /** The shared retry and batching keys under {@code timestream.}. */
    public static final RetryingSinkOptions.Keys RETRY = RetryingSinkOptions.keys(
            "timestream",
            "records",
            RetryingSinkOptions.defaults(
                    DEFAULT_MAX_ATTEMPTS,
                    MAX_RECORDS_PER_WRITE,
                    DEFAULT_MAX_IN_FLIGHT,
                    DEFAULT_MAX_BUFFERED,
                    DEFAULT_MAX_TIME_IN_BUFFER_MS,
                    MAX_BATCH_BYTES,
                    MAX_RECORD_BYTES,
                    DEFAULT_BACKOFF_BASE_MS,
                    DEFAULT_BACKOFF_MAX_MS),
            "Timestream WriteRecords quota");

    private final String database;
    private final String table;
    private final String region;
    private final String endpoint;
    private final RetryingSinkOptions retry;

    private TimestreamSinkOptions(
            String database, String table, String region, String endpoint, RetryingSinkOptions retry) {
        this.database = database;
        this.table = table;
        this.region = region;
        this.endpoint = endpoint;
        this.retry = retry;
    }

    /** @return every option of this sink, in documentation order */
    public static List<ConfigOption<?>> options() {
        List<ConfigOption<?>> all = new ArrayList<>();
        all.add(DATABASE);
        all.add(TABLE);
        all.add(REGION);
        all.add(ENDPOINT);
        all.addAll(RETRY.all());
        return Collections.unmodifiableList(all);
    }

    /**
     * Reads and validates the Timestream options of a property group; absent keys take their defaults, unknown keys
     * are ignored.
     *
     * @param group e.g. the runtime property group {@code FlightController.Sinks}
     * @return the options
     * @throws InvalidOptionException naming the key that is missing or invalid
     */
    public static TimestreamSinkOptions fromConfiguration(Configuration group) {
        String why = "required when metrics.sink=timestream";
        String endpoint = Options.httpUrl(ENDPOINT, Options.string(group, ENDPOINT));
        String region = Options.required(group, REGION, why);
        Options.check(
                region.matches("[a-z]{2}(-[a-z]+)+-\\d+"), REGION, "not an AWS region id (e.g. eu-west-1): " + region);
        return new TimestreamSinkOptions(
                Options.required(group, DATABASE, why),
                Options.required(group, TABLE, why),
                region,
                endpoint,
                RETRY.read(group));
    }

    /** @return these options under their keys */
    public Configuration toConfiguration() {
        Configuration c = new Configuration();
        c.set(DATABASE, database);
        c.set(TABLE, table);
        c.set(REGION, region);
        if (endpoint != null) {
            c.set(ENDPOINT, endpoint);
        }
        RETRY.write(retry, c);
        return c;
    }

    /** @return database name */
    public String getDatabase() {
        return database;
    }
    /** @return table name */
    public String getTable() {
        return table;
    }
    /** @return AWS region id */
    public String getRegion() {
        return region;
    }
    /** @return endpoint override, or null */
    public String getEndpoint() {
        return endpoint;
    }
    /** @return attempts, backoff and batching limits */
    public RetryingSinkOptions getRetry() {
        return retry;
    }

    @Override
    public String toString() {
        return "timestream " + database + "." + table + " in " + region + (endpoint != null ? " via " + endpoint : "")
                + " " + retry;
    }
}
