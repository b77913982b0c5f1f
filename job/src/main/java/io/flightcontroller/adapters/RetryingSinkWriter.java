package io.flightcontroller.adapters;

import io.flightcontroller.domain.event.DeadLetter;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.base.sink.writer.AsyncSinkWriter;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.ElementConverter;
import org.apache.flink.connector.base.sink.writer.ResultHandler;
import org.apache.flink.metrics.Counter;

/**
 * An {@link AsyncSinkWriter} that counts attempts per entry, delays retries with {@link RetryBackoff} (full jitter) and
 * hands entries that ran out of attempts, or that the service rejected for good, to a {@link DeadLetterHandler}.
 *
 * <p>Attempts are tracked per entry object (Flink re-queues the same objects that {@code retryForEntries} returns);
 * entries restored from a checkpoint start again at attempt 1. Dead letters increment the counter named by the subclass
 * (e.g. {@code numAlertsDeadLettered}) and Flink's {@code numRecordsOutErrors}.
 *
 * <p>Retries are handed back after the backoff delay while the request still counts as in flight, so the writer's
 * in-flight limit turns throttling into backpressure instead of a hot retry loop.
 *
 * @param <InputT> element type
 * @param <E> request entry type
 */
public abstract class RetryingSinkWriter<InputT, E extends Serializable> extends AsyncSinkWriter<InputT, E> {

    private final DeadLetterHandler deadLetters;
    private final RetryBackoff backoff;
    private final int maxAttempts;
    private final Map<E, Integer> attempts = Collections.synchronizedMap(new IdentityHashMap<>());
    private final ScheduledExecutorService scheduler;
    private final Counter deadLettered;
    private final Counter outErrors;

    /**
     * @param converter element converter
     * @param context Flink's writer context
     * @param options the sink's shared options: attempts, backoff, batching and in-flight limits
     * @param states buffered entries restored from a checkpoint
     * @param deadLetters where given-up entries go
     * @param deadLetterCounterName metric name of the dead-letter counter
     */
    protected RetryingSinkWriter(
            ElementConverter<InputT, E> converter,
            WriterInitContext context,
            RetryingSinkOptions options,
            Collection<BufferedRequestState<E>> states,
            DeadLetterHandler deadLetters,
            String deadLetterCounterName) {
        super(converter, context, options.writerConfiguration(), states);
        this.deadLetters = deadLetters;
        this.backoff = options.backoff();
        this.maxAttempts = options.getMaxAttempts();
        this.deadLettered = context.metricGroup().counter(deadLetterCounterName);
        this.outErrors = context.metricGroup().getNumRecordsOutErrorsCounter();
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sink-retry-" + deadLetterCounterName);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Builds the dead letter for an entry.
     *
     * @param entry the entry given up on
     * @param detail why, including the service's reason
     * @return the dead letter
     */
    protected abstract DeadLetter toDeadLetter(E entry, String detail);

    /** @param entry an entry the service accepted */
    protected void succeeded(E entry) {
        attempts.remove(entry);
    }

    /**
     * Gives up on an entry now (the service rejected it for good).
     *
     * @param entry the entry
     * @param detail why
     */
    protected void deadLetter(E entry, String detail) {
        int n = attempts.getOrDefault(entry, 0) + 1;
        attempts.remove(entry);
        deadLetters.accept(toDeadLetter(entry, detail + " (attempt " + n + ")"));
        deadLettered.inc();
        outErrors.inc();
    }

    /**
     * Counts a failed attempt: adds the entry to {@code retries}, or dead-letters it when it reached the limit.
     *
     * @param entry the entry
     * @param detail why the attempt failed
     * @param retries collects entries to retry
     */
    protected void failedAttempt(E entry, String detail, List<E> retries) {
        int n = attempts.merge(entry, 1, Integer::sum);
        if (n >= maxAttempts) {
            attempts.remove(entry);
            deadLetters.accept(toDeadLetter(entry, detail + " (gave up after " + n + " attempts)"));
            deadLettered.inc();
            outErrors.inc();
        } else {
            retries.add(entry);
        }
    }

    /**
     * Completes a request: at once when nothing is left to retry, else after the backoff of the most-tried entry.
     *
     * @param retries entries to retry
     * @param handler Flink's result handler of the request
     */
    protected void finish(List<E> retries, ResultHandler<E> handler) {
        if (retries.isEmpty()) {
            handler.complete();
            return;
        }
        int most = 1;
        for (E e : retries) {
            most = Math.max(most, attempts.getOrDefault(e, 1));
        }
        long delay = backoff.delayMs(most);
        List<E> copy = new ArrayList<>(retries);
        if (delay <= 0) {
            handler.retryForEntries(copy);
        } else {
            scheduler.schedule(() -> handler.retryForEntries(copy), delay, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Retries (or dead-letters) every entry of a request that failed as a whole.
     *
     * @param entries the request's entries
     * @param detail why
     * @param handler Flink's result handler
     */
    protected void failedRequest(List<E> entries, String detail, ResultHandler<E> handler) {
        List<E> retries = new ArrayList<>();
        for (E e : entries) {
            failedAttempt(e, detail, retries);
        }
        finish(retries, handler);
    }

    @Override
    public void close() {
        try {
            super.close();
        } finally {
            scheduler.shutdownNow();
        }
    }
}
