package io.flightcontroller.adapters.timestream;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flightcontroller.adapters.SinkStateHarness;
import io.flightcontroller.adapters.metrics.MetricPoint;
import io.flightcontroller.testing.MotoServer;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.RequestEntryWrapper;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.timestreamwrite.TimestreamWriteClient;
import software.amazon.awssdk.services.timestreamwrite.model.MeasureValueType;
import software.amazon.awssdk.services.timestreamwrite.model.Record;
import software.amazon.awssdk.services.timestreamwrite.model.TimeUnit;

/**
 * The Timestream sink's checkpointed buffer: records round-trip through {@link TimestreamRecordStateSerializer} field
 * by field (equal to the buffered SDK record, version included), and a writer restored from a checkpoint taken while
 * records were buffered writes exactly those records (Timestream write API on loopback: moto server).
 */
class TimestreamRecordStateSerializerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DATABASE = "restore";
    private static MotoServer moto;
    private static TimestreamWriteClient admin;

    @BeforeAll
    static void startMoto() {
        moto = MotoServer.start();
        admin = TimestreamWriteClient.builder()
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .endpointOverride(URI.create(moto.endpoint()))
                .endpointDiscoveryEnabled(false)
                .build();
        admin.createDatabase(b -> b.databaseName(DATABASE));
    }

    @AfterAll
    static void stopMoto() {
        if (admin != null) {
            admin.close();
        }
        if (moto != null) {
            moto.close();
        }
    }

    private static List<MetricPoint> points(long now) {
        List<MetricPoint> out = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            out.add(TimestreamSinkIntegrationTest.leadTime("cas\u00e9-" + i, now - i, 100L + i, 7_000L + i));
        }
        return out;
    }

    @Test
    void bufferedRecordsRoundTripFieldByField() throws Exception {
        List<RequestEntryWrapper<Record>> entries = new ArrayList<>();
        for (MetricPoint p : points(1_709_287_200_000L)) {
            Record r = TimestreamRecordConverter.toRecord(p);
            entries.add(new RequestEntryWrapper<>(r, TimestreamRecordConverter.sizeInBytes(r)));
        }
        Record single = Record.builder()
                .measureName("m")
                .measureValue("1.5")
                .measureValueType(MeasureValueType.DOUBLE)
                .time("5")
                .timeUnit(TimeUnit.SECONDS)
                .build(); // single-measure, no version, no dimensions
        entries.add(new RequestEntryWrapper<>(single, 40L));

        BufferedRequestState<Record> restored =
                SinkStateHarness.roundTrip(new TimestreamRecordStateSerializer(), entries);

        List<Record> expected = new ArrayList<>();
        List<Long> sizes = new ArrayList<>();
        for (RequestEntryWrapper<Record> w : entries) {
            expected.add(w.getRequestEntry());
            sizes.add(w.getSize());
        }
        assertThat(SinkStateHarness.entries(restored)).isEqualTo(expected);
        assertThat(SinkStateHarness.sizes(restored)).isEqualTo(sizes);
        assertThat(SinkStateHarness.entries(restored).get(0).version()).isEqualTo(7_000L);
        assertThat(SinkStateHarness.entries(restored).get(4).version()).isNull();
    }

    @Test
    void aWriterRestoredFromACheckpointWritesTheBufferedRecords() throws Exception {
        String table = "metrics_" + UUID.randomUUID().toString().substring(0, 8);
        admin.createTable(b -> b.databaseName(DATABASE)
                .tableName(table)
                .retentionProperties(
                        r -> r.memoryStoreRetentionPeriodInHours(1L).magneticStoreRetentionPeriodInDays(1L)));
        long now = System.currentTimeMillis();
        List<MetricPoint> points = points(now);

        OperatorSubtaskState checkpoint = SinkStateHarness.bufferAndSnapshot(sink(table), points);
        assertThat(records(table)).as("nothing written before the restore").isEmpty();
        SinkStateHarness.restoreAndFlush(sink(table), checkpoint);

        List<JsonNode> written = records(table);
        assertThat(written).hasSize(points.size());
        for (int i = 0; i < points.size(); i++) {
            Record expected = TimestreamRecordConverter.toRecord(points.get(i));
            JsonNode r = written.get(i);
            assertThat(r.get("Time").asText()).isEqualTo(expected.time());
            assertThat(r.get("Version").asLong()).isEqualTo(expected.version());
            assertThat(r.get("MeasureName").asText()).isEqualTo(expected.measureName());
            assertThat(r.get("Dimensions").toString()).contains("cas\u00e9-" + i);
            assertThat(r.get("MeasureValues").size())
                    .isEqualTo(expected.measureValues().size());
        }
    }

    private static TimestreamSink sink(String table) {
        return TimestreamSink.builder()
                .setDatabase(DATABASE)
                .setTable(table)
                .setRegion(MotoServer.REGION)
                .setEndpoint(moto.endpoint())
                .setMaxTimeInBufferMS(3_600_000L)
                .setBackoff(10, 200)
                .setDeadLetterHandler(d -> {
                    throw new AssertionError("unexpected dead letter: " + d);
                })
                .build();
    }

    /** @return the records moto stored for a table, in write order; empty before the first write */
    private static List<JsonNode> records(String table) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        JsonNode db = JSON.readTree(moto.get("/moto-api/data.json")).path("timestreamwrite");
        collect(db, table, out);
        return out;
    }

    private static void collect(JsonNode node, String table, List<JsonNode> out) {
        if (node.isObject() && table.equals(node.path("name").asText()) && node.has("records")) {
            node.path("records").forEach(out::add);
            return;
        }
        if (node.isContainerNode()) {
            node.forEach(child -> collect(child, table, out));
        }
    }
}
