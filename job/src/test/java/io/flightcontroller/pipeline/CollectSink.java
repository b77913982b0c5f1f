package io.flightcontroller.pipeline;

import io.flightcontroller.adapters.WriterInitContextSink;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * A Sink V2 for mini-cluster tests: every subtask appends to one static, concurrent list per name, so a test reads
 * what each output of the topology produced after (or while) the job runs.
 *
 * @param <T> record type
 */
final class CollectSink<T> implements WriterInitContextSink<T> {
    private static final long serialVersionUID = 1L;
    private static final Map<String, Queue<Object>> COLLECTED = new ConcurrentHashMap<>();

    private final String name;

    CollectSink(String name) {
        this.name = name;
        COLLECTED.put(name, new ConcurrentLinkedQueue<>());
    }

    /** @return what the sink of that name received so far */
    @SuppressWarnings("unchecked")
    static <T> List<T> get(String name) {
        Queue<Object> q = COLLECTED.get(name);
        List<T> out = new ArrayList<>();
        if (q != null) {
            for (Object o : q) {
                out.add((T) o);
            }
        }
        return out;
    }

    static void forget(String prefix) {
        COLLECTED.keySet().removeIf(k -> k.startsWith(prefix));
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) {
        final Queue<Object> q = COLLECTED.computeIfAbsent(name, k -> new ConcurrentLinkedQueue<>());
        return new SinkWriter<T>() {
            @Override
            public void write(T element, Context ctx) {
                q.add(element);
            }

            @Override
            public void flush(boolean endOfInput) {}

            @Override
            public void close() {}
        };
    }
}
