package io.flightcontroller.app;

import static io.flightcontroller.config.RuntimePropertyKeys.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flightcontroller.adapters.influx.InfluxSinkOptions;
import io.flightcontroller.adapters.kinesis.KinesisSourceOptions;
import io.flightcontroller.adapters.timestream.TimestreamSinkOptions;
import io.flightcontroller.pipeline.PipelineOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link JobConfig}: defaults, one error per invalid value naming group and key, and the measures locations. */
class JobConfigTest {
    private static final String YAML = "measures:\n  - name: m\n    start: a\n    end: b\n    timeout: PT1H\n";

    /** The smallest valid configuration: a Kinesis stream with its region, and a metrics sink. */
    private static Map<String, Properties> minimal() {
        Map<String, Properties> g = new HashMap<>();
        set(g, GROUP_SOURCE, KINESIS_STREAM, "events");
        set(g, GROUP_SOURCE, KINESIS_REGION, "eu-west-1");
        set(g, GROUP_SINKS, METRICS_SINK, "none");
        return g;
    }

    private static void set(Map<String, Properties> g, String group, String key, String value) {
        g.computeIfAbsent(group, k -> new Properties()).setProperty(key, value);
    }

    @Test
    void defaultsApplyToEverythingNotSet() {
        JobConfig c = JobConfig.fromPropertyGroups(minimal());
        assertThat(c.getSourceType()).isEqualTo(JobConfig.SourceType.KINESIS);
        KinesisSourceOptions k = c.getKinesis();
        assertThat(k.getStreamName()).isEqualTo("events");
        assertThat(k.getStreamArn()).isNull();
        assertThat(k.getRegion()).isEqualTo("eu-west-1");
        assertThat(k.getInitialPosition()).isEqualTo(KinesisSourceOptions.InitialPosition.LATEST);
        assertThat(k.getReader()).isEqualTo(KinesisSourceOptions.Reader.POLLING);
        assertThat(k.getEndpoint()).isNull();
        assertThat(c.getPipeline().getOutOfOrderness()).isEqualTo(PipelineOptions.DEFAULT_OUT_OF_ORDERNESS);
        assertThat(c.getPipeline().getIdleTimeout()).isEqualTo(PipelineOptions.DEFAULT_IDLE_TIMEOUT);
        assertThat(c.getPipeline().getDedupRetention()).isEqualTo(PipelineOptions.DEFAULT_DEDUP_RETENTION);
        assertThat(c.getPipeline().getCaseRetention()).isEqualTo(PipelineOptions.DEFAULT_CASE_RETENTION);
        // the layout of every application started before the choice existed
        assertThat(c.getPipeline().getStateLayout()).isEqualTo(PipelineOptions.StateLayout.PER_MEASURE);
        assertThat(c.getMeasuresOrigin()).isEqualTo(JobConfig.DEFAULT_MEASURES_LOCATION);
        assertThat(c.getPipeline().getMeasures().getMeasures()).isNotEmpty();
        assertThat(c.getMetricsSink()).isEqualTo(JobConfig.MetricsSinkType.NONE);
        assertThat(c.getAlertSink()).isEqualTo(JobConfig.AlertSinkType.LOG);
    }

