package io.flightcontroller.adapters;

import java.io.Serializable;
import java.util.Collection;
import java.util.Collections;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.base.sink.AsyncSinkBase;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.ElementConverter;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Common base of the Flight Controller sinks on Flink's {@link AsyncSinkBase}: the shared options
 * ({@link RetryingSinkOptions}: attempts, backoff, batching limits) and the dead-letter handler are held here once;
 * writer creation and restore from a checkpoint go through one method; each sink checkpoints its buffered entries with
 * its own versioned {@link SinkStateSerializer} (no Java serialization of SDK objects).
 *
 * @param <InputT> element type the sink receives
 * @param <E> request entry type sent to the service
 */
public abstract class RetryingAsyncSink<InputT, E extends Serializable> extends AsyncSinkBase<InputT, E>
        implements WriterInitContextSink<InputT> {
    private static final long serialVersionUID = 1L;

    private final RetryingSinkOptions retry;
    private final DeadLetterHandler deadLetters;

    /**
     * @param converter element to request entry
     * @param retry validated shared options
     * @param deadLetters where entries given up on go
     */
    protected RetryingAsyncSink(
            ElementConverter<InputT, E> converter, RetryingSinkOptions retry, DeadLetterHandler deadLetters) {
        super(
                converter,
                retry.getMaxBatchSize(),
                retry.getMaxInFlight(),
                retry.getMaxBuffered(),
                retry.getMaxBatchSizeInBytes(),
                retry.getMaxTimeInBufferMs(),
                retry.getMaxRecordSizeInBytes());
        this.retry = retry;
        this.deadLetters = deadLetters;
    }

    /** @return the shared options */
    public RetryingSinkOptions getRetryOptions() {
        return retry;
    }

    /** @return where entries given up on go */
    protected DeadLetterHandler getDeadLetterHandler() {
        return deadLetters;
    }

    /**
     * Creates a writer, empty or restored.
     *
     * @param context Flink's writer context
     * @param states buffered entries from a checkpoint, empty for a fresh writer
     * @return the writer
     */
    protected abstract RetryingSinkWriter<InputT, E> createWriter(
            WriterInitContext context, Collection<BufferedRequestState<E>> states);

    @Override
    public RetryingSinkWriter<InputT, E> createWriter(WriterInitContext context) {
        return createWriter(context, Collections.emptyList());
    }

    @Override
    public RetryingSinkWriter<InputT, E> restoreWriter(
            WriterInitContext context, Collection<BufferedRequestState<E>> recoveredState) {
        return createWriter(context, recoveredState);
    }

    /** @return the sink's versioned serializer of buffered entries */
    @Override
    public abstract SimpleVersionedSerializer<BufferedRequestState<E>> getWriterStateSerializer();
}
