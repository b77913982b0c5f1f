package io.flightcontroller.config;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The runtime property groups and keys the job reads, shared by the job and the CDK app (infra-cdk) so that the
 * deployed application's properties and the job's expectations cannot drift.
 *
 * <p>On Amazon Managed Service for Apache Flink these are the application's runtime property groups
 * ({@code KinesisAnalyticsRuntime.getApplicationProperties()}); locally the same keys are read from a properties file
 * as {@code group.key=value}. Defaults and validation live in {@code io.flightcontroller.app.JobConfig}.
 */
public final class RuntimePropertyKeys {
    private RuntimePropertyKeys() {}

    /** Group of the event source. */
    public static final String GROUP_SOURCE = "FlightController.Source";
    /** Source type: {@code kinesis} or {@code file}. */
    public static final String SOURCE_TYPE = "source.type";
    /** Kinesis stream name or ARN. */
    public static final String KINESIS_STREAM = "kinesis.stream";
    /** AWS region of the stream. */
    public static final String KINESIS_REGION = "kinesis.region";
    /** Initial position: LATEST, TRIM_HORIZON or AT_TIMESTAMP. */
    public static final String KINESIS_INITIAL_POSITION = "kinesis.initial.position";
    /** ISO-8601 instant for AT_TIMESTAMP. */
    public static final String KINESIS_INITIAL_TIMESTAMP = "kinesis.initial.timestamp";
    /** Record publisher: POLLING or EFO (enhanced fan-out). */
    public static final String KINESIS_READER = "kinesis.reader";
    /** Consumer name for enhanced fan-out. */
    public static final String KINESIS_EFO_CONSUMER = "kinesis.efo.consumer";
    /** Endpoint override (tests, VPC endpoints). */
    public static final String KINESIS_ENDPOINT = "kinesis.endpoint";
    /** JSON Lines input path when source.type=file. */
    public static final String FILE_PATH = "file.path";

    /** Group of event-time settings. */
    public static final String GROUP_TIME = "FlightController.Time";
    /** Bounded out-of-orderness, ISO-8601 duration. */
    public static final String OUT_OF_ORDERNESS = "out.of.orderness";
    /** Idle timeout after which a silent partition or shard no longer holds back the watermark, ISO-8601 duration. */
    public static final String IDLE_TIMEOUT = "idle.timeout";
    /** How long de-duplication keys are kept, ISO-8601 duration of event time. */
    public static final String DEDUP_RETENTION = "dedup.retention";
    /** How long a finished or timed-out case is kept for late corrections, ISO-8601 duration of event time. */
    public static final String CASE_RETENTION = "case.retention";

    /** Group of the measures definition. */
    public static final String GROUP_MEASURES = "FlightController.Measures";
    /** Inline measures YAML. */
    public static final String MEASURES_YAML = "measures.yaml";
    /** Location of the measures YAML: {@code classpath:/x.yaml}, {@code s3://bucket/key} or a file path. */
    public static final String MEASURES_LOCATION = "measures.location";
    /** Default of {@link #MEASURES_LOCATION}: the measures file packaged in the job's jar. */
    public static final String DEFAULT_MEASURES_LOCATION = "classpath:/measures.yaml";
    /** AWS region of the S3 bucket for an {@code s3://} measures location (default: the default region chain). */
    public static final String MEASURES_S3_REGION = "measures.s3.region";

    /** Group of the metric sinks. */
    public static final String GROUP_SINKS = "FlightController.Sinks";
    /** Metric sink: {@code jdbc}, {@code timestream}, {@code influxdb} or {@code none}. */
    public static final String METRICS_SINK = "metrics.sink";
    /** JDBC URL for {@code jdbc}. */
    public static final String JDBC_URL = "jdbc.url";
    /** Timestream database. */
    public static final String TIMESTREAM_DATABASE = "timestream.database";
    /** Timestream table. */
    public static final String TIMESTREAM_TABLE = "timestream.table";
    /** Timestream region. */
    public static final String TIMESTREAM_REGION = "timestream.region";
    /** Timestream endpoint override. */
    public static final String TIMESTREAM_ENDPOINT = "timestream.endpoint";
    /** InfluxDB base URL (v2 write API). */
    public static final String INFLUX_URL = "influxdb.url";
    /** InfluxDB organisation. */
    public static final String INFLUX_ORG = "influxdb.org";
    /** InfluxDB bucket. */
    public static final String INFLUX_BUCKET = "influxdb.bucket";
    /** Secrets Manager secret id holding the InfluxDB token. */
    public static final String INFLUX_TOKEN_SECRET = "influxdb.token.secret";
    /** InfluxDB token as plain text (tests and local runs only; on AWS use {@link #INFLUX_TOKEN_SECRET}). */
    public static final String INFLUX_TOKEN = "influxdb.token";

    /** Group of the alert sink. */
    public static final String GROUP_ALERTS = "FlightController.Alerts";
    /** Alert output besides the metrics sink: {@code log} (JSON lines in the job log), {@code file} or {@code none}. */
    public static final String ALERTS_SINK = "alerts.sink";
    /** JSON Lines file for {@code alerts.sink=file}. */
    public static final String ALERTS_FILE_PATH = "alerts.file.path";
    /** SNS topic ARN; alerts go to SNS when set. */
    public static final String SNS_TOPIC_ARN = "sns.topic.arn";
    /** SNS region. */
    public static final String SNS_REGION = "sns.region";
    /** SNS endpoint override. */
    public static final String SNS_ENDPOINT = "sns.endpoint";

    /** Every group with its keys, in documentation order. */
    public static final List<List<String>> ALL = Collections.unmodifiableList(Arrays.asList(
            Arrays.asList(GROUP_SOURCE, SOURCE_TYPE, KINESIS_STREAM, KINESIS_REGION, KINESIS_INITIAL_POSITION,
                    KINESIS_INITIAL_TIMESTAMP, KINESIS_READER, KINESIS_EFO_CONSUMER, KINESIS_ENDPOINT, FILE_PATH),
            Arrays.asList(GROUP_TIME, OUT_OF_ORDERNESS, IDLE_TIMEOUT, DEDUP_RETENTION, CASE_RETENTION),
            Arrays.asList(GROUP_MEASURES, MEASURES_YAML, MEASURES_LOCATION, MEASURES_S3_REGION),
            Arrays.asList(GROUP_SINKS, METRICS_SINK, JDBC_URL, TIMESTREAM_DATABASE, TIMESTREAM_TABLE,
                    TIMESTREAM_REGION, TIMESTREAM_ENDPOINT, INFLUX_URL, INFLUX_ORG, INFLUX_BUCKET, INFLUX_TOKEN_SECRET,
                    INFLUX_TOKEN),
            Arrays.asList(GROUP_ALERTS, ALERTS_SINK, ALERTS_FILE_PATH, SNS_TOPIC_ARN, SNS_REGION, SNS_ENDPOINT)));

    /**
     * Whether {@code key} is a known key of {@code group}.
     *
     * @param group property group id
     * @param key property key
     * @return true when the pair is listed in {@link #ALL}
     */
    public static boolean isKnown(String group, String key) {
        for (List<String> g : ALL) {
            if (g.get(0).equals(group)) {
                return g.subList(1, g.size()).contains(key);
            }
        }
        return false;
    }
}