    @Test
    void everySettingIsRead() {
        Map<String, Properties> g = minimal();
        set(g, GROUP_SOURCE, KINESIS_STREAM, "arn:aws:kinesis:us-east-2:123456789012:stream/orders");
        g.get(GROUP_SOURCE).remove(KINESIS_REGION);
        set(g, GROUP_SOURCE, KINESIS_INITIAL_POSITION, "at_timestamp");
        set(g, GROUP_SOURCE, KINESIS_INITIAL_TIMESTAMP, "2026-11-02T10:00:00.250Z");
        set(g, GROUP_SOURCE, KINESIS_READER, "EFO");
        set(g, GROUP_SOURCE, KINESIS_EFO_CONSUMER, "flight-controller");
        set(g, GROUP_SOURCE, KINESIS_ENDPOINT, "http://127.0.0.1:4567");
        set(g, GROUP_TIME, OUT_OF_ORDERNESS, "PT30S");
        set(g, GROUP_TIME, IDLE_TIMEOUT, "PT10S");
        set(g, GROUP_TIME, DEDUP_RETENTION, "PT2H");
        set(g, GROUP_TIME, CASE_RETENTION, "P2D");
        set(g, GROUP_SINKS, METRICS_SINK, "JDBC");
        set(g, GROUP_SINKS, JDBC_URL, "jdbc:postgresql://db/fc?user=u&password=secret");
        set(g, GROUP_ALERTS, ALERTS_SINK, "file");
        set(g, GROUP_ALERTS, ALERTS_FILE_PATH, "/tmp/alerts.jsonl");
        set(g, "SomeOtherGroup", "anything", "ignored");

        JobConfig c = JobConfig.fromPropertyGroups(g);
        KinesisSourceOptions k = c.getKinesis();
        assertThat(k.getStreamName()).isEqualTo("orders");
        assertThat(k.getRegion()).isEqualTo("us-east-2");
        assertThat(k.getInitialTimestamp()).isEqualTo(Instant.parse("2026-11-02T10:00:00.250Z"));
        assertThat(k.getInitialPosition()).isEqualTo(KinesisSourceOptions.InitialPosition.AT_TIMESTAMP);
        assertThat(k.getReader()).isEqualTo(KinesisSourceOptions.Reader.EFO);
        assertThat(k.getEfoConsumerName()).isEqualTo("flight-controller");
        assertThat(k.getEndpoint()).isEqualTo("http://127.0.0.1:4567");
        assertThat(c.getPipeline().getOutOfOrderness()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.getPipeline().getIdleTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.getPipeline().getDedupRetention()).isEqualTo(Duration.ofHours(2));
        assertThat(c.getPipeline().getCaseRetention()).isEqualTo(Duration.ofDays(2));
        assertThat(c.getJdbcUrl()).startsWith("jdbc:postgresql:");
        assertThat(c.toString()).doesNotContain("secret");
        assertThat(c.getAlertsFilePath()).isEqualTo("/tmp/alerts.jsonl");
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of(GROUP_SOURCE, SOURCE_TYPE, "kafka"),
                Arguments.of(GROUP_SOURCE, KINESIS_STREAM, ""),
                Arguments.of(GROUP_SOURCE, KINESIS_STREAM, "bad name!"),
                Arguments.of(GROUP_SOURCE, KINESIS_STREAM, "arn:aws:kinesis:eu-west-1:12:stream/x"),
                Arguments.of(GROUP_SOURCE, KINESIS_REGION, ""),
                Arguments.of(GROUP_SOURCE, KINESIS_REGION, "Europe"),
                Arguments.of(GROUP_SOURCE, KINESIS_INITIAL_POSITION, "EARLIEST"),
                Arguments.of(GROUP_SOURCE, KINESIS_INITIAL_TIMESTAMP, "yesterday"),
                Arguments.of(GROUP_SOURCE, KINESIS_READER, "PUSH"),
                Arguments.of(GROUP_SOURCE, KINESIS_EFO_CONSUMER, "bad name!"),
                Arguments.of(GROUP_SOURCE, KINESIS_ENDPOINT, "127.0.0.1:4567"),
                Arguments.of(GROUP_SOURCE, FILE_PATH, ""),
                Arguments.of(GROUP_SOURCE, "kinesis.strem", "typo"),
                Arguments.of(GROUP_MEASURES, STATE_LAYOUT, "per_case"),
                Arguments.of(GROUP_TIME, OUT_OF_ORDERNESS, "5s"),
                Arguments.of(GROUP_TIME, OUT_OF_ORDERNESS, "-PT1S"),
                Arguments.of(GROUP_TIME, IDLE_TIMEOUT, "PT0S"),
                Arguments.of(GROUP_TIME, DEDUP_RETENTION, "one hour"),
                Arguments.of(GROUP_TIME, CASE_RETENTION, "-P1D"),
                Arguments.of(GROUP_MEASURES, MEASURES_YAML, "measures: 3"),
                Arguments.of(GROUP_MEASURES, MEASURES_LOCATION, "classpath:/missing.yaml"),
                Arguments.of(GROUP_MEASURES, MEASURES_LOCATION, "/no/such/measures.yaml"),
                Arguments.of(GROUP_MEASURES, MEASURES_LOCATION, "s3://bucket-without-key"),
                Arguments.of(GROUP_SINKS, METRICS_SINK, ""),
                Arguments.of(GROUP_SINKS, METRICS_SINK, "kafka"),
                Arguments.of(GROUP_SINKS, TIMESTREAM_DATABASE, ""),
                Arguments.of(GROUP_SINKS, TIMESTREAM_TABLE, " "),
                Arguments.of(GROUP_SINKS, TIMESTREAM_REGION, "Europe"),
                Arguments.of(GROUP_SINKS, TIMESTREAM_ENDPOINT, "localhost:8000"),
                Arguments.of(GROUP_SINKS, INFLUX_URL, "ftp://influx"),
                Arguments.of(GROUP_SINKS, INFLUX_ORG, ""),
                Arguments.of(GROUP_SINKS, INFLUX_BUCKET, ""),
                Arguments.of(GROUP_SINKS, INFLUX_TOKEN_SECRET, ""),
                Arguments.of(GROUP_SINKS, INFLUX_TOKEN, "token-and-secret"),
                Arguments.of(GROUP_SINKS, JDBC_URL, "postgres://x"),
                Arguments.of(GROUP_ALERTS, ALERTS_SINK, "email"),
                Arguments.of(GROUP_ALERTS, ALERTS_FILE_PATH, ""),
                Arguments.of(GROUP_ALERTS, SNS_TOPIC_ARN, "alerts-topic"),
                Arguments.of(GROUP_ALERTS, SNS_ENDPOINT, "127.0.0.1:4566"));
    }

    @Test
    void theSinksRetryKeysCanBeSetInADeploymentAndAreValidatedWithGroupAndKey() {
        Map<String, Properties> g = minimal();
        set(g, GROUP_ALERTS, SNS_TOPIC_ARN, "arn:aws:sns:eu-west-1:123456789012:alerts");
        set(g, GROUP_ALERTS, "sns.max.attempts", "3");
        assertThat(JobConfig.fromPropertyGroups(g).getSns().getRetry().getMaxAttempts())
                .isEqualTo(3);

        set(g, GROUP_ALERTS, "sns.max.attempts", "0");
        assertThatThrownBy(() -> JobConfig.fromPropertyGroups(g))
                .isInstanceOfSatisfying(JobConfig.InvalidConfigException.class, e -> {
                    assertThat(e.getGroup()).isEqualTo(GROUP_ALERTS);
                    assertThat(e.getKey()).isEqualTo("sns.max.attempts");
                });
    }

    @Test
    void aTopicSendsAlertsToSns_regionFromTheArn() {
        Map<String, Properties> g = minimal();
        set(g, GROUP_ALERTS, SNS_TOPIC_ARN, "arn:aws:sns:eu-west-1:123456789012:alerts.fifo");
        JobConfig c = JobConfig.fromPropertyGroups(g);
        assertThat(c.getAlertSink()).isEqualTo(JobConfig.AlertSinkType.SNS);
        assertThat(c.getSns().getTopicArn()).isEqualTo("arn:aws:sns:eu-west-1:123456789012:alerts.fifo");
        assertThat(c.getSns().getRegion()).isEqualTo("eu-west-1");
        set(g, GROUP_ALERTS, ALERTS_SINK, "log");
        assertThat(JobConfig.fromPropertyGroups(g).getSns()).isNull();
    }

    @ParameterizedTest(name = "{0} / {1} = ''{2}''")
    @MethodSource("invalid")
    void anInvalidOrMissingValueNamesGroupAndKey(String group, String key, String value) {
        Map<String, Properties> g = minimal();
        set(g, group, key, value);
        // settings that make the key under test required
        if (key.equals(KINESIS_INITIAL_TIMESTAMP)) {
            set(g, GROUP_SOURCE, KINESIS_INITIAL_POSITION, "AT_TIMESTAMP");
        } else if (key.equals(KINESIS_EFO_CONSUMER)) {
            set(g, GROUP_SOURCE, KINESIS_READER, "EFO");
        } else if (key.equals(FILE_PATH)) {
            set(g, GROUP_SOURCE, SOURCE_TYPE, "file");
        } else if (key.equals(JDBC_URL)) {
            set(g, GROUP_SINKS, METRICS_SINK, "jdbc");
        } else if (key.startsWith("timestream.")) {
            set(g, GROUP_SINKS, METRICS_SINK, "timestream");
            g.get(GROUP_SINKS).putIfAbsent(TIMESTREAM_DATABASE, "fc");
            g.get(GROUP_SINKS).putIfAbsent(TIMESTREAM_TABLE, "metrics");
            g.get(GROUP_SINKS).putIfAbsent(TIMESTREAM_REGION, "eu-west-1");
        } else if (key.startsWith("influxdb.")) {
            set(g, GROUP_SINKS, METRICS_SINK, "influxdb");
            g.get(GROUP_SINKS).putIfAbsent(INFLUX_URL, "https://influx.example:8086");
            g.get(GROUP_SINKS).putIfAbsent(INFLUX_ORG, "fc");
            g.get(GROUP_SINKS).putIfAbsent(INFLUX_BUCKET, "metrics");
            if (key.equals(INFLUX_TOKEN)) {
                set(g, GROUP_SINKS, INFLUX_TOKEN_SECRET, "influx-token");
            }
        } else if (key.equals(ALERTS_FILE_PATH)) {
            set(g, GROUP_ALERTS, ALERTS_SINK, "file");
        } else if (key.equals(SNS_ENDPOINT)) {
            set(g, GROUP_ALERTS, SNS_TOPIC_ARN, "arn:aws:sns:eu-west-1:123456789012:alerts");
        }
        assertThatThrownBy(() -> JobConfig.fromPropertyGroups(g))
                .isInstanceOfSatisfying(JobConfig.InvalidConfigException.class, e -> {
                    assertThat(e.getGroup()).isEqualTo(group);
                    assertThat(e.getKey()).isEqualTo(key);
                })
                .hasMessageStartingWith(group + " / " + key + ": ");
    }

    @Test
    void timestreamSinkSettingsAreRead() {
        Map<String, Properties> g = minimal();
        set(g, GROUP_SINKS, METRICS_SINK, "timestream");
        set(g, GROUP_SINKS, TIMESTREAM_DATABASE, "flightcontroller");
        set(g, GROUP_SINKS, TIMESTREAM_TABLE, "metrics");
        set(g, GROUP_SINKS, TIMESTREAM_REGION, "eu-west-1");
        set(g, GROUP_SINKS, TIMESTREAM_ENDPOINT, "http://127.0.0.1:5000");

        JobConfig c = JobConfig.fromPropertyGroups(g);

        assertThat(c.getMetricsSink()).isEqualTo(JobConfig.MetricsSinkType.TIMESTREAM);
        TimestreamSinkOptions t = c.getTimestream();
        assertThat(t.getDatabase()).isEqualTo("flightcontroller");
        assertThat(t.getTable()).isEqualTo("metrics");
        assertThat(t.getRegion()).isEqualTo("eu-west-1");
        assertThat(t.getEndpoint()).isEqualTo("http://127.0.0.1:5000");
        assertThat(c.toString()).contains("timestream flightcontroller.metrics in eu-west-1");
        assertThat(JobWiring.timestreamSink(t).getTable()).isEqualTo("metrics");
    }

    @Test
    void influxSinkSettingsAreReadWithTheTokenFromSecretsManagerOrPlain() {
        Map<String, Properties> g = minimal();
        set(g, GROUP_SINKS, METRICS_SINK, "influxdb");
        set(g, GROUP_SINKS, INFLUX_URL, "https://influx.example:8086");
        set(g, GROUP_SINKS, INFLUX_ORG, "fc");
        set(g, GROUP_SINKS, INFLUX_BUCKET, "metrics");
        set(g, GROUP_SINKS, INFLUX_TOKEN_SECRET, "arn:aws:secretsmanager:eu-central-1:123456789012:secret:influx-AbC");

        JobConfig c = JobConfig.fromPropertyGroups(g);

        assertThat(c.getMetricsSink()).isEqualTo(JobConfig.MetricsSinkType.INFLUXDB);
        InfluxSinkOptions i = c.getInflux();
        assertThat(i.getUrl()).isEqualTo("https://influx.example:8086");
        assertThat(i.getOrg()).isEqualTo("fc");
        assertThat(i.getBucket()).isEqualTo("metrics");
        assertThat(i.getToken())
                .hasToString(
                        "Secrets Manager secret arn:aws:secretsmanager:eu-central-1:123456789012:secret:influx-AbC");
        assertThat(JobWiring.influxSink(i)).isNotNull(); // the secret is read by the writers, not here

        g.get(GROUP_SINKS).remove(INFLUX_TOKEN_SECRET);
        set(g, GROUP_SINKS, INFLUX_TOKEN, "very-secret-token");
        JobConfig plain = JobConfig.fromPropertyGroups(g);
        assertThat(plain.getInflux().getToken().resolve()).isEqualTo("very-secret-token");
        assertThat(plain.toString())
                .contains("influxdb https://influx.example:8086")
                .doesNotContain("very-secret");
    }

    @Test
    void missingStreamAndMissingMetricsSinkAreReported() {
        Map<String, Properties> g = minimal();
        g.get(GROUP_SOURCE).remove(KINESIS_STREAM);
        assertThatThrownBy(() -> JobConfig.fromPropertyGroups(g))
                .hasMessage(
                        GROUP_SOURCE + " / " + KINESIS_STREAM + ": required when source.type=kinesis (name or ARN)");
        Map<String, Properties> h = minimal();
        h.remove(GROUP_SINKS);
        assertThatThrownBy(() -> JobConfig.fromPropertyGroups(h))
                .hasMessageStartingWith(GROUP_SINKS + " / " + METRICS_SINK + ": required");
        assertThatThrownBy(() -> JobConfig.fromPropertyGroups(null))
                .hasMessageStartingWith(GROUP_SOURCE + " / " + KINESIS_STREAM);
    }

    @Test
    void unknownFlightControllerGroupIsRejected() {
        Map<String, Properties> g = minimal();
        set(g, "FlightController.Sink", METRICS_SINK, "jdbc");
        assertThatThrownBy(() -> JobConfig.fromPropertyGroups(g))
                .isInstanceOfSatisfying(
                        JobConfig.InvalidConfigException.class,
                        e -> assertThat(e.getGroup()).isEqualTo("FlightController.Sink"));
    }

    @Test
    void theStateLayoutIsReadFromTheMeasuresGroupInAnyCase() {
        Map<String, Properties> g = minimal();
        set(g, GROUP_MEASURES, STATE_LAYOUT, "PER_CORRELATION_ID");
        assertThat(JobConfig.fromPropertyGroups(g).getPipeline().getStateLayout())
                .isEqualTo(PipelineOptions.StateLayout.PER_CORRELATION_ID);
        set(g, GROUP_MEASURES, STATE_LAYOUT, "per_measure");
        assertThat(JobConfig.fromPropertyGroups(g).getPipeline().getStateLayout())
                .isEqualTo(PipelineOptions.StateLayout.PER_MEASURE);
    }

    @Test
    void measuresInline() {
        Map<String, Properties> g = minimal();
        set(g, GROUP_MEASURES, MEASURES_YAML, YAML);
        JobConfig c = JobConfig.fromPropertyGroups(g);
        assertThat(c.getMeasuresOrigin()).isEqualTo("inline");
        assertThat(c.getPipeline().getMeasures().getMeasures())
                .extracting(m -> m.getName())
                .containsExactly("m");
    }

    @Test
    void measuresFromClasspath() {
        Map<String, Properties> g = minimal();
        set(g, GROUP_MEASURES, MEASURES_LOCATION, "classpath:/measures.yaml");
        JobConfig c = JobConfig.fromPropertyGroups(g);
        assertThat(c.getPipeline().getMeasures().getMeasures())
                .extracting(m -> m.getName())
                .contains("project_lead_time");
    }

    @Test
    void measuresFromFilePathAndFileUri(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("measures.yaml");
        Files.write(f, YAML.getBytes(StandardCharsets.UTF_8));
        for (String loc : new String[] {f.toString(), f.toUri().toString()}) {
            Map<String, Properties> g = minimal();
            set(g, GROUP_MEASURES, MEASURES_LOCATION, loc);
            JobConfig c = JobConfig.fromPropertyGroups(g);
            assertThat(c.getMeasuresOrigin()).isEqualTo(loc);
            assertThat(c.getPipeline().getMeasures().getMeasures())
                    .extracting(m -> m.getName())
                    .containsExactly("m");
        }
    }

    @Test
    void inlineAndLocationTogetherIsAnError() {
        Map<String, Properties> g = minimal();
        set(g, GROUP_MEASURES, MEASURES_YAML, YAML);
        set(g, GROUP_MEASURES, MEASURES_LOCATION, "classpath:/measures.yaml");
        assertThatThrownBy(() -> JobConfig.fromPropertyGroups(g))
                .hasMessageStartingWith(GROUP_MEASURES + " / " + MEASURES_LOCATION + ": set either");
    }

    @Test
    void invalidMeasuresFileNamesTheLocationKeyAndTheMeasureProblem(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("bad.yaml");
        Files.write(f, "measures:\n  - name: m\n    start: a\n".getBytes(StandardCharsets.UTF_8));
        Map<String, Properties> g = minimal();
        set(g, GROUP_MEASURES, MEASURES_LOCATION, f.toString());
        assertThatThrownBy(() -> JobConfig.fromPropertyGroups(g))
                .hasMessageStartingWith(GROUP_MEASURES + " / " + MEASURES_LOCATION + ": " + f);
    }

    @Test
    void localPropertiesFileWithGroupQualifiedKeys(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("job.properties");
        Files.write(
                f,
                ("# local run\n"
                                + "FlightController.Source.source.type=file\n"
                                + "FlightController.Source.file.path=" + dir.resolve("events.jsonl") + "\n"
                                + "FlightController.Time.idle.timeout=PT5S\n"
                                + "FlightController.Sinks.metrics.sink=jdbc\n"
                                + "FlightController.Sinks.jdbc.url=jdbc:sqlite:" + dir.resolve("fc.db") + "\n"
                                + "FlightController.Alerts.alerts.sink=none\n")
                        .getBytes(StandardCharsets.UTF_8));
        JobConfig c = JobConfig.fromPropertiesFile(f);
        assertThat(c.getSourceType()).isEqualTo(JobConfig.SourceType.FILE);
        assertThat(c.getKinesis()).isNull();
        assertThat(c.getFilePath()).endsWith("events.jsonl");
        assertThat(c.getPipeline().getIdleTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.getMetricsSink()).isEqualTo(JobConfig.MetricsSinkType.JDBC);
        assertThat(c.getAlertSink()).isEqualTo(JobConfig.AlertSinkType.NONE);
        assertThat(ManagedFlinkJob.loadConfig(new String[] {"--config", f.toString()})
                        .getFilePath())
                .isEqualTo(c.getFilePath());
    }

    @Test
    void localPropertiesFileKeyOutsideTheGroupsIsAnError(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("job.properties");
        Files.write(f, "kinesis.stream=events\n".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> JobConfig.fromPropertiesFile(f))
                .isInstanceOfSatisfying(
                        JobConfig.InvalidConfigException.class,
                        e -> assertThat(e.getKey()).isEqualTo("kinesis.stream"));
    }
}
