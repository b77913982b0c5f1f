package io.flightcontroller.adapters;

/**
 * The options every {@link RetryingAsyncSink} shares, with their validation: attempts per entry, batch size,
 * in-flight requests, buffered entries, time in buffer, backoff and the dead-letter handler. Concrete builders add
 * their own options and call {@link #validateRetryingOptions} from {@code build()}.
 *
 * @param <B> the concrete builder, returned by the setters
 */
public abstract class RetryingSinkBuilder<B extends RetryingSinkBuilder<B>> {
    protected int maxAttempts;
    protected int maxBatchSize;
    protected int maxInFlight;
    protected int maxBuffered;
    protected long maxTimeInBufferMs;
    protected long backoffBaseMs;
    protected long backoffMaxMs;
    protected DeadLetterHandler deadLetters;

    /**
     * @param maxAttempts default attempts per entry
     * @param maxBatchSize default (and largest) entries per request
     * @param maxInFlight default concurrent requests per writer
     * @param maxBuffered default entries buffered per writer
     * @param maxTimeInBufferMs default longest wait for a full batch, ms
     * @param backoffBaseMs default first retry delay cap, ms
     * @param backoffMaxMs default largest retry delay, ms
     */
    protected RetryingSinkBuilder(int maxAttempts, int maxBatchSize, int maxInFlight, int maxBuffered,
            long maxTimeInBufferMs, long backoffBaseMs, long backoffMaxMs) {
        this.maxAttempts = maxAttempts;
        this.maxBatchSize = maxBatchSize;
        this.maxInFlight = maxInFlight;
        this.maxBuffered = maxBuffered;
        this.maxTimeInBufferMs = maxTimeInBufferMs;
        this.backoffBaseMs = backoffBaseMs;
        this.backoffMaxMs = backoffMaxMs;
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /** @param maxAttempts attempts per entry for retryable errors, {@code >= 1}; @return this */
    public B setMaxAttempts(int maxAttempts) {
        this.maxAttempts = maxAttempts;
        return self();
    }

    /** @param maxBatchSize entries per request, 1 .. the service's limit; @return this */
    public B setMaxBatchSize(int maxBatchSize) {
        this.maxBatchSize = maxBatchSize;
        return self();
    }

    /** @param maxInFlight concurrent requests per writer, {@code >= 1}; @return this */
    public B setMaxInFlightRequests(int maxInFlight) {
        this.maxInFlight = maxInFlight;
        return self();
    }

    /** @param maxBuffered entries buffered per writer, {@code > max batch size}; @return this */
    public B setMaxBufferedRequests(int maxBuffered) {
        this.maxBuffered = maxBuffered;
        return self();
    }

    /** @param ms longest wait for a full batch, {@code >= 1} ms; @return this */
    public B setMaxTimeInBufferMs(long ms) {
        this.maxTimeInBufferMs = ms;
        return self();
    }

    /** @param baseMs first retry delay cap in ms; @param maxMs largest delay in ms; @return this */
    public B setBackoff(long baseMs, long maxMs) {
        this.backoffBaseMs = baseMs;
        this.backoffMaxMs = maxMs;
        return self();
    }

    /** @param deadLetters where entries that cannot be delivered go; @return this */
    public B setDeadLetterHandler(DeadLetterHandler deadLetters) {
        this.deadLetters = deadLetters;
        return self();
    }

    /** @return the retry backoff of these options */
    protected RetryBackoff backoff() {
        return new RetryBackoff(backoffBaseMs, backoffMaxMs);
    }

    /**
     * Checks the shared options.
     *
     * @param sink sink name for messages, e.g. {@code Timestream sink}
     * @param batchLimit the service's largest batch
     * @param batchLimitSource where that limit comes from, for the message
     * @throws IllegalArgumentException naming the option that is invalid
     */
    protected void validateRetryingOptions(String sink, int batchLimit, String batchLimitSource) {
        if (maxAttempts < 1) {
            throw invalid(sink, optionName("max attempts"), maxAttempts, "must be >= 1");
        }
        if (maxBatchSize < 1 || maxBatchSize > batchLimit) {
            throw invalid(sink, optionName("max batch size"), maxBatchSize,
                    "must be 1.." + batchLimit + " (" + batchLimitSource + ")");
        }
        if (maxInFlight < 1) {
            throw invalid(sink, optionName("max in flight"), maxInFlight, "must be >= 1");
        }
        if (maxBuffered <= maxBatchSize) {
            throw invalid(sink, optionName("max buffered"), maxBuffered,
                    "must be > " + optionName("max batch size") + " (" + maxBatchSize + ")");
        }
        if (maxTimeInBufferMs < 1) {
            throw invalid(sink, optionName("max time in buffer ms"), maxTimeInBufferMs, "must be >= 1");
        }
        if (backoffBaseMs < 0) {
            throw invalid(sink, optionName("backoff base ms"), backoffBaseMs, "must be >= 0");
        }
        if (backoffMaxMs < backoffBaseMs) {
            throw invalid(sink, optionName("backoff max ms"), backoffMaxMs,
                    "must be >= " + optionName("backoff base ms") + " (" + backoffBaseMs + ")");
        }
        if (deadLetters == null) {
            throw new IllegalArgumentException(sink + ": a dead-letter handler is required (entries that cannot be "
                    + "delivered must go somewhere)");
        }
    }

    /**
     * The name an option has in this sink's configuration, for error messages (default: the plain name, e.g.
     * {@code max attempts}; a sink configured by keys returns its key).
     *
     * @param option plain option name
     * @return the name to show
     */
    protected String optionName(String option) {
        return option;
    }

    /**
     * @param sink sink name
     * @param option option name
     * @param value the value given
     * @param problem what is wrong
     * @return an exception naming the option
     */
    protected static IllegalArgumentException invalid(String sink, String option, Object value, String problem) {
        return new IllegalArgumentException(sink + " option '" + option + "' " + problem + " (got: " + value + ")");
    }
}
