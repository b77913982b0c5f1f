package io.flightcontroller.adapters.timestream;

/**
 * Defaults and AWS limits of the Timestream sink.
 *
 * <p>Limits are from "Quotas" in the Amazon Timestream for LiveAnalytics developer guide
 * (https://docs.aws.amazon.com/timestream/latest/developerguide/ts-limits.html): "Records per WriteRecords API
 * request: 100"; the memory store accepts records whose time lies within its retention period before now and at most
 * 15 minutes in the future ("Future ingestion period"); older records need magnetic-store writes on the table.
 */
public final class TimestreamSinkOptions {
    private TimestreamSinkOptions() {}

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
}
