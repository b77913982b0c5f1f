package io.flightcontroller.app;

import static io.flightcontroller.config.RuntimePropertyKeys.*;

import io.flightcontroller.adapters.InvalidOptionException;
import io.flightcontroller.adapters.Options;
import io.flightcontroller.adapters.file.FileOptions;
import io.flightcontroller.adapters.influx.InfluxSinkOptions;
import io.flightcontroller.adapters.jdbc.JdbcOptions;
import io.flightcontroller.adapters.kinesis.KinesisSourceOptions;
import io.flightcontroller.adapters.parse.MeasuresLocation;
import io.flightcontroller.adapters.sns.SnsSinkOptions;
import io.flightcontroller.adapters.timestream.TimestreamSinkOptions;
import io.flightcontroller.config.RuntimePropertyKeys;
import io.flightcontroller.pipeline.PipelineOptions;
import java.io.IOException;
import java.io.Reader;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

/**
 * The one validated configuration of the job: source, event time, measures, metrics sink and alert sink. Built once at
 * start from property groups (on Managed Service for Apache Flink: {@code KinesisAnalyticsRuntime
 * .getApplicationProperties()}; locally: a properties file with {@code GROUP.key=value} lines, see
 * {@link #fromPropertiesFile}). Every problem throws an {@link InvalidConfigException} naming the group and key, so a
 * misconfigured application fails at start, not at the first record. Immutable and serializable.
 *
 * <p>Groups, keys and defaults (keys in {@link RuntimePropertyKeys}; durations are ISO-8601 such as {@code PT5S}):
 * <pre>
 * FlightController.Source
 *   source.type               kinesis | file                        default kinesis
 *   kinesis.stream            stream name or ARN                    required for kinesis
 *   kinesis.region            AWS region id                         required unless the stream is an ARN
 *   kinesis.initial.position  LATEST | TRIM_HORIZON | AT_TIMESTAMP   default LATEST
 *   kinesis.initial.timestamp ISO-8601 instant                      required for AT_TIMESTAMP
 *   kinesis.reader            POLLING | EFO                         default POLLING
 *   kinesis.efo.consumer      EFO consumer name                     required for EFO
 *   kinesis.endpoint          http(s)://host[:port]                 default: the AWS regional endpoint
 *   file.path                 JSON Lines file or folder (bounded)   required for file
 * FlightController.Time
 *   out.of.orderness          duration &gt;= 0                        default PT5S
 *   idle.timeout              duration &gt; 0                         default PT1M
 *   dedup.retention           duration &gt;= 0                        default PT1H
 *   case.retention            duration &gt;= 0                        default P1D
 * FlightController.Measures   (at most one of measures.yaml and measures.location)
 *   measures.yaml             inline YAML                           -
 *   measures.location         classpath:/x.yaml | s3://bucket/key | file path   default classpath:/measures.yaml
 *   measures.s3.region        region of the S3 bucket               default: AWS default region chain
 *   state.layout              per_measure | per_correlation_id      default per_measure; fixed at first start
 * FlightController.Sinks
 *   metrics.sink              jdbc | timestream | influxdb | none   required
 *   jdbc.url                  JDBC URL                              required for jdbc
 *   timestream.database       Timestream database                   required for timestream
 *   timestream.table          Timestream table                      required for timestream
 *   timestream.region         AWS region id                         required for timestream
 *   timestream.endpoint       http(s)://host[:port]                 default: endpoint discovery (AWS)
 *   influxdb.url              http(s)://host[:port] (v2 write API)  required for influxdb
 *   influxdb.org              organisation                          required for influxdb
 *   influxdb.bucket           bucket                                required for influxdb
 *   influxdb.token.secret     Secrets Manager secret id or ARN      one of the two token keys for influxdb
 *   influxdb.token            plain token (tests, local runs)       one of the two token keys for influxdb
 * FlightController.Alerts
 *   alerts.sink               sns | log | file | none               default sns when sns.topic.arn is set, else log
 *   alerts.file.path          JSON Lines file                       required for file
 *   sns.topic.arn             arn:aws:sns:REGION:ACCOUNT:TOPIC      required for sns (.fifo: FIFO topic)
 *   sns.region                region                                default: the ARN's region
 *   sns.endpoint              http(s) URI                           default: the regional endpoint
 * </pre>
 * Unknown keys in a {@code FlightController.*} group are rejected
 * (usually a typo); other groups are ignored.
 */
