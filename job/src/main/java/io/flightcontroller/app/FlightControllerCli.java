package io.flightcontroller.app;

import io.flightcontroller.adapters.eventlog.ConversionStats;
import io.flightcontroller.adapters.eventlog.EventLogConverter;
import io.flightcontroller.adapters.eventlog.EventLogOptions;
import io.flightcontroller.adapters.parse.MeasuresYaml;
import io.flightcontroller.domain.InvalidMeasureException;
import io.flightcontroller.pipeline.PipelineOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The {@code flight-controller} command line: {@code convert} (event log to event JSON Lines), {@code run} (the
 * job on a local Flink mini-cluster), {@code report} ({@link ReportCommand}) and {@code dashboards}
 * ({@link DashboardsCommand}). Exit codes: 0 success, 1 run failure, 2 bad usage or invalid configuration.
 */
@Command(name = "flight-controller", mixinStandardHelpOptions = true, version = "flight-controller 0.1.0",
        description = "Lead-time measures and SLOs from process events, on Apache Flink.",
        subcommands = {FlightControllerCli.Convert.class, FlightControllerCli.Run.class, ReportCommand.class,
                DashboardsCommand.class})
public final class FlightControllerCli implements Callable<Integer> {

    /**
     * Entry point.
     *
     * @param args command line
     */
    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /**
     * Runs the command line without exiting (for tests).
     *
     * @param args command line
     * @return the exit code
     */
    public static int execute(String... args) {
        CommandLine cl = new CommandLine(new FlightControllerCli());
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof InvalidMeasureException || ex instanceof IllegalArgumentException) {
                cmd.getErr().println("error: " + ex.getMessage());
                return 2;
            }
            cmd.getErr().println("error: " + ex);
            ex.printStackTrace(cmd.getErr());
            return 1;
        });
        return cl.execute(args);
    }

    @Override
    public Integer call() {
        CommandLine.usage(this, System.out);
        return 2;
    }

    /** {@code convert}: a process-mining event log to the project's event JSON Lines. */
    @Command(name = "convert", mixinStandardHelpOptions = true,
            description = "Convert a process-mining event log (CSV or XES, plain or .gz) into event JSON Lines, "
                    + "merged across cases in event-time order (stable: ties keep file order).")
    static final class Convert implements Callable<Integer> {
        @Option(names = "--format", description = "csv or xes (default: from the file name)")
        String format;
        @Option(names = "--case", description = "case id column (default: ${DEFAULT-VALUE})", defaultValue = "case:concept:name")
        String caseColumn;
        @Option(names = "--activity", description = "activity column, becomes event_type (default: ${DEFAULT-VALUE})", defaultValue = "concept:name")
        String activityColumn;
        @Option(names = "--time", description = "timestamp column (default: ${DEFAULT-VALUE})", defaultValue = "time:timestamp")
        String timeColumn;
        @Option(names = "--delimiter", description = "CSV delimiter, one character (default: ${DEFAULT-VALUE})", defaultValue = ",")
        String delimiter;
        @Option(names = "--zone", description = "zone for timestamps written without an offset (default: ${DEFAULT-VALUE})", defaultValue = "UTC")
        String zone;
        @Option(names = "--time-format", description = "java.time pattern of the timestamps, e.g. 'yyyy/MM/dd HH:mm:ss.SSS' (default: ISO-8601 and common forms)")
        String timeFormat;
        @Option(names = {"-o", "--output"}, required = true, description = "output JSON Lines file")
        Path output;
        @Parameters(index = "0", description = "input event log")
        Path input;

        @Override
        public Integer call() throws Exception {
            String d = delimiter.equals("\\t") ? "\t" : delimiter;
            if (d.length() != 1) {
                throw new IllegalArgumentException("--delimiter must be one character, was '" + delimiter + "'");
            }
            EventLogOptions.Builder b = EventLogOptions.builder().caseColumn(caseColumn).activityColumn(activityColumn)
                    .timeColumn(timeColumn).delimiter(d.charAt(0)).zone(zone);
            if (format != null) {
                b.format(format);
            }
            if (timeFormat != null) {
                b.timeFormat(timeFormat);
            }
            ConversionStats st = EventLogConverter.convert(input, output, b.build());
            System.out.printf("converted %s: %d cases, %d events, %d rows skipped %s, event time %s .. %s -> %s%n",
                    input, st.cases(), st.eventsWritten(), st.rowsSkipped(), st.skippedByReason(),
                    st.firstEventTime(), st.lastEventTime(), output);
            return 0;
        }
    }

    /** {@code run}: the job on a local mini-cluster over JSON Lines input. */
    @Command(name = "run", mixinStandardHelpOptions = true,
            description = "Run Flight Controller on a local Flink mini-cluster over event JSON Lines files; results "
                    + "go to a JDBC database (SQLite by default), alerts and dead letters also to JSON Lines files.")
    static final class Run implements Callable<Integer> {
        @Option(names = "--measures", required = true, description = "measures YAML file")
        Path measures;
        @Option(names = "--input", required = true, split = ",", description = "event JSON Lines file(s), comma-separated")
        List<Path> inputs;
        @Option(names = "--out-dir", defaultValue = "flight-controller-out",
                description = "folder for the default database and files (default: ${DEFAULT-VALUE})")
        Path outDir;
        @Option(names = "--jdbc-url", description = "JDBC URL of the results database (default: jdbc:sqlite:<out-dir>/flight-controller.db); PostgreSQL works with the same SQL")
        String jdbcUrl;
        @Option(names = "--alerts", description = "alerts JSON Lines file (default: <out-dir>/alerts.jsonl)")
        Path alerts;
        @Option(names = "--dead-letters", description = "dead-letter JSON Lines file (default: <out-dir>/dead-letters.jsonl)")
        Path deadLetters;
        @Option(names = "--out-of-orderness", defaultValue = "PT5S", description = "bounded out-of-orderness, ISO-8601 (default: ${DEFAULT-VALUE})")
        Duration outOfOrderness;
        @Option(names = "--idle-timeout", defaultValue = "PT1M", description = "a silent input partition stops holding back the watermark after this, ISO-8601 (default: ${DEFAULT-VALUE})")
        Duration idleTimeout;
        @Option(names = "--dedup-retention", defaultValue = "PT1H", description = "event time a duplicate is recognised within, ISO-8601 (default: ${DEFAULT-VALUE})")
        Duration dedupRetention;
        @Option(names = "--case-retention", defaultValue = "P3650D", description = "event time a finished or timed-out case is kept for late corrections and to ignore a repeated start; a replay keeps them for the whole log, ISO-8601 (default: ${DEFAULT-VALUE})")
        Duration caseRetention;
        @Option(names = "--parallelism", defaultValue = "2", description = "parallelism of the keyed operators (default: ${DEFAULT-VALUE})")
        int parallelism;
        @Option(names = "--web-ui", description = "start Flink's web dashboard with the mini-cluster")
        boolean webUi;
        @Option(names = "--web-port", defaultValue = "8081", description = "web dashboard port (default: ${DEFAULT-VALUE})")
        int webPort;
        @Option(names = "--no-progress", description = "do not print progress lines")
        boolean noProgress;
        @Option(names = "--sns-topic-arn", description = "also publish alerts to this Amazon SNS topic (arn:aws:sns:REGION:ACCOUNT:TOPIC; .fifo for a FIFO topic)")
        String snsTopicArn;
        @Option(names = "--sns-region", description = "SNS region (default: the topic ARN's region)")
        String snsRegion;
        @Option(names = "--sns-endpoint", description = "SNS endpoint override, e.g. http://127.0.0.1:5000 for an emulator")
        String snsEndpoint;

        @Override
        public Integer call() throws Exception {
            for (Path p : inputs) {
                if (!Files.isReadable(p)) {
                    throw new IllegalArgumentException("--input " + p + " is not a readable file");
                }
            }
            LocalRun.Settings s = new LocalRun.Settings();
            s.measures = MeasuresYaml.read(measures);
            s.inputs = inputs;
            Files.createDirectories(outDir);
            s.jdbcUrl = jdbcUrl != null ? jdbcUrl
                    : "jdbc:sqlite:" + outDir.resolve("flight-controller.db").toAbsolutePath();
            s.alertsFile = alerts != null ? alerts : outDir.resolve("alerts.jsonl");
            s.deadLettersFile = deadLetters != null ? deadLetters : outDir.resolve("dead-letters.jsonl");
            s.pipeline = PipelineOptions.builder(s.measures).outOfOrderness(outOfOrderness).idleTimeout(idleTimeout)
                    .dedupRetention(dedupRetention).caseRetention(caseRetention);
            s.parallelism = parallelism;
            s.webUi = webUi;
            s.webPort = webPort;
            s.progress = !noProgress;
            if (snsTopicArn != null) {
                s.snsOptions = new java.util.LinkedHashMap<>();
                s.snsOptions.put(io.flightcontroller.config.RuntimePropertyKeys.SNS_TOPIC_ARN, snsTopicArn);
                if (snsRegion != null) {
                    s.snsOptions.put(io.flightcontroller.config.RuntimePropertyKeys.SNS_REGION, snsRegion);
                }
                if (snsEndpoint != null) {
                    s.snsOptions.put(io.flightcontroller.config.RuntimePropertyKeys.SNS_ENDPOINT, snsEndpoint);
                }
                s.snsDeadLettersFile = outDir.resolve("sns-dead-letters.jsonl");
            }
            if (webUi) {
                System.out.println("Flink web dashboard: http://localhost:" + webPort);
            }
            LocalRun.run(s, System.out);
            System.out.println();
            System.out.println("results database: " + s.jdbcUrl);
            System.out.println("alerts:           " + s.alertsFile.toAbsolutePath());
            System.out.println("dead letters:     " + s.deadLettersFile.toAbsolutePath());
            return 0;
        }
    }
}
