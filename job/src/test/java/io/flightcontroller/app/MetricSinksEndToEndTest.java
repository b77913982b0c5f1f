package io.flightcontroller.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flightcontroller.pipeline.FlightControllerTopology;
import io.flightcontroller.testing.MotoServer;
import io.flightcontroller.testing.QuestDbServer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.timestreamwrite.TimestreamWriteClient;

/**
 * The job as {@link ManagedFlinkJob} wires it, from a properties file: JSON Lines events in, measurements, window
 * aggregates, error budgets, alerts, open cases and dead letters out through {@code metrics.sink=influxdb} (QuestDB on loopback) and {@code metrics.sink=timestream} (moto
 * on loopback, a table with magnetic-store writes because the events are from the past).
 */
class MetricSinksEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String YAML = "measures:\n"
            + "  - name: assign\n"
            + "    process: support\n"
            + "    start: opened\n"
            + "    end: assigned\n"
            + "    slo: {threshold: PT1H, objective: 0.9, window: P28D}\n";

    @TempDir
    Path dir;

    private Path events(long baseMs) throws Exception {
        List<String> lines = new ArrayList<>();
        // in event-time order: the file source of the streaming job reads lines as arrivals, and its watermarks
        // follow the data, so an assigned event 10 minutes ahead would make the next case's opening late
        for (int i = 0; i < 3; i++) {
            lines.add(ev("case-" + i, "opened", baseMs + i * 1_000L));
        }
        for (int i = 0; i < 3; i++) {
            lines.add(ev("case-" + i, "assigned", baseMs + i * 1_000L + (i + 1) * 600_000L));
        }
        // case-3, first in the file so never late, is never assigned: a breach alert when the watermark passes its
        // threshold, pushed by case-4 and case-5 two hours later (two distinct instants, so the jump is corroborated),
        // an hourly error budget, and cases open at the end; one unreadable line: a dead letter
        lines.add(0, ev("case-3", "opened", baseMs - 1_000L));
        lines.add("not json");
        lines.add(ev("case-4", "opened", baseMs + 7_200_000L));
        lines.add(ev("case-5", "opened", baseMs + 7_201_000L));
        Path p = dir.resolve("events.jsonl");
        Files.write(p, lines, StandardCharsets.UTF_8);
        return p;
    }

    private static String ev(String id, String type, long timeMs) {
        return "{\"correlation_id\":\"" + id + "\",\"event_type\":\"" + type + "\",\"time\":\""
                + Instant.ofEpochMilli(timeMs) + "\"}";
    }

    private Path config(Path events, String sinkLines) throws Exception {
        Path measures = dir.resolve("measures.yaml");
        Files.write(measures, YAML.getBytes(StandardCharsets.UTF_8));
        Path p = dir.resolve("job.properties");
        Files.write(
                p,
                ("FlightController.Source.source.type=file\n"
                                + "FlightController.Source.file.path=" + events + "\n"
                                + "FlightController.Measures.measures.location=" + measures + "\n"
                                + "FlightController.Alerts.alerts.sink=none\n" + sinkLines)
                        .getBytes(StandardCharsets.UTF_8));
        return p;
    }

    private static void runJob(Path config) throws Exception {
        JobConfig c = ManagedFlinkJob.loadConfig(new String[] {"--config", config.toString()});
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        FlightControllerTopology.Outputs out = JobWiring.build(env, c);
        JobWiring.attachSinks(out, c);
        env.execute("metric-sinks-e2e");
    }

    @Test
    void influxdbSinkWritesLeadTimesAndAggregates() throws Exception {
        try (QuestDbServer questdb = QuestDbServer.start()) {
            runJob(config(
                    events(1_709_287_200_000L),
                    "FlightController.Sinks.metrics.sink=influxdb\n"
                            + "FlightController.Sinks.influxdb.url=" + questdb.url() + "\n"
                            + "FlightController.Sinks.influxdb.org=fc\n"
                            + "FlightController.Sinks.influxdb.bucket=metrics\n"
                            + "FlightController.Sinks.influxdb.token=unused\n"));

            JsonNode leads = poll(
                    questdb,
                    "select correlation_id, process, duration_ms, good from lead_time " + "order by correlation_id",
                    3);
            assertThat(leads.size()).isEqualTo(3);
            assertThat(leads.get(0).get(0).asText()).isEqualTo("case-0");
            assertThat(leads.get(0).get(1).asText()).isEqualTo("support");
            assertThat(leads.get(0).get(2).asLong()).isEqualTo(600_000L);
            assertThat(leads.get(0).get(3).asBoolean()).isTrue();
            assertThat(poll(questdb, "select completed from window_aggregate where measure = 'assign'", 1)
                            .size())
                    .isGreaterThanOrEqualTo(1);
            // the other outputs the generated dashboards read, under the names of MetricNames
            JsonNode alerts = poll(questdb, "select kind, case_key from alert where measure = 'assign'", 1);
            assertThat(alerts.get(0).get(0).asText()).isEqualTo("BREACH");
            assertThat(alerts.get(0).get(1).asText()).isEqualTo("case-3");
            assertThat(poll(questdb, "select remaining_fraction from error_budget where measure = 'assign'", 1)
                            .size())
                    .isGreaterThanOrEqualTo(1);
            assertThat(poll(questdb, "select case_key from open_case where measure = 'assign'", 1)
                            .size())
                    .isGreaterThanOrEqualTo(1);
            assertThat(poll(questdb, "select reason from dead_letter", 1)
                            .get(0)
                            .get(0)
                            .asText())
                    .isEqualTo("not_json");
        }
    }

    @Test
    void timestreamSinkWritesLeadTimesAndAggregates() throws Exception {
        try (MotoServer moto = MotoServer.start();
                TimestreamWriteClient admin = TimestreamWriteClient.builder()
                        .region(Region.US_EAST_1)
                        .credentialsProvider(
                                StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                        .endpointOverride(URI.create(moto.endpoint()))
                        .endpointDiscoveryEnabled(false)
                        .build()) {
            admin.createDatabase(b -> b.databaseName("fc"));
            admin.createTable(b -> b.databaseName("fc")
                    .tableName("metrics")
                    .retentionProperties(
                            r -> r.memoryStoreRetentionPeriodInHours(24L).magneticStoreRetentionPeriodInDays(3650L))
                    .magneticStoreWriteProperties(m -> m.enableMagneticStoreWrites(true)));

            runJob(config(
                    events(System.currentTimeMillis() - 30L * 24 * 3_600_000L),
                    "FlightController.Sinks.metrics.sink=timestream\n"
                            + "FlightController.Sinks.timestream.database=fc\n"
                            + "FlightController.Sinks.timestream.table=metrics\n"
                            + "FlightController.Sinks.timestream.region=" + MotoServer.REGION + "\n"
                            + "FlightController.Sinks.timestream.endpoint=" + moto.endpoint() + "\n"));

            JsonNode tables = JSON.readTree(moto.get("/moto-api/data.json"))
                    .path("timestreamwrite")
                    .path("TimestreamTable");
            List<String> names = new ArrayList<>();
            int leads = 0;
            for (JsonNode t : tables) {
                for (JsonNode r : t.path("records")) {
                    names.add(r.path("MeasureName").asText());
                    if ("lead_time".equals(r.path("MeasureName").asText())) {
                        leads++;
                        assertThat(r.path("Version").asLong()).isGreaterThan(1_700_000_000_000L); // processing time
                    }
                }
            }
            assertThat(leads).isEqualTo(3);
            assertThat(names).contains("window_aggregate", "alert", "error_budget", "open_case", "dead_letter");
        }
    }

    private static JsonNode poll(QuestDbServer questdb, String sql, int rows) throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        JsonNode n = JSON.createArrayNode();
        while (System.currentTimeMillis() < deadline) {
            JsonNode answer = JSON.readTree(questdb.query(sql));
            if (answer.has("dataset")) {
                n = answer.get("dataset");
                if (n.size() >= rows) {
                    return n;
                }
            }
            Thread.sleep(100);
        }
        return n;
    }
}