public final class JobConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Default measures location: the file bundled in the jar. */
    public static final String DEFAULT_MEASURES_LOCATION = RuntimePropertyKeys.DEFAULT_MEASURES_LOCATION;

    /** Where events come from. */
    public enum SourceType {
        /** Kinesis Data Streams (unbounded). */
        KINESIS,
        /** JSON Lines files (bounded). */
        FILE
    }

    /**
     * Where measurements, aggregates, error budgets, open cases and dead letters go (attached in
     * {@link ManagedFlinkJob#attachSinks}).
     */
    public enum MetricsSinkType {
        /** flink-connector-jdbc upserts into {@code jdbc.url}. */
        JDBC,
        /** Measurements and aggregates to Amazon Timestream for LiveAnalytics ({@code timestream.*}). */
        TIMESTREAM,
        /** Measurements and aggregates as line protocol to an InfluxDB v2 write API ({@code influxdb.*}). */
        INFLUXDB,
        /** No metrics output (alerts still go to the alert sink). */
        NONE
    }

    /** Where alerts go besides the metrics sink. */
    public enum AlertSinkType {
        /** Amazon SNS topic {@code sns.topic.arn} (the default when a topic is set). */
        SNS,
        /** One JSON line per alert in the job log (CloudWatch Logs on MSF), logger {@code io.flightcontroller.alerts}. */
        LOG,
        /** JSON Lines file. */
        FILE,
        /** No separate alert output. */
        NONE
    }

    /** A configuration problem, naming the property group and key. */
    public static final class InvalidConfigException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;
        private final String group;
        private final String key;

        /**
         * @param group property group id
         * @param key property key
         * @param problem what is wrong
         */
        public InvalidConfigException(String group, String key, String problem) {
            super(group + " / " + key + ": " + problem);
            this.group = group;
            this.key = key;
        }

        /** @return the property group id */
        public String getGroup() {
            return group;
        }
        /** @return the property key */
        public String getKey() {
            return key;
        }
    }

    private final SourceType sourceType;
    private final KinesisSourceOptions kinesis;
    private final String filePath;
    private final PipelineOptions pipeline;
    private final String measuresOrigin;
    private final MetricsSinkType metricsSink;
    private final String jdbcUrl;
    private final TimestreamSinkOptions timestream;
    private final InfluxSinkOptions influx;
    private final AlertSinkType alertSink;
    private final String alertsFilePath;
    private final SnsSinkOptions sns;

    private JobConfig(
            SourceType sourceType,
            KinesisSourceOptions kinesis,
            String filePath,
            PipelineOptions pipeline,
            String measuresOrigin,
            MetricsSinkType metricsSink,
            String jdbcUrl,
            TimestreamSinkOptions timestream,
            InfluxSinkOptions influx,
            AlertSinkType alertSink,
            String alertsFilePath,
            SnsSinkOptions sns) {
        this.sourceType = sourceType;
        this.kinesis = kinesis;
        this.filePath = filePath;
        this.pipeline = pipeline;
        this.measuresOrigin = measuresOrigin;
        this.metricsSink = metricsSink;
        this.jdbcUrl = jdbcUrl;
        this.timestream = timestream;
        this.influx = influx;
        this.sns = sns;
        this.alertSink = alertSink;
        this.alertsFilePath = alertsFilePath;
    }

    /** @return the source type */
    public SourceType getSourceType() {
        return sourceType;
    }
    /** @return the Kinesis settings when the source is Kinesis, else null */
    public KinesisSourceOptions getKinesis() {
        return kinesis;
    }
    /** @return the input path when the source is a file, else null */
    public String getFilePath() {
        return filePath;
    }
    /** @return measures and event-time settings */
    public PipelineOptions getPipeline() {
        return pipeline;
    }
    /** @return where the measures came from ({@code inline}, or the location) */
    public String getMeasuresOrigin() {
        return measuresOrigin;
    }
    /** @return the metrics sink type */
    public MetricsSinkType getMetricsSink() {
        return metricsSink;
    }
    /** @return the JDBC URL for {@link MetricsSinkType#JDBC}, normalised once by {@link JdbcOptions#url}, else null */
    public String getJdbcUrl() {
        return jdbcUrl;
    }
    /** @return the Timestream sink's options for {@link MetricsSinkType#TIMESTREAM}, else null */
    public TimestreamSinkOptions getTimestream() {
        return timestream;
    }
    /** @return the InfluxDB sink's options for {@link MetricsSinkType#INFLUXDB}, else null */
    public InfluxSinkOptions getInflux() {
        return influx;
    }
    /** @return the alert sink type */
    public AlertSinkType getAlertSink() {
        return alertSink;
    }
    /** @return the SNS sink's options for {@link AlertSinkType#SNS}, else null */
    public SnsSinkOptions getSns() {
        return sns;
    }
    /** @return the alerts file for {@link AlertSinkType#FILE}, else null */
    public String getAlertsFilePath() {
        return alertsFilePath;
    }

    @Override
    public String toString() {
        return "JobConfig{source=" + (sourceType == SourceType.KINESIS ? kinesis : "file " + filePath)
                + ", outOfOrderness=" + pipeline.getOutOfOrderness() + ", idleTimeout=" + pipeline.getIdleTimeout()
                + ", dedupRetention=" + pipeline.getDedupRetention() + ", caseRetention=" + pipeline.getCaseRetention()
                + ", measures=" + measuresOrigin + " ("
                + pipeline.getMeasures().getMeasures().size() + ")"
                + ", metricsSink=" + metricsSink + (jdbcUrl != null ? " " + redact(jdbcUrl) : "")
                + (timestream != null ? " " + timestream : "") + (influx != null ? " " + influx : "")
                + ", alertSink=" + alertSink + (alertsFilePath != null ? " " + alertsFilePath : "")
                + (sns != null ? " " + sns : "") + "}";
    }

    private static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }

    /**
     * Reads the configuration from property groups.
     *
     * @param groups property group id -&gt; properties, e.g. from {@code KinesisAnalyticsRuntime.getApplicationProperties()}
     * @return the validated configuration (measures loaded and validated)
     * @throws InvalidConfigException naming group and key for a missing, unknown or invalid value, including measures
     *         that cannot be read or are invalid
     */
    public static JobConfig fromPropertyGroups(Map<String, Properties> groups) {
        Groups g = new Groups(groups);
        g.rejectUnknownKeys();

        SourceType sourceType = g.read(
                GROUP_SOURCE, r -> Options.enumValue(r, SOURCE_TYPE_OPTION, SourceType.class, SourceType.KINESIS));
        MeasuresLocation.Loaded measures = g.read(GROUP_MEASURES, r -> MeasuresLocation.load(r));
        PipelineOptions.StateLayout stateLayout = g.read(
                GROUP_MEASURES,
                r -> Options.enumValue(
                        r,
                        PipelineOptions.STATE_LAYOUT,
                        PipelineOptions.StateLayout.class,
                        PipelineOptions.StateLayout.PER_MEASURE));
        PipelineOptions pipeline = g.read(
                GROUP_TIME,
                r -> PipelineOptions.builder(measures.measures)
                        .outOfOrderness(Options.duration(
                                r, PipelineOptions.OUT_OF_ORDERNESS, PipelineOptions.DEFAULT_OUT_OF_ORDERNESS, true))
                        .idleTimeout(Options.duration(
                                r, PipelineOptions.IDLE_TIMEOUT, PipelineOptions.DEFAULT_IDLE_TIMEOUT, false))
                        .dedupRetention(Options.duration(
                                r, PipelineOptions.DEDUP_RETENTION, PipelineOptions.DEFAULT_DEDUP_RETENTION, true))
                        .caseRetention(Options.duration(
                                r, PipelineOptions.CASE_RETENTION, PipelineOptions.DEFAULT_CASE_RETENTION, true))
                        .stateLayout(stateLayout)
                        .build());

        KinesisSourceOptions kinesis = null;
        String filePath = null;
        if (sourceType == SourceType.KINESIS) {
            kinesis = g.read(GROUP_SOURCE, r -> KinesisSourceOptions.fromConfiguration(r));
        } else {
            filePath =
                    g.read(GROUP_SOURCE, r -> Options.required(r, FileOptions.PATH, "required when source.type=file"));
        }

        MetricsSinkType metricsSink = g.read(GROUP_SINKS, r -> {
            Options.required(r, METRICS_SINK_OPTION, "required: jdbc, timestream, influxdb or none");
            return Options.enumValue(r, METRICS_SINK_OPTION, MetricsSinkType.class, null);
        });
        String jdbcUrl = metricsSink != MetricsSinkType.JDBC
                ? null
                : g.read(GROUP_SINKS, r -> JdbcOptions.url(r, "required when metrics.sink=jdbc"));
        TimestreamSinkOptions timestream = metricsSink != MetricsSinkType.TIMESTREAM
                ? null
                : g.read(GROUP_SINKS, TimestreamSinkOptions::fromConfiguration);
        InfluxSinkOptions influx = metricsSink != MetricsSinkType.INFLUXDB
                ? null
                : g.read(GROUP_SINKS, InfluxSinkOptions::fromConfiguration);

        String snsTopic = g.get(GROUP_ALERTS, SNS_TOPIC_ARN);
        AlertSinkType alertSink = g.read(
                GROUP_ALERTS,
                r -> Options.enumValue(
                        r,
                        ALERTS_SINK_OPTION,
                        AlertSinkType.class,
                        snsTopic != null ? AlertSinkType.SNS : AlertSinkType.LOG));
        String alertsFile = alertSink != AlertSinkType.FILE
                ? null
                : g.read(
                        GROUP_ALERTS,
                        r -> Options.required(r, FileOptions.ALERTS_PATH, "required when alerts.sink=file"));
        SnsSinkOptions sns =
                alertSink != AlertSinkType.SNS ? null : g.read(GROUP_ALERTS, SnsSinkOptions::fromConfiguration);
        return new JobConfig(
                sourceType,
                kinesis,
                filePath,
                pipeline,
                measures.origin,
                metricsSink,
                jdbcUrl,
                timestream,
                influx,
                alertSink,
                alertsFile,
                sns);
    }

    /**
     * Reads the configuration from a local properties file whose keys are {@code GROUP.key}, for example
     * {@code FlightController.Source.kinesis.stream=events}.
     *
     * @param file the properties file (ISO-8859-1 escapes as in {@link Properties#load}; UTF-8 is read as is)
     * @return the validated configuration
     * @throws IOException when the file cannot be read
     * @throws InvalidConfigException for a key outside the known groups or any invalid value
     */
    public static JobConfig fromPropertiesFile(Path file) throws IOException {
        Properties flat = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            flat.load(r);
        }
        return fromPropertyGroups(groupsFromFlat(flat));
    }

    /**
     * Splits {@code GROUP.key=value} properties into groups, matching the longest known group id
     * ({@link RuntimePropertyKeys#ALL}) as prefix.
     *
     * @param flat properties with group-qualified keys
     * @return group id -&gt; properties
     * @throws InvalidConfigException for a key that starts with no known group id
     */
    public static Map<String, Properties> groupsFromFlat(Properties flat) {
        Map<String, Properties> groups = new HashMap<>();
        for (String name : flat.stringPropertyNames()) {
            String group = null;
            for (List<String> g : RuntimePropertyKeys.ALL) {
                String id = g.get(0);
                if (name.startsWith(id + ".") && (group == null || id.length() > group.length())) {
                    group = id;
                }
            }
            if (group == null) {
                throw new InvalidConfigException("-", name, "not in a known property group " + groupIds());
            }
            groups.computeIfAbsent(group, k -> new Properties())
                    .setProperty(name.substring(group.length() + 1), flat.getProperty(name));
        }
        return groups;
    }

    private static List<String> groupIds() {
        List<String> ids = new ArrayList<>();
        for (List<String> g : RuntimePropertyKeys.ALL) {
            ids.add(g.get(0));
        }
        return ids;
    }

    /**
     * The property groups, each read through its adapters' {@link ConfigOption}s; an {@link InvalidOptionException}
     * from an adapter becomes an {@link InvalidConfigException} naming the group.
     */
    private static final class Groups {
        private final Map<String, Properties> groups;

        Groups(Map<String, Properties> groups) {
            this.groups = new TreeMap<>(groups == null ? new HashMap<>() : groups);
        }

        void rejectUnknownKeys() {
            for (Map.Entry<String, Properties> e : groups.entrySet()) {
                if (!e.getKey().startsWith("FlightController.")) {
                    continue;
                }
                if (!groupIds().contains(e.getKey())) {
                    throw new InvalidConfigException(e.getKey(), "-", "unknown property group; known: " + groupIds());
                }
                for (String k : e.getValue().stringPropertyNames()) {
                    if (!RuntimePropertyKeys.isKnown(e.getKey(), k)) {
                        throw new InvalidConfigException(e.getKey(), k, "unknown key");
                    }
                }
            }
        }

        /** @return the group's settings as a Flink configuration (empty when the group is absent) */
        Configuration configuration(String group) {
            Map<String, String> m = new HashMap<>();
            Properties p = groups.get(group);
            if (p != null) {
                for (String k : p.stringPropertyNames()) {
                    m.put(k, p.getProperty(k));
                }
            }
            return Configuration.fromMap(m);
        }

        /** @return the trimmed value, null when absent or blank */
        String get(String group, String key) {
            Properties p = groups.get(group);
            String v = p == null ? null : p.getProperty(key);
            return v == null || v.trim().isEmpty() ? null : v.trim();
        }

        /** Runs {@code read} on the group's options, naming the group in any option error. */
        <T> T read(String group, Function<Configuration, T> read) {
            try {
                return read.apply(configuration(group));
            } catch (InvalidOptionException e) {
                throw new InvalidConfigException(group, e.getKey(), e.getProblem());
            }
        }
    }
}
