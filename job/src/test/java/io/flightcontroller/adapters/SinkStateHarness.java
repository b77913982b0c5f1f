package io.flightcontroller.adapters;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.RequestEntryWrapper;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.connector.sink2.CommittableMessage;
import org.apache.flink.streaming.runtime.operators.sink.SinkWriterOperatorFactory;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;

/**
 * Runs a sink's writer in Flink's operator test harness (the operator a job runs, with its operator state), to take a
 * checkpoint while entries are buffered and restore another writer from it; and round-trips a buffered state through a
 * sink's serializer.
 */
public final class SinkStateHarness {
    private SinkStateHarness() {}

    /**
     * Writes elements into a fresh writer and snapshots it. The sink must be configured so that they all stay buffered
     * (fewer than a batch, a long buffer time: the harness's processing time does not advance); the writer is closed
     * without a flush, as a task that fails after a checkpoint.
     *
     * @param sink the sink
     * @param elements elements to buffer
     * @param <IN> element type
     * @return the operator state of the checkpoint
     * @throws Exception from the harness
     */
    public static <IN> OperatorSubtaskState bufferAndSnapshot(Sink<IN> sink, List<IN> elements) throws Exception {
        try (OneInputStreamOperatorTestHarness<IN, CommittableMessage<Object>> h = harness(sink)) {
            h.open();
            for (IN e : elements) {
                h.processElement(e, 0L);
            }
            return h.snapshot(1L, 1L);
        }
    }

    /**
     * Restores a writer from a checkpoint and ends its input, which flushes what it restored.
     *
     * @param sink the sink (a new instance with the same settings, as after a restart)
     * @param state the checkpoint of {@link #bufferAndSnapshot}
     * @param <IN> element type
     * @throws Exception from the harness or the writer
     */
    public static <IN> void restoreAndFlush(Sink<IN> sink, OperatorSubtaskState state) throws Exception {
        try (OneInputStreamOperatorTestHarness<IN, CommittableMessage<Object>> h = harness(sink)) {
            h.initializeState(state);
            h.open();
            h.endInput();
        }
    }

    /**
     * Serializes and deserializes a buffered state the way a writer's snapshot holds it.
     *
     * @param serializer the sink's serializer
     * @param entries buffered entries with their sizes
     * @param <E> entry type
     * @return the restored state
     * @throws Exception from the serializer
     */
    public static <E extends Serializable> BufferedRequestState<E> roundTrip(
            SimpleVersionedSerializer<BufferedRequestState<E>> serializer, List<RequestEntryWrapper<E>> entries)
            throws Exception {
        byte[] bytes = serializer.serialize(new BufferedRequestState<>(entries));
        return serializer.deserialize(serializer.getVersion(), bytes);
    }

    /**
     * @param state a buffered state
     * @param <E> entry type
     * @return its entries
     */
    public static <E extends Serializable> List<E> entries(BufferedRequestState<E> state) {
        List<E> out = new ArrayList<>();
        for (RequestEntryWrapper<E> w : state.getBufferedRequestEntries()) {
            out.add(w.getRequestEntry());
        }
        return out;
    }

    /**
     * @param state a buffered state
     * @param <E> entry type
     * @return the sizes of its entries
     */
    public static <E extends Serializable> List<Long> sizes(BufferedRequestState<E> state) {
        List<Long> out = new ArrayList<>();
        for (RequestEntryWrapper<E> w : state.getBufferedRequestEntries()) {
            out.add(w.getSize());
        }
        return out;
    }

    private static <IN> OneInputStreamOperatorTestHarness<IN, CommittableMessage<Object>> harness(Sink<IN> sink)
            throws Exception {
        return new OneInputStreamOperatorTestHarness<>(new SinkWriterOperatorFactory<IN, Object>(sink));
    }
}
