package io.flightcontroller.app;

import io.flightcontroller.adapters.DeadLetterHandler;
import io.flightcontroller.adapters.LoggingDeadLetterHandler;
import io.flightcontroller.adapters.file.JsonLinesFileSink;
import io.flightcontroller.adapters.file.JsonLinesFormat;
import io.flightcontroller.adapters.file.RateLimitedSource;
import io.flightcontroller.adapters.influx.InfluxLineProtocolSink;
import io.flightcontroller.adapters.influx.InfluxSinkOptions;
import io.flightcontroller.adapters.jdbc.JdbcOutputs;
import io.flightcontroller.adapters.jdbc.JdbcTables;
import io.flightcontroller.adapters.json.AlertJson;
import io.flightcontroller.adapters.kinesis.KinesisSourceOptions;
import io.flightcontroller.adapters.log.JsonLogSink;
import io.flightcontroller.adapters.metrics.MetricPointStreams;
import io.flightcontroller.adapters.parse.EventParser;
import io.flightcontroller.adapters.sns.SnsAlertSink;
import io.flightcontroller.adapters.sns.SnsSinkOptions;
import io.flightcontroller.adapters.timestream.TimestreamSink;
import io.flightcontroller.adapters.timestream.TimestreamSinkOptions;
import io.flightcontroller.domain.event.ParsedRecord;
import io.flightcontroller.domain.measure.MeasuresConfig;
import io.flightcontroller.pipeline.FlightControllerTopology;
import io.flightcontroller.pipeline.PipelineOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The one place where sources, the topology and sinks are put together, used by both entry points: the local runner
 * ({@link LocalRun}: file source, JDBC, alert and dead-letter files, optionally SNS) and the Managed Flink entry point
 * ({@link ManagedFlinkJob}: what {@link JobConfig} names). Adapters know nothing of the topology; this class hands each
 * adapter the streams it writes. Every operator added here has a stable uid.
 *
 * <p>Shape: {@code source -> FlightControllerTopology.build -> Outputs -> sinks}; uids {@code source-files},
 * {@code source-kinesis}, {@code jdbc-<table>}, {@code timestream-metrics}, {@code influxdb-metrics},
 * {@code log-dead-letters}, {@code file-dead-letters}, {@code log-alerts}, {@code file-alerts}, {@code sns-alerts}.
 */
public final class JobWiring {
    private JobWiring() {}

    /** Logger the {@code log} alert sink writes to. */
    public static final String ALERTS_LOGGER = "io.flightcontroller.alerts";

    /** Logger dead letters go to when no sink of the configuration stores them. */
    public static final String DEAD_LETTERS_LOGGER = "io.flightcontroller.deadletters";

    /**
     * The source and the topology for a validated configuration.
     *
     * @param env the environment
     * @param config validated configuration
     * @return the topology's outputs, for {@link #attachSinks} (tests attach their own)
     */
    public static FlightControllerTopology.Outputs build(StreamExecutionEnvironment env, JobConfig config) {
        PipelineOptions options = config.getPipeline();
        DataStream<ParsedRecord> input = config.getSourceType() == JobConfig.SourceType.KINESIS
                ? kinesisInput(env, config.getKinesis(), options)
                : fileInput(env, List.of(new org.apache.flink.core.fs.Path(config.getFilePath())), options, null, 0);
        return FlightControllerTopology.build(input, options);
    }

    /**
     * JSON Lines files as input: one reader, so the watermarks (emitted on the events themselves) are a function of the
     * files alone; the keyed operators run in parallel.
     *
     * @param env the environment
     * @param paths files or folders, read in this order
     * @param options event-time settings
     * @param wrapFormat wraps the record format (tests: a reader slowed down on purpose), or null
     * @param maxRecordsPerSecond read at most this many records (non-blank lines) per second ({@link
     *     RateLimitedSource}), or 0 for as fast as the job goes; the source's state is the same either way
     * @return parsed records with timestamps and watermarks; uid {@code source-files}
     */
    public static DataStream<ParsedRecord> fileInput(
            StreamExecutionEnvironment env,
            List<org.apache.flink.core.fs.Path> paths,
            PipelineOptions options,
            UnaryOperator<StreamFormat<ParsedRecord>> wrapFormat,
            double maxRecordsPerSecond) {
        StreamFormat<ParsedRecord> format = new JsonLinesFormat(parser(options));
        FileSource<ParsedRecord> files = FileSource.forRecordStreamFormat(
                        wrapFormat == null ? format : wrapFormat.apply(format),
                        paths.toArray(new org.apache.flink.core.fs.Path[0]))
                .build();
        org.apache.flink.api.connector.source.Source<ParsedRecord, ?, ?> source =
                maxRecordsPerSecond > 0 ? new RateLimitedSource<>(files, maxRecordsPerSecond) : files;
        return env.fromSource(source, FlightControllerTopology.fileWatermarkStrategy(options), "event files")
                .uid("source-files")
                .setParallelism(1);
    }

    /**
     * Kinesis as input, with per-shard watermarks.
     *
     * @param env the environment
     * @param kinesis validated source settings
     * @param options event-time settings
     * @return parsed records with timestamps and watermarks; uid {@code source-kinesis}
     */
    public static DataStream<ParsedRecord> kinesisInput(
            StreamExecutionEnvironment env, KinesisSourceOptions kinesis, PipelineOptions options) {
        return KinesisInput.create(env, kinesis, options); // per Flink line: src/flink1 or src/flink2
    }

    private static EventParser parser(PipelineOptions options) {
        return new EventParser().withMaxFutureSkew(options.getMaxFutureSkew());
    }

