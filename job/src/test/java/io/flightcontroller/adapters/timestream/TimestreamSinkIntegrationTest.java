package io.flightcontroller.adapters.timestream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flightcontroller.adapters.JsonLinesDeadLetterHandler;
import io.flightcontroller.adapters.metrics.MetricPoint;
import io.flightcontroller.domain.event.DeadLetter;
import io.flightcontroller.testing.MotoServer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.timestreamwrite.TimestreamWriteClient;

/**
 * The Timestream sink against a Timestream write API on loopback (moto server with Timestream's rejection rules, see
 * {@code .ci/moto/fc_moto_server.py}): records written by a Flink job are read back from moto's data; a partly rejected
 * batch stores its good records and dead-letters the rejected one with Timestream's reason; a replayed batch with
 * higher versions upserts; a missing table fails the job with a clear message.
 */
class TimestreamSinkIntegrationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DATABASE = "flightcontroller";
    private static MotoServer moto;
    private static TimestreamWriteClient admin;

    @TempDir
    Path tmp;

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

    @Test
    void pointsAreWrittenAsMultiMeasureRecordsAndReadBack() throws Exception {
        String table = table(false);
        long now = System.currentTimeMillis();
        List<MetricPoint> points = new ArrayList<>();
        for (int i = 0; i < 250; i++) { // three WriteRecords calls of at most 100 records
            points.add(leadTime("case-" + i, now - i, 1_000L + i, 5L));
        }

        run(points, sink(table).build());

        JsonNode records = records(table);
        assertThat(records.size()).isEqualTo(250);
        JsonNode first = find(records, "case-0");
        assertThat(first.get("MeasureName").asText()).isEqualTo("lead_time");
        assertThat(first.get("MeasureValueType").asText()).isEqualTo("MULTI");
        assertThat(first.get("Time").asText()).isEqualTo(Long.toString(now));
        assertThat(first.get("TimeUnit").asText()).isEqualTo("MILLISECONDS");
        assertThat(first.get("Version").asLong()).isEqualTo(5L);
        assertThat(dimension(first, "measure")).isEqualTo("assign");
        assertThat(dimension(first, "process")).isEqualTo("support");
        assertThat(dimension(first, "correlation_id")).isEqualTo("case-0");
        assertThat(measure(first, "duration_ms")).isEqualTo("1000 BIGINT");
        assertThat(measure(first, "good")).isEqualTo("true BOOLEAN");
        assertThat(measure(first, "compliance")).isEqualTo("0.5 DOUBLE");
        assertThat(deadLetters()).isEmpty();
    }

    @Test
    void partlyRejectedBatchStoresTheGoodRecordsAndDeadLettersTheTooOldOne() throws Exception {
        String table = table(false); // memory store 1 h, no magnetic-store writes
        long now = System.currentTimeMillis();
        List<MetricPoint> points = new ArrayList<>();
        points.add(leadTime("fresh-1", now, 10L, 1L));
        points.add(leadTime("too-old", now - 2 * 3_600_000L, 20L, 1L));
        points.add(leadTime("fresh-2", now - 1, 30L, 1L));

        run(points, sink(table).build());

        JsonNode records = records(table);
        assertThat(records.size()).isEqualTo(2);
        assertThat(find(records, "fresh-1")).isNotNull();
        assertThat(find(records, "fresh-2")).isNotNull();
        List<DeadLetter> dead = deadLetters();
        assertThat(dead).hasSize(1);
        DeadLetter d = dead.get(0);
        assertThat(d.getStage()).isEqualTo(TimestreamSinkWriter.STAGE);
        assertThat(d.getReason()).isEqualTo(DeadLetter.REASON_SINK_REJECTED);
        assertThat(d.getCorrelationId()).isEqualTo("too-old");
        assertThat(d.getEventTimeMs()).isEqualTo(now - 2 * 3_600_000L);
        assertThat(d.getDetail())
                .contains("outside the time range") // Timestream's reason
                .contains("older than the table's memory-store retention")
                .contains("EnableMagneticStoreWrites")
                .contains(DATABASE + "." + table);
    }

    @Test
    void oldRecordLandsWhenTheTableHasMagneticStoreWrites() throws Exception {
        String table = table(true);
        long old = System.currentTimeMillis() - 3 * 24 * 3_600_000L;
        List<MetricPoint> points = new ArrayList<>();
        points.add(leadTime("late-case", old, 10L, 1L));

        run(points, sink(table).build());

        assertThat(find(records(table), "late-case")).isNotNull();
        assertThat(deadLetters()).isEmpty();
    }

    @Test
    void replayedBatchWithHigherVersionsUpsertsAndAnIdenticalReplayIsAccepted() throws Exception {
        String table = table(false);
        long now = System.currentTimeMillis();
        List<MetricPoint> first = new ArrayList<>();
        List<MetricPoint> corrected = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            first.add(leadTime("case-" + i, now - i, 100L, 1_000L));
            corrected.add(leadTime("case-" + i, now - i, 200L + i, 2_000L)); // a replay after a restart, re-versioned
        }

        run(first, sink(table).build());
        run(corrected, sink(table).build());
        run(corrected, sink(table).build()); // the same batch again (e.g. restored from a checkpoint): idempotent

        JsonNode records = records(table);
        assertThat(records.size()).isEqualTo(5);
        for (int i = 0; i < 5; i++) {
            JsonNode r = find(records, "case-" + i);
            assertThat(r.get("Version").asLong()).isEqualTo(2_000L);
            assertThat(measure(r, "duration_ms")).isEqualTo((200 + i) + " BIGINT");
        }
        assertThat(deadLetters()).isEmpty();

        // a stale write (lower version, different value) is rejected by Timestream and dead-lettered, not retried
        List<MetricPoint> stale = new ArrayList<>();
        stale.add(leadTime("case-0", now, 999L, 1_500L));
        run(stale, sink(table).build());
        assertThat(measure(find(records(table), "case-0"), "duration_ms")).isEqualTo("200 BIGINT");
        List<DeadLetter> dead = deadLetters();
        assertThat(dead).hasSize(1);
        assertThat(dead.get(0).getDetail()).contains("existing version 2000").contains("this record's version 1500");
    }

    @Test
    void missingTableFailsTheJobWithAClearMessage() {
        List<MetricPoint> points = new ArrayList<>();
        points.add(leadTime("case-1", System.currentTimeMillis(), 1L, 1L));
        TimestreamSink sink = sink("no-such-table").build();

        assertThatThrownBy(() -> run(points, sink))
                .hasStackTraceContaining("Timestream rejected WriteRecords to " + DATABASE + ".no-such-table")
                .hasStackTraceContaining("non-retryable");
    }

    // ---------------------------------------------------------------------------------------------------------------

    static MetricPoint leadTime(String correlationId, long timeMs, long durationMs, long version) {
        return MetricPoint.builder("lead_time", timeMs)
                .version(version)
                .dimension("measure", "assign")
                .dimension("process", "support")
                .dimension("correlation_id", correlationId)
                .dimension("case_key", correlationId)
                .field("duration_ms", durationMs)
                .field("good", true)
                .field("compliance", 0.5)
                .build();
    }

    private static void run(List<MetricPoint> points, TimestreamSink sink) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        env.fromData(points).sinkTo(sink);
        env.execute("timestream-sink-test");
    }

    private TimestreamSinkBuilder sink(String table) {
        return TimestreamSink.builder()
                .setDatabase(DATABASE)
                .setTable(table)
                .setRegion(MotoServer.REGION)
                .setEndpoint(moto.endpoint())
                .setBackoff(10, 200)
                .setDeadLetterHandler(new JsonLinesDeadLetterHandler(
                        tmp.resolve("dead-letters.jsonl").toString()));
    }

    private static String table(boolean magneticWrites) {
        String name = "metrics_" + UUID.randomUUID().toString().substring(0, 8);
        admin.createTable(b -> b.databaseName(DATABASE)
                .tableName(name)
                .retentionProperties(
                        r -> r.memoryStoreRetentionPeriodInHours(1L).magneticStoreRetentionPeriodInDays(30L))
                .magneticStoreWriteProperties(m -> m.enableMagneticStoreWrites(magneticWrites)));
        return name;
    }

    /** @return the records moto stored for a table */
    private static JsonNode records(String table) throws Exception {
        JsonNode root = JSON.readTree(moto.get("/moto-api/data.json"));
        JsonNode found = findTable(root.path("timestreamwrite"), table);
        if (found == null) {
            throw new AssertionError("table " + table + " not in moto's data: " + root.path("timestreamwrite"));
        }
        return found.path("records");
    }

    private static JsonNode findTable(JsonNode node, String table) {
        if (node.isObject()) {
            if (table.equals(node.path("name").asText()) && node.has("records")) {
                return node;
            }
            for (JsonNode child : node) {
                JsonNode f = findTable(child, table);
                if (f != null) {
                    return f;
                }
            }
        } else if (node.isArray()) {
            for (JsonNode child : node) {
                JsonNode f = findTable(child, table);
                if (f != null) {
                    return f;
                }
            }
        }
        return null;
    }

    private static JsonNode find(JsonNode records, String correlationId) {
        for (JsonNode r : records) {
            if (correlationId.equals(dimension(r, "correlation_id"))) {
                return r;
            }
        }
        return null;
    }

    private static String dimension(JsonNode record, String name) {
        for (JsonNode d : record.path("Dimensions")) {
            if (name.equals(d.path("Name").asText())) {
                return d.path("Value").asText();
            }
        }
        return null;
    }

    private static String measure(JsonNode record, String name) {
        for (JsonNode m : record.path("MeasureValues")) {
            if (name.equals(m.path("Name").asText())) {
                return m.path("Value").asText() + " " + m.path("Type").asText();
            }
        }
        return null;
    }

    private List<DeadLetter> deadLetters() throws Exception {
        Path p = tmp.resolve("dead-letters.jsonl");
        List<DeadLetter> out = new ArrayList<>();
        if (Files.exists(p)) {
            for (String line : Files.readAllLines(p, StandardCharsets.UTF_8)) {
                out.add(JSON.readValue(line, DeadLetter.class));
            }
        }
        return out;
    }
}
