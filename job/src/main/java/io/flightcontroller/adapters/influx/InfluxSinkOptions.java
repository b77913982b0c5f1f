package io.flightcontroller.adapters.influx;

/**
 * Defaults and limits of the InfluxDB line-protocol sink.
 *
 * <p>Batch size: InfluxDB's "Optimize writes" guide (https://docs.influxdata.com/influxdb/v2/write-data/best-practices/
 * optimize-writes/) recommends batches of 5,000 lines. The request body is capped well below InfluxDB OSS's default
 * {@code http-max-body-size} of 25,000,000 bytes (InfluxDB v2 configuration options).
 */
public final class InfluxSinkOptions {
    private InfluxSinkOptions() {}

    /** Default and largest lines per write request: 5,000 (InfluxDB "Optimize writes"). */
    public static final int MAX_LINES_PER_WRITE = 5_000;
    /** Largest request body the sink builds, bytes (below InfluxDB OSS's 25,000,000-byte default limit). */
    public static final long MAX_BATCH_BYTES = 10L * 1024 * 1024;
    /** Largest single line, bytes. */
    public static final long MAX_LINE_BYTES = 64L * 1024;

    /** Default attempts per line for retryable errors (429, 5xx, network) before it is dead-lettered. */
    public static final int DEFAULT_MAX_ATTEMPTS = 10;
    /** Default concurrent write requests per writer. */
    public static final int DEFAULT_MAX_IN_FLIGHT = 4;
    /** Default lines buffered per writer before backpressure. */
    public static final int DEFAULT_MAX_BUFFERED = 20_000;
    /** Default longest wait for a full batch, ms. */
    public static final long DEFAULT_MAX_TIME_IN_BUFFER_MS = 1_000L;
    /** Default cap of the first retry delay, ms (full jitter, doubles per attempt). */
    public static final long DEFAULT_BACKOFF_BASE_MS = 200L;
    /** Default largest retry delay, ms. */
    public static final long DEFAULT_BACKOFF_MAX_MS = 30_000L;
    /** Timeout of one write request, ms. */
    public static final long REQUEST_TIMEOUT_MS = 30_000L;
}
