package io.flightcontroller.infra;

import io.flightcontroller.config.RuntimePropertyKeys;
import io.flightcontroller.pipeline.PipelineCounters;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every parameter of the Flight Controller stack, read from CDK context ({@code cdk deploy -c key=value} or
 * {@code cdk.json}) with a documented default, and validated before anything is synthesised.
 *
 * <p>The context keys are the constants {@code KEY_*} below; {@code infra-cdk/README.md} lists them with their meaning.
 *
 * @param appName name of the Managed Flink application and prefix of named resources
 * @param eventBusName event bus to create, or {@code default} to use the account's default bus
 * @param eventSourcePrefix prefix of the producers' {@code source} the rule matches
 * @param eventDetailTypes detail-types the rule matches; empty matches every detail-type of the source
 * @param streamMode {@code on-demand} or {@code provisioned}
 * @param shardCount shards of a provisioned stream
 * @param streamRetentionHours stream retention in hours (24 to 8760)
 * @param jarPath local path of the job's shaded jar, uploaded as a CDK asset
 * @param jarS3Key key of a jar already uploaded to the artifact bucket; when set, no asset is built
 * @param flinkRuntime Managed Flink runtime of the application, one of {@link #FLINK_RUNTIMES}
 * @param parallelism application parallelism
 * @param parallelismPerKpu parallelism per KPU
 * @param autoScaling whether Managed Flink autoscaling is on
 * @param checkpointIntervalMs checkpoint interval in milliseconds
 * @param minPauseBetweenCheckpointsMs minimum pause between checkpoints in milliseconds
 * @param logLevel application log level
 * @param metricsLevel CloudWatch metrics level
 * @param logRetentionDays log retention in days
 * @param measuresLocation {@code measures.location} when {@code measuresS3Key} is not set
 * @param measuresS3Key key of the measures YAML in the artifact bucket, or null
 * @param initialPosition Kinesis initial position
 * @param kinesisReader {@code POLLING} or {@code EFO}
 * @param metricsSink {@code timestream} or {@code influxdb}
 * @param timestreamDatabase Timestream database name
 * @param timestreamTable Timestream table name
 * @param memoryRetentionHours Timestream memory-store retention in hours
 * @param magneticRetentionDays Timestream magnetic-store retention in days
 * @param influxUrl InfluxDB base URL
 * @param influxOrg InfluxDB organisation
 * @param influxBucket InfluxDB bucket
 * @param influxTokenSecretArn ARN of an existing secret holding the InfluxDB token, or null to create one
 * @param alertEmails e-mail addresses subscribed to the alert topic
 * @param alertHttpsUrls HTTPS endpoints subscribed to the alert topic
 * @param millisBehindLatestThresholdMs alarm threshold of the source's {@code millisBehindLatest}
 * @param deadLetterMetricName name of the job's dead-letter counter in CloudWatch
 * @param grafana whether to create an Amazon Managed Grafana workspace with the generated dashboards ({@link Dashboards})
 * @param grafanaAuthentication the workspace's authentication provider, one of {@link #GRAFANA_AUTHENTICATION}
 * @param grafanaMeasuresFile local copy of the measures file the dashboards are generated from, or null to read
 *     {@code measuresLocation} (needed when the job reads its measures from S3)
 * @param stateLayout the job's {@code state.layout} ({@code per_measure} or {@code per_correlation_id}), or null to
 *     leave the property out (the job's default, per_measure); set it at the application's first deployment only: a
 *     snapshot restores only into the layout that wrote it
 */
public record StackSettings(
        String appName,
        String eventBusName,
        String eventSourcePrefix,
        List<String> eventDetailTypes,
        String streamMode,
        int shardCount,
        int streamRetentionHours,
        String jarPath,
        String jarS3Key,
        String flinkRuntime,
        int parallelism,
        int parallelismPerKpu,
        boolean autoScaling,
        long checkpointIntervalMs,
        long minPauseBetweenCheckpointsMs,
        String logLevel,
        String metricsLevel,
        int logRetentionDays,
        String measuresLocation,
        String measuresS3Key,
        String initialPosition,
        String kinesisReader,
        String metricsSink,
        String timestreamDatabase,
        String timestreamTable,
        int memoryRetentionHours,
        int magneticRetentionDays,
        String influxUrl,
        String influxOrg,
        String influxBucket,
        String influxTokenSecretArn,
        List<String> alertEmails,
        List<String> alertHttpsUrls,
        long millisBehindLatestThresholdMs,
        String deadLetterMetricName,
        boolean grafana,
        String grafanaAuthentication,
        String grafanaMeasuresFile,
        String stateLayout) {

    /** Context key of {@link #appName()}. */
    public static final String KEY_APP_NAME = "appName";
    /** Context key of {@link #eventBusName()}. */
    public static final String KEY_EVENT_BUS_NAME = "eventBusName";
    /** Context key of {@link #eventSourcePrefix()}. */
    public static final String KEY_EVENT_SOURCE_PREFIX = "eventSourcePrefix";
    /** Context key of {@link #eventDetailTypes()} (comma-separated). */
    public static final String KEY_EVENT_DETAIL_TYPES = "eventDetailTypes";
    /** Context key of {@link #streamMode()}. */
    public static final String KEY_STREAM_MODE = "streamMode";
    /** Context key of {@link #shardCount()}. */
    public static final String KEY_SHARD_COUNT = "shardCount";
    /** Context key of {@link #streamRetentionHours()}. */
    public static final String KEY_STREAM_RETENTION_HOURS = "streamRetentionHours";
    /** Context key of {@link #jarPath()}. */
    public static final String KEY_JAR_PATH = "jarPath";
    /** Context key of {@link #jarS3Key()}. */
    public static final String KEY_JAR_S3_KEY = "jarS3Key";
    /** Context key of {@link #flinkRuntime()}. */
    public static final String KEY_FLINK_RUNTIME = "flinkRuntime";
    /** Context key of {@link #parallelism()}. */
    public static final String KEY_PARALLELISM = "parallelism";
    /** Context key of {@link #parallelismPerKpu()}. */
    public static final String KEY_PARALLELISM_PER_KPU = "parallelismPerKpu";
    /** Context key of {@link #autoScaling()}. */
    public static final String KEY_AUTO_SCALING = "autoScaling";
    /** Context key of {@link #checkpointIntervalMs()}. */
    public static final String KEY_CHECKPOINT_INTERVAL_MS = "checkpointIntervalMs";
    /** Context key of {@link #minPauseBetweenCheckpointsMs()}. */
    public static final String KEY_MIN_PAUSE_BETWEEN_CHECKPOINTS_MS = "minPauseBetweenCheckpointsMs";
    /** Context key of {@link #logLevel()}. */
    public static final String KEY_LOG_LEVEL = "logLevel";
    /** Context key of {@link #metricsLevel()}. */
    public static final String KEY_METRICS_LEVEL = "metricsLevel";
    /** Context key of {@link #logRetentionDays()}. */
    public static final String KEY_LOG_RETENTION_DAYS = "logRetentionDays";
    /** Context key of {@link #measuresLocation()}. */
    public static final String KEY_MEASURES_LOCATION = "measuresLocation";
    /** Context key of {@link #measuresS3Key()}. */
    public static final String KEY_MEASURES_S3_KEY = "measuresS3Key";
    /** Context key of {@link #initialPosition()}. */
    public static final String KEY_INITIAL_POSITION = "initialPosition";
    /** Context key of {@link #stateLayout()}. */
    public static final String KEY_STATE_LAYOUT = "stateLayout";
    /** Context key of {@link #kinesisReader()}. */
    public static final String KEY_KINESIS_READER = "kinesisReader";
    /** Context key of {@link #metricsSink()}. */
    public static final String KEY_METRICS_SINK = "metricsSink";
    /** Context key of {@link #timestreamDatabase()}. */
    public static final String KEY_TIMESTREAM_DATABASE = "timestreamDatabase";
    /** Context key of {@link #timestreamTable()}. */
    public static final String KEY_TIMESTREAM_TABLE = "timestreamTable";
    /** Context key of {@link #memoryRetentionHours()}. */
    public static final String KEY_MEMORY_RETENTION_HOURS = "memoryRetentionHours";
    /** Context key of {@link #magneticRetentionDays()}. */
    public static final String KEY_MAGNETIC_RETENTION_DAYS = "magneticRetentionDays";
    /** Context key of {@link #influxUrl()}. */
    public static final String KEY_INFLUX_URL = "influxUrl";
    /** Context key of {@link #influxOrg()}. */
    public static final String KEY_INFLUX_ORG = "influxOrg";
    /** Context key of {@link #influxBucket()}. */
    public static final String KEY_INFLUX_BUCKET = "influxBucket";
    /** Context key of {@link #influxTokenSecretArn()}. */
    public static final String KEY_INFLUX_TOKEN_SECRET_ARN = "influxTokenSecretArn";
    /** Context key of {@link #alertEmails()} (comma-separated). */
    public static final String KEY_ALERT_EMAILS = "alertEmails";
    /** Context key of {@link #alertHttpsUrls()} (comma-separated). */
    public static final String KEY_ALERT_HTTPS_URLS = "alertHttpsUrls";
    /** Context key of {@link #millisBehindLatestThresholdMs()}. */
    public static final String KEY_MILLIS_BEHIND_LATEST_THRESHOLD_MS = "millisBehindLatestThresholdMs";
    /** Context key of {@link #deadLetterMetricName()}. */
    public static final String KEY_DEAD_LETTER_METRIC_NAME = "deadLetterMetricName";
    /** Context key of {@link #grafana()}. */
    public static final String KEY_GRAFANA = "grafana";
    /** Context key of {@link #grafanaAuthentication()}. */
    public static final String KEY_GRAFANA_AUTHENTICATION = "grafanaAuthentication";
    /** Context key of {@link #grafanaMeasuresFile()}. */
    public static final String KEY_GRAFANA_MEASURES_FILE = "grafanaMeasuresFile";

    /** Authentication providers of an Amazon Managed Grafana workspace; the first is the default. */
    public static final List<String> GRAFANA_AUTHENTICATION = List.of("AWS_SSO", "SAML");

    /** Default jar path, relative to {@code infra-cdk/} where {@code cdk} runs. */
    public static final String DEFAULT_JAR_PATH = "../job/target/flight-controller-job-0.1.0-SNAPSHOT.jar";
    /** The value of {@link #eventBusName()} that selects the account's default bus. */
    public static final String DEFAULT_BUS = "default";
    /** Stream mode value for on-demand capacity. */
    public static final String ON_DEMAND = "on-demand";
    /** Stream mode value for provisioned shards. */
    public static final String PROVISIONED = "provisioned";
    /** Metric sink value for Amazon Timestream for LiveAnalytics. */
    public static final String SINK_TIMESTREAM = "timestream";
    /** Metric sink value for InfluxDB (for example Amazon Timestream for InfluxDB). */
    public static final String SINK_INFLUXDB = "influxdb";

    /** The runtime the job is built for today (Flink 1.20, Java 11). */
    public static final String DEFAULT_FLINK_RUNTIME = "FLINK-1_20";
    /**
     * Managed Flink runtimes the stack accepts (AWS documentation, 2026): the 1.x line's last and the 2.x runtimes. The
     * jar must be built for the runtime's Flink line.
     */
    public static final List<String> FLINK_RUNTIMES = List.of(DEFAULT_FLINK_RUNTIME, "FLINK-2_2", "FLINK-2_3");

    /** Retention periods CloudWatch Logs accepts, in days. */
    public static final List<Integer> LOG_RETENTION_DAYS = List.of(
            1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653);

    /** Validates the settings; the compact constructor runs on every instance. */
    public StackSettings {
        eventDetailTypes = List.copyOf(eventDetailTypes);
        alertEmails = List.copyOf(alertEmails);
        alertHttpsUrls = List.copyOf(alertHttpsUrls);
        require(appName.matches("[a-zA-Z0-9_.-]{1,100}"), KEY_APP_NAME, "letters, digits, _ . - (1 to 100)", appName);
        require(!eventBusName.isBlank(), KEY_EVENT_BUS_NAME, "a bus name or 'default'", eventBusName);
        require(!eventSourcePrefix.isBlank(), KEY_EVENT_SOURCE_PREFIX, "a non-empty source prefix", eventSourcePrefix);
        require(
                streamMode.equals(ON_DEMAND) || streamMode.equals(PROVISIONED),
                KEY_STREAM_MODE,
                "on-demand or provisioned",
                streamMode);
        require(shardCount >= 1, KEY_SHARD_COUNT, ">= 1", shardCount);
        require(
                streamRetentionHours >= 24 && streamRetentionHours <= 8760,
                KEY_STREAM_RETENTION_HOURS,
                "24 to 8760",
                streamRetentionHours);
        require(
                FLINK_RUNTIMES.contains(flinkRuntime),
                KEY_FLINK_RUNTIME,
                "one of the Managed Flink runtimes " + String.join(", ", FLINK_RUNTIMES),
                flinkRuntime);
        require(parallelism >= 1, KEY_PARALLELISM, ">= 1", parallelism);
        require(parallelismPerKpu >= 1 && parallelismPerKpu <= 8, KEY_PARALLELISM_PER_KPU, "1 to 8", parallelismPerKpu);
        require(checkpointIntervalMs >= 1000, KEY_CHECKPOINT_INTERVAL_MS, ">= 1000", checkpointIntervalMs);
        require(
                minPauseBetweenCheckpointsMs >= 0,
                KEY_MIN_PAUSE_BETWEEN_CHECKPOINTS_MS,
                ">= 0",
                minPauseBetweenCheckpointsMs);
        require(
                List.of("DEBUG", "INFO", "WARN", "ERROR").contains(logLevel),
                KEY_LOG_LEVEL,
                "DEBUG, INFO, WARN or ERROR",
                logLevel);
        require(
                List.of("APPLICATION", "OPERATOR", "PARALLELISM", "TASK").contains(metricsLevel),
                KEY_METRICS_LEVEL,
                "APPLICATION, OPERATOR, PARALLELISM or TASK",
                metricsLevel);
        require(
                LOG_RETENTION_DAYS.contains(logRetentionDays),
                KEY_LOG_RETENTION_DAYS,
                "one of CloudWatch Logs' retention values " + LOG_RETENTION_DAYS,
                logRetentionDays);
        require(
                List.of("LATEST", "TRIM_HORIZON").contains(initialPosition),
                KEY_INITIAL_POSITION,
                "LATEST or TRIM_HORIZON",
                initialPosition);
        require(List.of("POLLING", "EFO").contains(kinesisReader), KEY_KINESIS_READER, "POLLING or EFO", kinesisReader);
        require(
                stateLayout == null
                        || List.of("per_measure", "per_correlation_id").contains(stateLayout),
                KEY_STATE_LAYOUT,
                "per_measure or per_correlation_id, set at the application's first deployment and never changed",
                stateLayout);
        require(
                metricsSink.equals(SINK_TIMESTREAM) || metricsSink.equals(SINK_INFLUXDB),
                KEY_METRICS_SINK,
                "timestream or influxdb",
                metricsSink);
        require(
                timestreamDatabase.matches("[a-zA-Z0-9_.-]{3,256}"),
                KEY_TIMESTREAM_DATABASE,
                "letters, digits, _ . - (3 to 256)",
                timestreamDatabase);
        require(
                timestreamTable.matches("[a-zA-Z0-9_.-]{3,256}"),
                KEY_TIMESTREAM_TABLE,
                "letters, digits, _ . - (3 to 256)",
                timestreamTable);
        require(
                memoryRetentionHours >= 1 && memoryRetentionHours <= 8766,
                KEY_MEMORY_RETENTION_HOURS,
                "1 to 8766",
                memoryRetentionHours);
        require(
                magneticRetentionDays >= 1 && magneticRetentionDays <= 73000,
                KEY_MAGNETIC_RETENTION_DAYS,
                "1 to 73000",
                magneticRetentionDays);
        if (metricsSink.equals(SINK_INFLUXDB)) {
            require(
                    influxUrl != null && influxUrl.startsWith("https://"),
                    KEY_INFLUX_URL,
                    "an https:// URL when metricsSink=influxdb",
                    influxUrl);
            require(
                    influxOrg != null && !influxOrg.isBlank(),
                    KEY_INFLUX_ORG,
                    "set when metricsSink=influxdb",
                    influxOrg);
            require(
                    influxBucket != null && !influxBucket.isBlank(),
                    KEY_INFLUX_BUCKET,
                    "set when metricsSink=influxdb",
                    influxBucket);
            require(
                    influxTokenSecretArn == null || influxTokenSecretArn.startsWith("arn:"),
                    KEY_INFLUX_TOKEN_SECRET_ARN,
                    "a Secrets Manager secret ARN",
                    influxTokenSecretArn);
        }
        for (String url : alertHttpsUrls) {
            require(url.startsWith("https://"), KEY_ALERT_HTTPS_URLS, "https:// URLs", url);
        }
        for (String email : alertEmails) {
            require(email.contains("@"), KEY_ALERT_EMAILS, "e-mail addresses", email);
        }
        require(
                millisBehindLatestThresholdMs > 0,
                KEY_MILLIS_BEHIND_LATEST_THRESHOLD_MS,
                "> 0",
                millisBehindLatestThresholdMs);
        require(!deadLetterMetricName.isBlank(), KEY_DEAD_LETTER_METRIC_NAME, "a metric name", deadLetterMetricName);
        require(
                GRAFANA_AUTHENTICATION.contains(grafanaAuthentication),
                KEY_GRAFANA_AUTHENTICATION,
                "one of " + String.join(", ", GRAFANA_AUTHENTICATION),
                grafanaAuthentication);
    }

    /** @return whether the account's default event bus is used instead of a new one */
    public boolean usesDefaultBus() {
        return DEFAULT_BUS.equals(eventBusName);
    }

    /** @return whether metrics go to Timestream for LiveAnalytics (else to InfluxDB) */
    public boolean usesTimestream() {
        return SINK_TIMESTREAM.equals(metricsSink);
    }

    /** @return whether the Kinesis stream uses on-demand capacity */
    public boolean onDemand() {
        return ON_DEMAND.equals(streamMode);
    }

    /** @return whether the application runs on a Flink 1.x runtime (else 2.x) */
    public boolean flink1() {
        return flinkRuntime.startsWith("FLINK-1_");
    }

    /** @return whether the source reads with enhanced fan-out */
    public boolean enhancedFanOut() {
        return "EFO".equals(kinesisReader);
    }

    /**
     * Reads the settings from a context lookup, applying the defaults documented in the README.
     *
     * @param context looks up a context key; returns null when the key is not set
     * @return validated settings
     * @throws IllegalArgumentException naming the context key of an invalid value
     */
    public static StackSettings fromContext(Function<String, Object> context) {
        Function<String, String> str = key -> {
            Object v = context.apply(key);
            if (v == null) {
                return null;
            }
            String s = String.valueOf(v).trim();
            return s.isEmpty() ? null : s;
        };
        Lookup c = new Lookup(str);
        return new StackSettings(
                c.string(KEY_APP_NAME, "flight-controller"),
                c.string(KEY_EVENT_BUS_NAME, "flight-controller"),
                c.string(KEY_EVENT_SOURCE_PREFIX, "flight-controller."),
                c.list(KEY_EVENT_DETAIL_TYPES),
                c.string(KEY_STREAM_MODE, ON_DEMAND).toLowerCase(Locale.ROOT),
                c.integer(KEY_SHARD_COUNT, 1),
                c.integer(KEY_STREAM_RETENTION_HOURS, 24),
                c.string(KEY_JAR_PATH, DEFAULT_JAR_PATH),
                c.string(KEY_JAR_S3_KEY, null),
                c.string(KEY_FLINK_RUNTIME, DEFAULT_FLINK_RUNTIME).toUpperCase(Locale.ROOT),
                c.integer(KEY_PARALLELISM, 1),
                c.integer(KEY_PARALLELISM_PER_KPU, 1),
                c.bool(KEY_AUTO_SCALING, true),
                c.longValue(KEY_CHECKPOINT_INTERVAL_MS, 60_000L),
                c.longValue(KEY_MIN_PAUSE_BETWEEN_CHECKPOINTS_MS, 5_000L),
                c.string(KEY_LOG_LEVEL, "INFO").toUpperCase(Locale.ROOT),
                c.string(KEY_METRICS_LEVEL, "APPLICATION").toUpperCase(Locale.ROOT),
                c.integer(KEY_LOG_RETENTION_DAYS, 30),
                c.string(KEY_MEASURES_LOCATION, RuntimePropertyKeys.DEFAULT_MEASURES_LOCATION),
                c.string(KEY_MEASURES_S3_KEY, null),
                c.string(KEY_INITIAL_POSITION, "LATEST").toUpperCase(Locale.ROOT),
                c.string(KEY_KINESIS_READER, "POLLING").toUpperCase(Locale.ROOT),
                c.string(KEY_METRICS_SINK, SINK_TIMESTREAM).toLowerCase(Locale.ROOT),
                c.string(KEY_TIMESTREAM_DATABASE, "flight_controller"),
                c.string(KEY_TIMESTREAM_TABLE, "measurements"),
                c.integer(KEY_MEMORY_RETENTION_HOURS, 24),
                c.integer(KEY_MAGNETIC_RETENTION_DAYS, 365),
                c.string(KEY_INFLUX_URL, null),
                c.string(KEY_INFLUX_ORG, null),
                c.string(KEY_INFLUX_BUCKET, null),
                c.string(KEY_INFLUX_TOKEN_SECRET_ARN, null),
                c.list(KEY_ALERT_EMAILS),
                c.list(KEY_ALERT_HTTPS_URLS),
                c.longValue(KEY_MILLIS_BEHIND_LATEST_THRESHOLD_MS, 60_000L),
                c.string(KEY_DEAD_LETTER_METRIC_NAME, PipelineCounters.CLOUDWATCH_DEAD_LETTERS),
                c.bool(KEY_GRAFANA, false),
                c.string(KEY_GRAFANA_AUTHENTICATION, GRAFANA_AUTHENTICATION.get(0))
                        .toUpperCase(Locale.ROOT),
                c.string(KEY_GRAFANA_MEASURES_FILE, null),
                c.string(KEY_STATE_LAYOUT, null) == null
                        ? null
                        : c.string(KEY_STATE_LAYOUT, null).toLowerCase(Locale.ROOT));
    }

    private static void require(boolean ok, String key, String expected, Object actual) {
        if (!ok) {
            throw new IllegalArgumentException(
                    "context '" + key + "': expected " + expected + ", got '" + actual + "'");
        }
    }

    /** Typed look-ups with defaults; a value that does not parse names its key. */
    private static final class Lookup {
        private final Function<String, String> raw;

        Lookup(Function<String, String> raw) {
            this.raw = raw;
        }

        String string(String key, String dflt) {
            String v = raw.apply(key);
            return v == null ? dflt : v;
        }

        List<String> list(String key) {
            String v = raw.apply(key);
            if (v == null) {
                return List.of();
            }
            return Arrays.stream(v.replaceAll("^\\[|]$", "").split(","))
                    .map(s -> s.trim().replaceAll("^\"|\"$", ""))
                    .filter(s -> !s.isEmpty())
                    .collect(Collectors.toList());
        }

        int integer(String key, int dflt) {
            return (int) longValue(key, dflt);
        }

        long longValue(String key, long dflt) {
            String v = raw.apply(key);
            if (v == null) {
                return dflt;
            }
            try {
                return Long.parseLong(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("context '" + key + "': expected a whole number, got '" + v + "'");
            }
        }

        boolean bool(String key, boolean dflt) {
            String v = raw.apply(key);
            if (v == null) {
                return dflt;
            }
            if (Objects.equals(v.toLowerCase(Locale.ROOT), "true")
                    || Objects.equals(v.toLowerCase(Locale.ROOT), "false")) {
                return Boolean.parseBoolean(v);
            }
            throw new IllegalArgumentException("context '" + key + "': expected true or false, got '" + v + "'");
        }
    }
}
