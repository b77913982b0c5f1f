package io.flightcontroller.adapters.influx;

import io.flightcontroller.adapters.DeadLetterHandler;
import io.flightcontroller.adapters.RetryingAsyncSink;
import io.flightcontroller.adapters.RetryingSinkWriter;
import io.flightcontroller.adapters.metrics.MetricPoint;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.ElementConverter;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Writes {@link MetricPoint}s as InfluxDB line protocol ({@link InfluxLineProtocol}) to the InfluxDB v2 write API
 * ({@code POST {url}/api/v2/write?org=&bucket=&precision=ms}, token auth) — Amazon Timestream for InfluxDB, InfluxDB
 * OSS / Cloud, or any server that accepts that API (QuestDB in the tests) — on Flink's AsyncSinkBase: batching (at
 * most {@value InfluxSinkOptions#MAX_LINES_PER_WRITE} lines per request), in-flight limits, buffering and flushing on
 * checkpoints come from Flink; retries on 429 / 5xx with backoff and dead-lettering from
 * {@link InfluxLineProtocolSinkWriter}.
 *
 * <p>The point's version is not written: InfluxDB keeps one value per series (measurement + tags), field and
 * timestamp, and the last write wins, so a replay or restart from a checkpoint overwrites with the same or a newer
 * value. Lines buffered at a checkpoint are kept in it as their UTF-8 bytes ({@link InfluxLineStateSerializer}).
 * Delivery is at least once. The token is resolved by each writer when it starts ({@link InfluxToken}).
 * Build it with {@link #builder()}.
 */
public class InfluxLineProtocolSink extends RetryingAsyncSink<MetricPoint, String> {
    private static final long serialVersionUID = 1L;

    private final InfluxSinkOptions options;

    InfluxLineProtocolSink(InfluxSinkOptions options, DeadLetterHandler deadLetters) {
        super(new LineConverter(), options.getRetry(), deadLetters);
        this.options = options;
    }

    /** @return a builder with the defaults of {@link InfluxSinkOptions} */
    public static InfluxLineProtocolSinkBuilder builder() {
        return new InfluxLineProtocolSinkBuilder();
    }

    /**
     * @param baseUrl server base URL, e.g. {@code https://host:8086}
     * @param org organisation name
     * @param bucket bucket name
     * @return the write URI {@code baseUrl/api/v2/write?org=..&bucket=..&precision=ms} (query values URL-encoded)
     */
    public static URI writeUri(String baseUrl, String org, String bucket) {
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        return URI.create(base + "/api/v2/write?org=" + URLEncoder.encode(org, StandardCharsets.UTF_8) + "&bucket="
                + URLEncoder.encode(bucket, StandardCharsets.UTF_8) + "&precision=ms");
    }

    @Override
    protected RetryingSinkWriter<MetricPoint, String> createWriter(
            WriterInitContext context, Collection<BufferedRequestState<String>> states) {
        return new InfluxLineProtocolSinkWriter(
                getElementConverter(),
                context,
                getRetryOptions(),
                states,
                getDeadLetterHandler(),
                writeUri(options.getUrl(), options.getOrg(), options.getBucket()),
                options.getToken().resolve(),
                Duration.ofMillis(InfluxSinkOptions.REQUEST_TIMEOUT_MS));
    }

    @Override
    public SimpleVersionedSerializer<BufferedRequestState<String>> getWriterStateSerializer() {
        return new InfluxLineStateSerializer();
    }

    /** @return the validated options */
    public InfluxSinkOptions getOptions() {
        return options;
    }

    /** {@link MetricPoint} -&gt; one line of line protocol. */
    static final class LineConverter implements ElementConverter<MetricPoint, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String apply(MetricPoint point, SinkWriter.Context context) {
            return InfluxLineProtocol.line(point);
        }
    }
}
