package io.flightcontroller.app;

import com.amazonaws.services.kinesisanalytics.runtime.KinesisAnalyticsRuntime;
import io.flightcontroller.adapters.LoggingDeadLetterHandler;
import io.flightcontroller.adapters.file.JsonLinesFileSink;
import io.flightcontroller.adapters.influx.InfluxLineProtocolSink;
import io.flightcontroller.adapters.influx.InfluxToken;
import io.flightcontroller.adapters.metrics.MetricPointStreams;
import io.flightcontroller.adapters.timestream.TimestreamSink;
import io.flightcontroller.adapters.file.JsonLinesFormat;
import io.flightcontroller.adapters.jdbc.JdbcOutputs;
import io.flightcontroller.adapters.jdbc.JdbcTables;
import io.flightcontroller.adapters.log.JsonLogSink;
import io.flightcontroller.adapters.parse.EventParser;
import io.flightcontroller.domain.ParsedRecord;
import io.flightcontroller.pipeline.FlightControllerTopology;
import java.nio.file.Paths;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point on Amazon Managed Service for Apache Flink (main class of the shaded jar).
 *
 * <p>Reads the runtime property groups ({@code KinesisAnalyticsRuntime.getApplicationProperties()}), or, with
 * {@code --config FILE}, a local properties file of {@code GROUP.key=value} lines; validates them into a
 * {@link JobConfig} (failing at start with the group and key of a bad value); builds the source (Kinesis, or JSON
 * Lines files when {@code source.type=file}), the topology and the sinks; and runs the job. Every operator has a stable
 * uid.
 *
 * <p>Flink settings: the job sets only {@link #applicationSettings()}, properties that Managed Flink lets application
 * code set ("Programmatic Flink configuration properties",
 * https://docs.aws.amazon.com/managed-flink/latest/java/programmatic-configuration.html; from runtime 2.2 on, setting
 * any other property in code throws). Checkpointing (interval, mode: exactly once), the state backend (RocksDB,
 * incremental), the restart strategy and the parallelism belong to the service: its application configuration
 * ({@code CheckpointConfiguration}, {@code ParallelismConfiguration}) or a support case
 * (https://docs.aws.amazon.com/managed-flink/latest/java/reference-flink-settings.title.html). Elsewhere (a session
 * cluster) they come from the cluster's configuration, as on the service.
 *
 * <p>Usage: {@code ManagedFlinkJob [--config FILE.properties]}.
 */
public final class ManagedFlinkJob {
    private static final Logger LOG = LoggerFactory.getLogger(ManagedFlinkJob.class);

    /** Logger the {@code log} alert sink writes to. */
    public static final String ALERTS_LOGGER = "io.flightcontroller.alerts";

    /**
     * The maximum parallelism of every operator, i.e. the number of key groups keyed state is split into. It is fixed
     * by the first snapshot: a restore with another value fails. Flink derives it from the parallelism when unset
     * (128 up to parallelism 85, more above), so the service's autoscaling, which doubles the parallelism, could
     * otherwise change it; 128 is that derived value (so earlier snapshots restore), allows autoscaling up to
     * parallelism 128 and keeps the key-group prefix of each state entry at one byte.
     */
    public static final int MAX_PARALLELISM = 128;

    private ManagedFlinkJob() {}

    /**
     * The Flink settings the job sets itself, all of them on Managed Flink's list of properties application code may
     * set: {@code pipeline.max-parallelism} ({@link #MAX_PARALLELISM}) and {@code pipeline.auto-generate-uids=false}
     * (the job graph is refused unless every operator has an explicit uid, so a savepoint's state always finds its
     * operator after a code change).
     *
     * @return a new configuration to apply with {@link StreamExecutionEnvironment#configure}
     */
    public static Configuration applicationSettings() {
        Configuration c = new Configuration();
        c.set(org.apache.flink.configuration.PipelineOptions.MAX_PARALLELISM, MAX_PARALLELISM);
        c.set(org.apache.flink.configuration.PipelineOptions.AUTO_GENERATE_UIDS, false);
        return c;
    }

    /**
     * @param args {@code --config FILE} for a local properties file; none on MSF
     * @throws Exception when the configuration is invalid ({@link JobConfig.InvalidConfigException}) or the job fails
     */
    public static void main(String[] args) throws Exception {
        JobConfig config = loadConfig(args);
        LOG.info("Flight Controller configuration: {}", config);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.configure(applicationSettings());
        FlightControllerTopology.Outputs out = build(env, config);
        attachSinks(out, config);
        env.execute("flight-controller");
    }

    /**
     * Loads the configuration from {@code --config FILE} when given, else from the MSF runtime properties.
     *
     * @param args command-line arguments
     * @return the validated configuration
     * @throws Exception when the file or the runtime properties cannot be read, or a value is invalid
     */
    public static JobConfig loadConfig(String[] args) throws Exception {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                return JobConfig.fromPropertiesFile(Paths.get(args[i + 1]));
            }
            if (args[i].startsWith("--config=")) {
                return JobConfig.fromPropertiesFile(Paths.get(args[i].substring("--config=".length())));
            }
        }
        Map<String, Properties> groups = KinesisAnalyticsRuntime.getApplicationProperties();
        return JobConfig.fromPropertyGroups(groups);
    }

    /**
     * Adds the source and the topology to {@code env}.
     *
     * @param env the environment
     * @param config validated configuration
     * @return the topology's outputs, for {@link #attachSinks} (tests attach their own)
     */
    public static FlightControllerTopology.Outputs build(StreamExecutionEnvironment env, JobConfig config) {
        DataStream<ParsedRecord> input;
        if (config.getSourceType() == JobConfig.SourceType.KINESIS) {
            input = KinesisInput.create(env, config.getKinesis(), config.getPipeline());
        } else {
            FileSource<ParsedRecord> files = FileSource.forRecordStreamFormat(new JsonLinesFormat(
                    new EventParser().withMaxFutureSkew(config.getPipeline().getMaxFutureSkew())),
                    new org.apache.flink.core.fs.Path(config.getFilePath())).build();
            input = env.fromSource(files, FlightControllerTopology.fileWatermarkStrategy(config.getPipeline()),
                    "event files").uid("source-files").setParallelism(1);
        }
        return FlightControllerTopology.build(input, config.getPipeline());
    }

    /**
     * @param c validated Timestream settings
     * @return the Timestream sink; rejected records go to the job log ({@link LoggingDeadLetterHandler})
     */
    static TimestreamSink timestreamSink(MetricStoreConfig c) {
        return TimestreamSink.builder().setDatabase(c.getTimestreamDatabase()).setTable(c.getTimestreamTable())
                .setRegion(c.getTimestreamRegion()).setEndpoint(c.getTimestreamEndpoint())
                .setDeadLetterHandler(new LoggingDeadLetterHandler()).build();
    }

    /**
     * @param c validated InfluxDB settings
     * @return the InfluxDB sink; the token is read from Secrets Manager by each writer when it starts (or taken as
     *     given for {@code influxdb.token}); rejected lines go to the job log ({@link LoggingDeadLetterHandler})
     */
    static InfluxLineProtocolSink influxSink(MetricStoreConfig c) {
        InfluxToken token = c.getInfluxTokenSecret() != null
                ? InfluxToken.secretsManager(c.getInfluxTokenSecret(), c.getInfluxTokenSecretRegion(), null)
                : InfluxToken.literal(c.getInfluxToken());
        return InfluxLineProtocolSink.builder().setUrl(c.getInfluxUrl()).setOrg(c.getInfluxOrg())
                .setBucket(c.getInfluxBucket()).setToken(token).setDeadLetterHandler(new LoggingDeadLetterHandler())
                .build();
    }

    /**
     * Attaches the configured sinks: metric sinks by {@link JobConfig.MetricsSinkType} (
     * {@code jdbc}, {@code timestream}, {@code influxdb}, {@code none}) and the alert sink by
     * {@link JobConfig.AlertSinkType} ({@code sns}, {@code log}, {@code file}, {@code none}; alerts SNS gives up on
     * after their retries are logged as dead letters).
     *
     * @param out the topology's outputs
     * @param config validated configuration
     * @throws RuntimeException when the JDBC tables cannot be created
     */
    public static void attachSinks(FlightControllerTopology.Outputs out, JobConfig config) {
        switch (config.getMetricsSink()) {
            case JDBC:
                try {
                    JdbcTables.createIfMissing(JdbcOutputs.effectiveUrl(config.getJdbcUrl()));
                } catch (Exception e) {
                    throw new IllegalStateException("cannot create the JDBC tables at the configured jdbc.url", e);
                }
                JdbcOutputs.attach(out, config.getJdbcUrl());
                break;
            case NONE:
                out.deadLetters.sinkTo(new JsonLogSink<>("io.flightcontroller.deadletters"))
                        .name("dead letters to log").uid("log-dead-letters");
                break;
            case TIMESTREAM:
                MetricPointStreams.of(out, config.getPipeline().getMeasures(),
                        "timestream").sinkTo(timestreamSink(config.getMetricStore()))
                        .name("metrics to Timestream").uid("timestream-metrics");
                out.deadLetters.sinkTo(new JsonLogSink<>("io.flightcontroller.deadletters"))
                        .name("dead letters to log").uid("log-dead-letters");
                break;
            case INFLUXDB:
                MetricPointStreams.of(out, config.getPipeline().getMeasures(),
                        "influxdb").sinkTo(influxSink(config.getMetricStore()))
                        .name("metrics to InfluxDB").uid("influxdb-metrics");
                out.deadLetters.sinkTo(new JsonLogSink<>("io.flightcontroller.deadletters"))
                        .name("dead letters to log").uid("log-dead-letters");
                break;
            default:
                throw new IllegalStateException("no sink for metrics.sink=" + config.getMetricsSink());
        }
        switch (config.getAlertSink()) {
            case LOG:
                out.alerts.sinkTo(new JsonLogSink<>(ALERTS_LOGGER, io.flightcontroller.adapters.json.AlertJson::toJson)).name("alerts to log").uid("log-alerts");
                break;
            case FILE:
                out.alerts.sinkTo(new JsonLinesFileSink<>(Paths.get(config.getAlertsFilePath()),
                        io.flightcontroller.adapters.json.AlertJson::toJson))
                        .name("alerts file").uid("file-alerts").setParallelism(1);
                break;
            case NONE:
                break;
            case SNS:
                out.alerts.sinkTo(io.flightcontroller.adapters.sns.SnsAlertSink.builder()
                        .fromConfiguration(org.apache.flink.configuration.Configuration.fromMap(config.getSnsOptions()))
                        .setDeadLetterHandler(new io.flightcontroller.adapters.LoggingDeadLetterHandler()).build())
                        .name("alerts to SNS").uid("sns-alerts");
                break;
            default:
                throw new IllegalStateException("no sink for alerts.sink=" + config.getAlertSink());
        }
    }
}
