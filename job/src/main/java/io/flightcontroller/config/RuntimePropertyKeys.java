package io.flightcontroller.config;

import io.flightcontroller.adapters.file.FileOptions;
import io.flightcontroller.adapters.influx.InfluxSinkOptions;
import io.flightcontroller.adapters.jdbc.JdbcOptions;
import io.flightcontroller.adapters.kinesis.KinesisSourceOptions;
import io.flightcontroller.adapters.parse.MeasuresLocation;
import io.flightcontroller.adapters.sns.SnsSinkOptions;
import io.flightcontroller.adapters.timestream.TimestreamSinkOptions;
import io.flightcontroller.pipeline.PipelineOptions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * The runtime property groups and keys the job reads, shared by the job and the CDK app (infra-cdk) so that the
 * deployed application's properties and the job's expectations cannot drift.
 *
 * <p>On Amazon Managed Service for Apache Flink these are the application's runtime property groups
 * ({@code KinesisAnalyticsRuntime.getApplicationProperties()}); locally the same keys are read from a properties file
 * as {@code group.key=value}. Each key is derived from the {@link ConfigOption} of the source, sink or pipeline that reads it (for example
 * {@link KinesisSourceOptions#STREAM}); only the job's own choices ({@link #SOURCE_TYPE_OPTION},
 * {@link #METRICS_SINK_OPTION}, {@link #ALERTS_SINK_OPTION}) are declared here. {@code io.flightcontroller.app.JobConfig}
 * reads the groups.
 */
public final class RuntimePropertyKeys {
    private RuntimePropertyKeys() {}

    /** {@code kinesis} or {@code file}. */
    public static final ConfigOption<String> SOURCE_TYPE_OPTION = ConfigOptions.key("source.type")
            .stringType()
            .defaultValue("kinesis")
            .withDescription("kinesis | file");
    /** {@code jdbc}, {@code timestream}, {@code influxdb} or {@code none}. */
    public static final ConfigOption<String> METRICS_SINK_OPTION = ConfigOptions.key("metrics.sink")
            .stringType()
            .noDefaultValue()
            .withDescription("jdbc | timestream | influxdb | none (required)");
    /** {@code sns}, {@code log}, {@code file} or {@code none}. */
    public static final ConfigOption<String> ALERTS_SINK_OPTION = ConfigOptions.key("alerts.sink")
            .stringType()
            .noDefaultValue()
            .withDescription("sns | log | file | none; default sns when sns.topic.arn is set, else log");

    /** Group of the event source. */
    public static final String GROUP_SOURCE = "FlightController.Source";
    /** Source type: {@code kinesis} or {@code file}. */
    public static final String SOURCE_TYPE = SOURCE_TYPE_OPTION.key();
    /** Kinesis stream name or ARN. */
    public static final String KINESIS_STREAM = KinesisSourceOptions.STREAM.key();
    /** AWS region of the stream. */
    public static final String KINESIS_REGION = KinesisSourceOptions.REGION.key();
    /** Initial position: LATEST, TRIM_HORIZON or AT_TIMESTAMP. */
    public static final String KINESIS_INITIAL_POSITION = KinesisSourceOptions.INITIAL_POSITION.key();
    /** ISO-8601 instant for AT_TIMESTAMP. */
    public static final String KINESIS_INITIAL_TIMESTAMP = KinesisSourceOptions.INITIAL_TIMESTAMP.key();
    /** Record publisher: POLLING or EFO (enhanced fan-out). */
    public static final String KINESIS_READER = KinesisSourceOptions.READER.key();
    /** Consumer name for enhanced fan-out. */
    public static final String KINESIS_EFO_CONSUMER = KinesisSourceOptions.EFO_CONSUMER.key();
    /** Endpoint override (tests, VPC endpoints). */
    public static final String KINESIS_ENDPOINT = KinesisSourceOptions.ENDPOINT.key();
    /** JSON Lines input path when source.type=file. */
    public static final String FILE_PATH = FileOptions.PATH.key();

    /** Group of event-time settings. */
    public static final String GROUP_TIME = "FlightController.Time";
    /** Bounded out-of-orderness, ISO-8601 duration. */
    public static final String OUT_OF_ORDERNESS = PipelineOptions.OUT_OF_ORDERNESS.key();
    /** Idle timeout after which a silent partition or shard no longer holds back the watermark, ISO-8601 duration. */
    public static final String IDLE_TIMEOUT = PipelineOptions.IDLE_TIMEOUT.key();
    /** How long de-duplication keys are kept, ISO-8601 duration of event time. */
    public static final String DEDUP_RETENTION = PipelineOptions.DEDUP_RETENTION.key();
    /** How long a finished or timed-out case is kept for late corrections, ISO-8601 duration of event time. */
    public static final String CASE_RETENTION = PipelineOptions.CASE_RETENTION.key();

    /** Group of the measures definition. */
    public static final String GROUP_MEASURES = "FlightController.Measures";
    /** Inline measures YAML. */
    public static final String MEASURES_YAML = MeasuresLocation.YAML.key();
    /** Location of the measures YAML: {@code classpath:/x.yaml}, {@code s3://bucket/key} or a file path. */
    public static final String MEASURES_LOCATION = MeasuresLocation.LOCATION.key();
    /** Default of {@link #MEASURES_LOCATION}: the measures file packaged in the job's jar. */
    public static final String DEFAULT_MEASURES_LOCATION = MeasuresLocation.DEFAULT_LOCATION;
    /** AWS region of the S3 bucket for an {@code s3://} measures location (default: the default region chain). */
    public static final String MEASURES_S3_REGION = MeasuresLocation.S3_REGION.key();
    /** Keyed state layout, {@code per_measure} or {@code per_correlation_id}: fixed at an application's first start. */
    public static final String STATE_LAYOUT = PipelineOptions.STATE_LAYOUT.key();

    /** Group of the metric sinks. */
    public static final String GROUP_SINKS = "FlightController.Sinks";
    /** Metric sink: {@code jdbc}, {@code timestream}, {@code influxdb} or {@code none}. */
    public static final String METRICS_SINK = METRICS_SINK_OPTION.key();
    /** JDBC URL for {@code jdbc}. */
    public static final String JDBC_URL = JdbcOptions.URL.key();
    /** Timestream database. */
    public static final String TIMESTREAM_DATABASE = TimestreamSinkOptions.DATABASE.key();
    /** Timestream table. */
    public static final String TIMESTREAM_TABLE = TimestreamSinkOptions.TABLE.key();
    /** Timestream region. */
    public static final String TIMESTREAM_REGION = TimestreamSinkOptions.REGION.key();
    /** Timestream endpoint override. */
    public static final String TIMESTREAM_ENDPOINT = TimestreamSinkOptions.ENDPOINT.key();
    /** InfluxDB base URL (v2 write API). */
    public static final String INFLUX_URL = InfluxSinkOptions.URL.key();
    /** InfluxDB organisation. */
    public static final String INFLUX_ORG = InfluxSinkOptions.ORG.key();
    /** InfluxDB bucket. */
    public static final String INFLUX_BUCKET = InfluxSinkOptions.BUCKET.key();
    /** Secrets Manager secret id holding the InfluxDB token. */
    public static final String INFLUX_TOKEN_SECRET = InfluxSinkOptions.TOKEN_SECRET.key();
    /** InfluxDB token as plain text (tests and local runs only; on AWS use {@link #INFLUX_TOKEN_SECRET}). */
    public static final String INFLUX_TOKEN = InfluxSinkOptions.TOKEN.key();

    /** Group of the alert sink. */
    public static final String GROUP_ALERTS = "FlightController.Alerts";
    /** Alert output besides the metrics sink: {@code log} (JSON lines in the job log), {@code file} or {@code none}. */
    public static final String ALERTS_SINK = ALERTS_SINK_OPTION.key();
    /** JSON Lines file for {@code alerts.sink=file}. */
    public static final String ALERTS_FILE_PATH = FileOptions.ALERTS_PATH.key();
    /** SNS topic ARN; alerts go to SNS when set. */
    public static final String SNS_TOPIC_ARN = SnsSinkOptions.TOPIC_ARN.key();
    /** SNS region. */
    public static final String SNS_REGION = SnsSinkOptions.REGION.key();
    /** SNS endpoint override. */
    public static final String SNS_ENDPOINT = SnsSinkOptions.ENDPOINT.key();

    /** Every group with its keys, in documentation order (group id first). */
    public static final List<List<String>> ALL = Collections.unmodifiableList(List.of(
            group(
                    GROUP_SOURCE,
                    List.of(SOURCE_TYPE_OPTION),
                    KinesisSourceOptions.options(),
                    FileOptions.sourceOptions()),
            group(GROUP_TIME, PipelineOptions.timeOptions()),
            group(GROUP_MEASURES, MeasuresLocation.options(), List.of(PipelineOptions.STATE_LAYOUT)),
            group(
                    GROUP_SINKS,
                    List.of(METRICS_SINK_OPTION),
                    JdbcOptions.options(),
                    TimestreamSinkOptions.options(),
                    InfluxSinkOptions.options()),
            group(GROUP_ALERTS, List.of(ALERTS_SINK_OPTION), FileOptions.alertOptions(), SnsSinkOptions.options())));

    @SafeVarargs
    private static List<String> group(String id, List<? extends ConfigOption<?>>... options) {
        List<String> g = new ArrayList<>();
        g.add(id);
        for (List<? extends ConfigOption<?>> list : options) {
            for (ConfigOption<?> o : list) {
                g.add(o.key());
            }
        }
        return Collections.unmodifiableList(g);
    }

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
