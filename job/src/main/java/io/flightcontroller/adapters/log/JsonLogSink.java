package io.flightcontroller.adapters.log;

import io.flightcontroller.adapters.WriterInitContextSink;
import io.flightcontroller.adapters.json.Json;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.util.function.SerializableFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each record as one JSON line (see {@link Json}) to an SLF4J logger at WARN level. On Managed Service for
 * Apache Flink the job log goes to CloudWatch Logs, where a metric filter or subscription can act on it; the default
 * alert output when no other alert sink is configured. Stateless; any parallelism.
 *
 * @param <T> record type
 */
public final class JsonLogSink<T> implements WriterInitContextSink<T> {
    private static final long serialVersionUID = 1L;

    private final String loggerName;
    private final SerializableFunction<T, String> format;

    /** @param loggerName the logger, e.g. {@code io.flightcontroller.deadletters}; records written with Json.line */
    public JsonLogSink(String loggerName) {
        this(loggerName, Json::line);
    }

    /**
     * @param loggerName the logger, e.g. {@code io.flightcontroller.alerts}
     * @param format turns a record into one line of JSON (e.g. {@code AlertJson::toJson})
     */
    public JsonLogSink(String loggerName, SerializableFunction<T, String> format) {
        this.loggerName = loggerName;
        this.format = format;
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) {
        Logger log = LoggerFactory.getLogger(loggerName);
        return new SinkWriter<T>() {
            @Override
            public void write(T element, Context ctx) {
                log.warn("{}", format.apply(element));
            }

            @Override
            public void flush(boolean endOfInput) {}

            @Override
            public void close() {}
        };
    }
}
