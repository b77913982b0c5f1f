package io.flightcontroller.adapters.influx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.flightcontroller.adapters.SinkStateHarness;
import io.flightcontroller.adapters.SinkStateSerializer;
import io.flightcontroller.adapters.metrics.MetricPoint;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.InputStream;
import java.io.ObjectOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.RequestEntryWrapper;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The InfluxDB sink's checkpointed buffer: lines round-trip through {@link InfluxLineStateSerializer} as their own
 * bytes, and a writer restored from a checkpoint taken while lines were buffered writes exactly those lines (JDK
 * HttpServer on loopback as the write API). Also the removed Java-serialization format (version 1): an empty buffer
 * restores, a non-empty one fails with a message saying how to upgrade.
 */
class InfluxLineStateSerializerTest {
    private HttpServer server;
    private final List<String> bodies = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private String serve() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            try (InputStream in = ex.getRequestBody()) {
                bodies.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private static List<MetricPoint> points() {
        List<MetricPoint> out = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            out.add(MetricPoint.builder("lead time", 1_000L + i)
                    .dimension("correlation_id", "case " + i + ",é")
                    .field("duration_ms", (long) i)
                    .field("good", i % 2 == 0)
                    .build());
        }
        return out;
    }

    @Test
    void bufferedLinesRoundTripAsTheirOwnBytes() throws Exception {
        List<RequestEntryWrapper<String>> entries = new ArrayList<>();
        for (MetricPoint p : points()) {
            String line = InfluxLineProtocol.line(p);
            entries.add(new RequestEntryWrapper<>(line, line.getBytes(StandardCharsets.UTF_8).length + 1L));
        }

        BufferedRequestState<String> restored = SinkStateHarness.roundTrip(new InfluxLineStateSerializer(), entries);

        List<String> lines = new ArrayList<>();
        List<Long> sizes = new ArrayList<>();
        for (RequestEntryWrapper<String> e : entries) {
            lines.add(e.getRequestEntry());
            sizes.add(e.getSize());
        }
        assertThat(SinkStateHarness.entries(restored)).isEqualTo(lines);
        assertThat(SinkStateHarness.sizes(restored)).isEqualTo(sizes);
        assertThat(new InfluxLineStateSerializer().getVersion()).isEqualTo(SinkStateSerializer.VERSION);
    }

    @Test
    void aWriterRestoredFromACheckpointWritesTheBufferedLines() throws Exception {
        String url = serve();
        List<MetricPoint> points = points();

        OperatorSubtaskState checkpoint = SinkStateHarness.bufferAndSnapshot(sink(url), points);
        assertThat(bodies).as("nothing written before the restore").isEmpty();
        SinkStateHarness.restoreAndFlush(sink(url), checkpoint);

        StringBuilder expected = new StringBuilder();
        for (MetricPoint p : points) {
            expected.append(InfluxLineProtocol.line(p)).append('\n');
        }
        assertThat(bodies).containsExactly(expected.toString());
    }

    @Test
    void anEmptyBufferOfTheJavaSerializationFormatRestoresAndAFullOneFailsWithAnUpgradeHint() throws Exception {
        InfluxLineStateSerializer serializer = new InfluxLineStateSerializer();
        assertThat(serializer
                        .deserialize(SinkStateSerializer.JAVA_SERIALIZATION_VERSION, version1(0))
                        .getBufferedRequestEntries())
                .isEmpty();
        assertThatThrownBy(() -> serializer.deserialize(SinkStateSerializer.JAVA_SERIALIZATION_VERSION, version1(2)))
                .hasMessageContaining("InfluxDB sink: the checkpoint holds 2 buffered entries in state " + "format 1")
                .hasMessageContaining("stop --drain");
        assertThatThrownBy(() -> serializer.deserialize(7, version1(0))).hasMessageContaining("unknown state format 7");
    }

    /** @return a buffered state as the removed JavaSerializationStateSerializer wrote it, with n lines */
    private static byte[] version1(int n) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeLong(-1L); // Flink's marker
            out.writeInt(n);
            for (int i = 0; i < n; i++) {
                ByteArrayOutputStream entry = new ByteArrayOutputStream();
                try (ObjectOutputStream oos = new ObjectOutputStream(entry)) {
                    oos.writeObject("m f=" + i + "i " + i);
                }
                out.writeLong(10L);
                out.writeInt(entry.size());
                out.write(entry.toByteArray());
            }
        }
        return bytes.toByteArray();
    }

    private static InfluxLineProtocolSink sink(String url) {
        return InfluxLineProtocolSink.builder()
                .setUrl(url)
                .setOrg("fc")
                .setBucket("metrics")
                .setToken(InfluxToken.literal("t"))
                .setMaxTimeInBufferMS(3_600_000L)
                .setBackoff(5, 50)
                .setDeadLetterHandler(d -> {
                    throw new AssertionError("unexpected dead letter: " + d);
                })
                .build();
    }
}