    /**
     * Attaches the configured sinks: metric sinks by {@link JobConfig.MetricsSinkType} ({@code jdbc},
     * {@code timestream}, {@code influxdb}, {@code none}) and the alert sink by {@link JobConfig.AlertSinkType}
     * ({@code sns}, {@code log}, {@code file}, {@code none}). Dead letters go to the JDBC table, else to the job log;
     * alerts SNS gives up on after their retries are logged as dead letters.
     *
     * @param out the topology's outputs
     * @param config validated configuration
     * @throws IllegalStateException when the JDBC tables cannot be created
     */
    public static void attachSinks(FlightControllerTopology.Outputs out, JobConfig config) {
        switch (config.getMetricsSink()) {
            case JDBC:
                String url = config.getJdbcUrl();
                try {
                    JdbcTables.createIfMissing(url);
                } catch (Exception e) {
                    throw new IllegalStateException("cannot create the JDBC tables at the configured jdbc.url", e);
                }
                attachJdbc(out, url);
                break;
            case NONE:
                attachDeadLettersLog(out);
                break;
            case TIMESTREAM:
                attachTimestream(out, config.getPipeline().getMeasures(), config.getTimestream());
                attachDeadLettersLog(out);
                break;
            case INFLUXDB:
                attachInflux(out, config.getPipeline().getMeasures(), config.getInflux());
                attachDeadLettersLog(out);
                break;
            default:
                throw new IllegalStateException("no sink for metrics.sink=" + config.getMetricsSink());
        }
        switch (config.getAlertSink()) {
            case LOG:
                out.alerts
                        .sinkTo(new JsonLogSink<>(ALERTS_LOGGER, AlertJson::toJson))
                        .name("alerts to log")
                        .uid("log-alerts");
                break;
            case FILE:
                attachAlertsFile(out, Path.of(config.getAlertsFilePath()));
                break;
            case NONE:
                break;
            case SNS:
                attachSns(out, config.getSns(), new LoggingDeadLetterHandler());
                break;
            default:
                throw new IllegalStateException("no sink for alerts.sink=" + config.getAlertSink());
        }
    }

    /**
     * @param out the topology's outputs
     * @param url JDBC URL, already through {@link JdbcOutputs#effectiveUrl}; the tables exist
     */
    public static void attachJdbc(FlightControllerTopology.Outputs out, String url) {
        JdbcOutputs.attach(
                url, out.measurements, out.alerts, out.aggregates, out.errorBudgets, out.openCases, out.deadLetters);
    }

    /**
     * @param out the topology's outputs
     * @param file JSON Lines file of alerts (one writer)
     */
    public static void attachAlertsFile(FlightControllerTopology.Outputs out, Path file) {
        out.alerts
                .sinkTo(new JsonLinesFileSink<>(file, AlertJson::toJson))
                .name("alerts file")
                .uid("file-alerts")
                .setParallelism(1);
    }

    /**
     * @param out the topology's outputs
     * @param file JSON Lines file of dead letters (one writer)
     */
    public static void attachDeadLettersFile(FlightControllerTopology.Outputs out, Path file) {
        out.deadLetters
                .sinkTo(new JsonLinesFileSink<>(file))
                .name("dead-letter file")
                .uid("file-dead-letters")
                .setParallelism(1);
    }

    /**
     * @param out the topology's outputs
     * @param sns validated SNS options
     * @param deadLetters where alerts SNS gives up on go
     */
    public static void attachSns(
            FlightControllerTopology.Outputs out, SnsSinkOptions sns, DeadLetterHandler deadLetters) {
        out.alerts
                .sinkTo(SnsAlertSink.builder()
                        .setOptions(sns)
                        .setDeadLetterHandler(deadLetters)
                        .build())
                .name("alerts to SNS")
                .uid("sns-alerts");
    }

    private static void attachDeadLettersLog(FlightControllerTopology.Outputs out) {
        out.deadLetters
                .sinkTo(new JsonLogSink<>(DEAD_LETTERS_LOGGER))
                .name("dead letters to log")
                .uid("log-dead-letters");
    }

    private static void attachTimestream(
            FlightControllerTopology.Outputs out, MeasuresConfig measures, TimestreamSinkOptions c) {
        MetricPointStreams.all(
                        out.measurements,
                        out.aggregates,
                        out.errorBudgets,
                        out.alerts,
                        out.openCases,
                        out.deadLetters,
                        measures,
                        "timestream")
                .sinkTo(timestreamSink(c))
                .name("metrics to Timestream")
                .uid("timestream-metrics");
    }

    private static void attachInflux(
            FlightControllerTopology.Outputs out, MeasuresConfig measures, InfluxSinkOptions c) {
        MetricPointStreams.all(
                        out.measurements,
                        out.aggregates,
                        out.errorBudgets,
                        out.alerts,
                        out.openCases,
                        out.deadLetters,
                        measures,
                        "influxdb")
                .sinkTo(influxSink(c))
                .name("metrics to InfluxDB")
                .uid("influxdb-metrics");
    }

    /**
     * @param c validated Timestream options
     * @return the Timestream sink; rejected records go to the job log ({@link LoggingDeadLetterHandler})
     */
    static TimestreamSink timestreamSink(TimestreamSinkOptions c) {
        return TimestreamSink.builder()
                .setOptions(c)
                .setDeadLetterHandler(new LoggingDeadLetterHandler())
                .build();
    }

    /**
     * @param c validated InfluxDB options; the token is read from Secrets Manager by each writer when it starts (or
     *     taken as given for {@code influxdb.token})
     * @return the InfluxDB sink; rejected lines go to the job log ({@link LoggingDeadLetterHandler})
     */
    static InfluxLineProtocolSink influxSink(InfluxSinkOptions c) {
        return InfluxLineProtocolSink.builder()
                .setOptions(c)
                .setDeadLetterHandler(new LoggingDeadLetterHandler())
                .build();
    }
}
