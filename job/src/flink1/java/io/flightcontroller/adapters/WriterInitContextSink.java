package io.flightcontroller.adapters;

import java.io.IOException;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * A {@link Sink} whose writers are created from a {@link WriterInitContext} only: implement
 * {@link #createWriter(WriterInitContext)}; this Flink 1.20 variant supplies the deprecated
 * {@code createWriter(Sink.InitContext)} that Flink 1.20 still declares abstract (Flink 2 removed it; the
 * {@code src/flink2} variant of this interface is empty).
 *
 * <p>Shape: Flink 1.20's operator calls {@code createWriter(WriterInitContext)} (its default wraps the context and
 * calls the deprecated variant; a sink implementing this interface overrides it), so the deprecated variant is only
 * reached by a caller handing over a bare {@code InitContext}: one that is a {@link WriterInitContext} is passed on,
 * any other is refused naming the method to call.
 *
 * @param <T> element type
 */
public interface WriterInitContextSink<T> extends Sink<T> {

    @Override
    SinkWriter<T> createWriter(WriterInitContext context) throws IOException;

    /**
     * @param context a writer context; must be a {@link WriterInitContext}
     * @return the writer of {@link #createWriter(WriterInitContext)}
     * @throws IOException as {@link #createWriter(WriterInitContext)}
     * @throws UnsupportedOperationException for a context that is not a {@link WriterInitContext}
     */
    @Override
    @Deprecated
    default SinkWriter<T> createWriter(Sink.InitContext context) throws IOException {
        if (context instanceof WriterInitContext) {
            return createWriter((WriterInitContext) context);
        }
        throw new UnsupportedOperationException(getClass().getSimpleName()
                + ": createWriter(InitContext) needs a WriterInitContext; call createWriter(WriterInitContext)");
    }
}
