package io.flightcontroller.adapters.log;

import io.flightcontroller.adapters.json.Json;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each record as one JSON line (see {@link Json}) to an SLF4J logger at WARN level. On Managed Service for
 * Apache Flink the job log goes to CloudWatch Logs, where a metric filter or subscription can act on it; the default
 * alert output when no other alert sink is configured. Stateless; any parallelism.
 *
 * @param <T> record type
 */
public final class JsonLogSink<T> implements Sink<T> {
    private static final long serialVersionUID = 1L;

    private final String loggerName;

    /** @param loggerName the logger, e.g. {@code io.flightcontroller.alerts} */
    public JsonLogSink(String loggerName) {
        this.loggerName = loggerName;
    }

    @Override
    @SuppressWarnings("deprecation")
    public SinkWriter<T> createWriter(InitContext context) {
        Logger log = LoggerFactory.getLogger(loggerName);
        return new SinkWriter<T>() {
            @Override
            public void write(T element, Context ctx) {
                log.warn("{}", Json.line(element));
            }

            @Override
            public void flush(boolean endOfInput) {
            }

            @Override
            public void close() {
            }
        };
    }
}
