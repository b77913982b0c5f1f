package io.flightcontroller.adapters;

import java.io.IOException;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * A {@link Sink} whose writers are created from a {@link WriterInitContext} only: implement
 * {@link #createWriter(WriterInitContext)}. On Flink 2 that is {@link Sink}'s only writer factory, so this variant
 * adds nothing; the {@code src/flink1} variant supplies the deprecated {@code createWriter(Sink.InitContext)} that
 * Flink 1.20 still declares abstract.
 *
 * <p>Shape: one abstract method, {@link #createWriter(WriterInitContext)}, on both Flink lines.
 *
 * @param <T> element type
 */
public interface WriterInitContextSink<T> extends Sink<T> {

    @Override
    SinkWriter<T> createWriter(WriterInitContext context) throws IOException;
}
