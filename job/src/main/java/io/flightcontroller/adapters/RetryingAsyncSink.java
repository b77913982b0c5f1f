package io.flightcontroller.adapters;

import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.base.sink.AsyncSinkBase;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.ElementConverter;
import org.apache.flink.core.io.SimpleVersionedSerializer;

import java.io.Serializable;
import java.util.Collection;
import java.util.Collections;

/**
 * Common base of the Flight Controller sinks on Flink's {@link AsyncSinkBase}: writer creation and restore from a
 * checkpoint go through one method, and buffered entries are checkpointed with {@link JavaSerializationStateSerializer}.
 *
 * @param <InputT> element type the sink receives
 * @param <E> request entry type sent to the service
 */
public abstract class RetryingAsyncSink<InputT, E extends Serializable> extends AsyncSinkBase<InputT, E>
        implements WriterInitContextSink<InputT> {
    private static final long serialVersionUID = 1L;

    /**
     * Arguments as {@link AsyncSinkBase}'s constructor: batch size in entries, in-flight requests, buffered entries,
     * batch size in bytes, buffer time in ms, record size in bytes.
     */
    protected RetryingAsyncSink(ElementConverter<InputT, E> converter, int maxBatchSize, int maxInFlightRequests,
            int maxBufferedRequests, long maxBatchSizeInBytes, long maxTimeInBufferMs, long maxRecordSizeInBytes) {
        super(converter, maxBatchSize, maxInFlightRequests, maxBufferedRequests, maxBatchSizeInBytes, maxTimeInBufferMs,
                maxRecordSizeInBytes);
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
    public RetryingSinkWriter<InputT, E> restoreWriter(WriterInitContext context,
            Collection<BufferedRequestState<E>> recoveredState) {
        return createWriter(context, recoveredState);
    }

    @Override
    public SimpleVersionedSerializer<BufferedRequestState<E>> getWriterStateSerializer() {
        return new JavaSerializationStateSerializer<>();
    }
}
