package io.flightcontroller.adapters.influx;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flightcontroller.adapters.JsonLinesDeadLetterHandler;
import io.flightcontroller.adapters.metrics.MetricPoint;
import io.flightcontroller.adapters.metrics.MetricPoints;
import io.flightcontroller.domain.event.DeadLetter;
import io.flightcontroller.domain.result.WindowAggregate;
import io.flightcontroller.testing.QuestDbServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The InfluxDB line-protocol sink against a real server that accepts the v2 write API on loopback (QuestDB, started by
 * {@link QuestDbServer}): points written by a Flink job are read back by SQL with their escaped names and tag values,
 * typed fields and millisecond timestamps; a line the server rejects is dead-lettered while the rest of its batch
 * lands.
 */
class InfluxLineProtocolSinkQuestDbTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static QuestDbServer questdb;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() {
        questdb = QuestDbServer.start();
    }

    @AfterAll
    static void stop() {
        if (questdb != null) {
            questdb.close();
        }
    }

    @Test
    void pointsAreWrittenAndReadBackWithEscapedNamesTagsAndTypedFields() throws Exception {
        String table = "lead time " + suffix(); // a space in the measurement
        List<MetricPoint> points = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            points.add(MetricPoint.builder(table, 1_700_000_000_000L + i)
                    .dimension("measure", "assign")
                    .dimension("correlation_id", "case " + i + ", a=b") // space, comma and equals sign in a tag
                    .field("duration_ms", 1_000L + i)
                    .field("good", i % 2 == 0)
                    .field("compliance", 0.5)
                    .build());
        }

        run(points, sink().setMaxBatchSize(10).build());

        List<Map<String, JsonNode>> rows = rows("select * from '" + table + "' order by timestamp", 30);
        assertThat(rows).hasSize(30);
        Map<String, JsonNode> first = rows.get(0);
        assertThat(first.get("measure").asText()).isEqualTo("assign");
        assertThat(first.get("correlation_id").asText()).isEqualTo("case 0, a=b");
        assertThat(first.get("duration_ms").asLong()).isEqualTo(1_000L);
        assertThat(first.get("good").asBoolean()).isTrue();
        assertThat(first.get("compliance").asDouble()).isEqualTo(0.5);
        assertThat(first.get("timestamp").asText()).startsWith("2023-11-14T22:13:20.000");
        assertThat(rows.get(29).get("timestamp").asText()).startsWith("2023-11-14T22:13:20.029");
        assertThat(rows.get(29).get("good").asBoolean()).isFalse();
        assertThat(deadLetters()).isEmpty();
    }

    @Test
    void aggregatesMappedThroughMetricPointsLandAsTheirOwnMeasurement() throws Exception {
        String measure = "assign_" + suffix();
        WindowAggregate a = new WindowAggregate();
        a.setMeasure(measure);
        a.setWindow("PT1H");
        a.setWindowEndMs(1_700_003_600_000L);
        a.setCompleted(10);
        a.setGood(9);
        a.setBad(1);
        a.setCompliance(0.9);
        a.setP50(1_500.0);
        MetricPoint p = new MetricPoints(Collections.singletonMap(measure, "support")).fromAggregate(a, 1L);

        run(Collections.singletonList(p), sink().build());

        List<Map<String, JsonNode>> rows =
                rows("select * from " + MetricPoints.AGGREGATE_NAME + " where measure = '" + measure + "'", 1);
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).get("process").asText()).isEqualTo("support");
        assertThat(rows.get(0).get("window").asText()).isEqualTo("PT1H");
        assertThat(rows.get(0).get("completed").asLong()).isEqualTo(10L);
        assertThat(rows.get(0).get("p50").asDouble()).isEqualTo(1_500.0);
        assertThat(rows.get(0).get("timestamp").asText()).startsWith("2023-11-14T23:13:20.000");
    }

    @Test
    void lineTheServerRejectsIsDeadLetteredAndTheRestOfTheBatchLands() throws Exception {
        String table = "conflict_" + suffix();
        run(
                Collections.singletonList(MetricPoint.builder(table, 1_000L)
                        .dimension("correlation_id", "c-0")
                        .field("duration_ms", 1L)
                        .build()),
                sink().build());
        List<MetricPoint> batch = new ArrayList<>();
        batch.add(MetricPoint.builder(table, 2_000L)
                .dimension("correlation_id", "c-1")
                .field("duration_ms", 2L)
                .build());
        // valid line protocol (the comma is escaped) but no valid QuestDB column name: QuestDB answers 400
        batch.add(MetricPoint.builder(table, 3_000L)
                .dimension("correlation_id", "c-bad")
                .dimension("bad,key", "x")
                .field("duration_ms", 3L)
                .build());
        batch.add(MetricPoint.builder(table, 4_000L)
                .dimension("correlation_id", "c-3")
                .field("duration_ms", 4L)
                .build());

        run(batch, sink().build());

        List<Map<String, JsonNode>> rows = rows("select correlation_id from '" + table + "' order by timestamp", 3);
        List<String> ids = new ArrayList<>();
        for (Map<String, JsonNode> r : rows) {
            ids.add(r.get("correlation_id").asText());
        }
        assertThat(ids).containsExactly("c-0", "c-1", "c-3");
        List<DeadLetter> dead = deadLetters();
        assertThat(dead).hasSize(1);
        assertThat(dead.get(0).getCorrelationId()).isEqualTo("c-bad");
        assertThat(dead.get(0).getDetail()).contains("InfluxDB rejected the line (400)");
        assertThat(dead.get(0).getRaw()).contains("bad\\,key=x");
        assertThat(dead.get(0).getDetail()).contains("invalid column name");
    }

    // ---------------------------------------------------------------------------------------------------------------

    private InfluxLineProtocolSinkBuilder sink() {
        return InfluxLineProtocolSink.builder()
                .setUrl(questdb.url())
                .setOrg("fc")
                .setBucket("metrics")
                .setToken(InfluxToken.literal("unused-by-questdb"))
                .setBackoff(10, 200)
                .setDeadLetterHandler(new JsonLinesDeadLetterHandler(
                        tmp.resolve("dead-letters.jsonl").toString()));
    }

    private static void run(List<MetricPoint> points, InfluxLineProtocolSink sink) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        env.fromData(points).sinkTo(sink);
        env.execute("influx-sink-questdb-test");
    }

    /** Polls a query until it returns {@code expected} rows (QuestDB commits asynchronously) or 10 s pass. */
    private static List<Map<String, JsonNode>> rows(String sql, int expected) throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        List<Map<String, JsonNode>> rows = Collections.emptyList();
        String answer = "";
        while (System.currentTimeMillis() < deadline) {
            answer = questdb.query(sql);
            JsonNode n = JSON.readTree(answer);
            if (n.has("dataset")) {
                rows = new ArrayList<>();
                for (JsonNode row : n.get("dataset")) {
                    Map<String, JsonNode> r = new HashMap<>();
                    for (int c = 0; c < n.get("columns").size(); c++) {
                        r.put(n.get("columns").get(c).get("name").asText(), row.get(c));
                    }
                    rows.add(r);
                }
                if (rows.size() >= expected) {
                    return rows;
                }
            }
            Thread.sleep(100);
        }
        System.out.println("last answer to " + sql + ": " + answer);
        return rows;
    }

    private static String suffix() {
        return UUID.randomUUID().toString().substring(0, 8);
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
