package io.flightcontroller.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flightcontroller.adapters.eventlog.EventLogConverter;
import io.flightcontroller.adapters.eventlog.EventLogOptions;
import io.flightcontroller.adapters.parse.MeasuresYaml;
import io.flightcontroller.adapters.sns.SnsSinkOptions;
import io.flightcontroller.config.RuntimePropertyKeys;
import io.flightcontroller.pipeline.PipelineOptions;
import io.flightcontroller.testing.MotoServer;
import io.flightcontroller.testing.SharedData;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * The sepsis log replayed end to end with its SLO ("IV Antibiotics within 1 h of ER Registration", objective 0.9)
 * against an SNS API server on loopback (moto): the topic receives exactly the alerts the run wrote to its database,
 * 768 breach alerts (one per case) and the burn-rate firing / resolved alerts, each once.
 */
class SepsisToSnsTest {
    static MotoServer moto;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        moto = MotoServer.start();
    }

    @AfterAll
    static void stop() {
        if (moto != null) {
            moto.close();
        }
    }

    @Test
    void theSameRunDeliversTheSameAlertsToSns() throws Exception {
        String arn;
        try (SnsClient sns = SnsClient.builder()
                .endpointOverride(URI.create(moto.endpoint()))
                .region(Region.of(MotoServer.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .build()) {
            arn = sns.createTopic(b -> b.name("sepsis-alerts")).topicArn();
        }
        Path events = dir.resolve("sepsis.jsonl");
        EventLogConverter.convert(
                SharedData.path("sepsis_cases_eventdataR.csv"),
                events,
                EventLogOptions.builder()
                        .delimiter(';')
                        .caseColumn("Case ID")
                        .activityColumn("Activity")
                        .timeColumn("Complete Timestamp")
                        .build());
        LocalRun.Settings s = new LocalRun.Settings();
        s.measures = MeasuresYaml.parse("measures:\n  - name: registration_to_antibiotics\n"
                + "    start: ER Registration\n    end: IV Antibiotics\n"
                + "    slo: {threshold: PT1H, objective: 0.9, window: P28D}\n");
        s.inputs.add(events);
        s.jdbcUrl = "jdbc:sqlite:" + dir.resolve("results.db");
        s.pipeline = PipelineOptions.builder(s.measures).caseRetention(Duration.ofDays(3650));
        s.progress = false;
        Map<String, String> sns = new LinkedHashMap<>();
        sns.put(RuntimePropertyKeys.SNS_TOPIC_ARN, arn);
        sns.put(RuntimePropertyKeys.SNS_ENDPOINT, moto.endpoint());
        s.snsOptions = SnsSinkOptions.fromConfiguration(org.apache.flink.configuration.Configuration.fromMap(sns));
        s.snsDeadLettersFile = dir.resolve("sns-dead-letters.jsonl");
        LocalRun.run(s, null);

        Map<String, String> inDatabase = new HashMap<>();
        try (Connection c = DriverManager.getConnection(s.jdbcUrl);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT alert_id, kind FROM alerts")) {
            while (rs.next()) {
                inDatabase.put(rs.getString(1), rs.getString(2));
            }
        }
        ObjectMapper json = new ObjectMapper();
        Map<String, String> published = new HashMap<>();
        int notifications = 0;
        for (JsonNode topic :
                json.readTree(moto.get("/moto-api/data.json")).path("sns").path("Topic")) {
            if (arn.equals(topic.path("arn").asText())) {
                for (JsonNode n : topic.path("sent_notifications")) {
                    JsonNode body = json.readTree(n.get(1).asText());
                    published.put(
                            body.get("alert_id").asText(),
                            body.get("kind").asText().toUpperCase(java.util.Locale.ROOT));
                    notifications++;
                }
            }
        }
        assertThat(notifications).isEqualTo(published.size()); // each alert once
        assertThat(published.size()).isEqualTo(inDatabase.size());
        assertThat(published.equals(inDatabase))
                .as("same alert ids and kinds on SNS as in the database")
                .isTrue();
        assertThat(published.values().stream().filter("BREACH"::equals).count()).isEqualTo(768);
        assertThat(published.values()).contains("BURN_RATE_FIRING", "BURN_RATE_RESOLVED");
        Set<String> kinds = new HashSet<>(published.values());
        assertThat(kinds).containsOnly("BREACH", "BURN_RATE_FIRING", "BURN_RATE_RESOLVED");
        assertThat(Files.exists(s.snsDeadLettersFile) && Files.size(s.snsDeadLettersFile) > 0)
                .isFalse();
    }
}
