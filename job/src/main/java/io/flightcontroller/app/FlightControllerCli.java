package io.flightcontroller.app;

import io.flightcontroller.adapters.InvalidOptionException;
import io.flightcontroller.adapters.eventlog.ConversionStats;
import io.flightcontroller.adapters.eventlog.EventLogConverter;
import io.flightcontroller.adapters.eventlog.EventLogOptions;
import io.flightcontroller.adapters.sns.SnsSinkOptions;
import io.flightcontroller.pipeline.PipelineOptions;
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
 * job on a local Flink mini-cluster), {@code backtest} (SLO variants replayed side by side, {@link Backtest}),
 * {@code report} ({@link ReportCommand}) and {@code dashboards} ({@link DashboardsCommand}). Exit codes: 0 success,
 * 1 run failure, 2 bad usage or invalid configuration.
 */
@Command(
        name = "flight-controller",
        mixinStandardHelpOptions = true,
        version = "flight-controller 0.1.0",
        description = "Lead-time measures and SLOs from process events, on Apache Flink.",
        subcommands = {
            FlightControllerCli.Convert.class,
            FlightControllerCli.Run.class,
            FlightControllerCli.BacktestCommand.class,
            ReportCommand.class,
            DashboardsCommand.class
        })
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
        return commandLine().execute(args);
    }

    /** @return the command line with its error handling ({@link CliErrors}); tests set its output streams */
    static CommandLine commandLine() {
        return CliErrors.install(new CommandLine(new FlightControllerCli()).setCaseInsensitiveEnumValuesAllowed(true));
    }

    @Option(
            names = CliErrors.VERBOSE,
            scope = CommandLine.ScopeType.INHERIT,
            description = "print the stack trace with an error message")
    boolean verbose;

    @Override
    public Integer call() {
        CommandLine.usage(this, System.out);
        return 2;
    }

    /** {@code convert}: a process-mining event log to the project's event JSON Lines. */
    @Command(
            name = "convert",
            mixinStandardHelpOptions = true,
            description = "Convert a process-mining event log (CSV or XES, plain or .gz) into event JSON Lines, "
                    + "merged across cases in event-time order (stable: ties keep file order).")
    static final class Convert implements Callable<Integer> {
        @Option(names = "--format", description = "csv or xes (default: from the file name)")
        String format;

        @Option(
                names = "--case",
                description = "case id column (default: ${DEFAULT-VALUE})",
                defaultValue = "case:concept:name")
        String caseColumn;

        @Option(
                names = "--activity",
                description = "activity column, becomes event_type (default: ${DEFAULT-VALUE})",
                defaultValue = "concept:name")
        String activityColumn;

        @Option(
                names = "--time",
                description = "timestamp column (default: ${DEFAULT-VALUE})",
                defaultValue = "time:timestamp")
        String timeColumn;

        @Option(
                names = "--delimiter",
                description = "CSV delimiter, one character (default: ${DEFAULT-VALUE})",
                defaultValue = ",")
        String delimiter;

        @Option(
                names = "--zone",
                description = "zone for timestamps written without an offset (default: ${DEFAULT-VALUE})",
                defaultValue = "UTC")
        String zone;

        @Option(
                names = "--time-format",
                description =
                        "java.time pattern of the timestamps, e.g. 'yyyy/MM/dd HH:mm:ss.SSS' (default: ISO-8601 and common forms)")
        String timeFormat;

        @Option(
                names = {"-o", "--output"},
                required = true,
                description = "output JSON Lines file")
        Path output;

        @Parameters(index = "0", paramLabel = "INPUT", description = "input event log")
        Path input;

        @Override
        public Integer call() throws Exception {
            CliErrors.readableFile("INPUT", input);
            CliErrors.writableFile("-o", output);
            String d = delimiter.equals("\\t") ? "\t" : delimiter;
            if (d.length() != 1) {
                throw new IllegalArgumentException("--delimiter must be one character, was '" + delimiter + "'");
            }
            EventLogOptions.Builder b = EventLogOptions.builder()
                    .caseColumn(caseColumn)
                    .activityColumn(activityColumn)
                    .timeColumn(timeColumn)
                    .delimiter(d.charAt(0))
                    .zone(zone);
            if (format != null) {
                b.format(format);
            }
            if (timeFormat != null) {
                b.timeFormat(timeFormat);
            }
            ConversionStats st = EventLogConverter.convert(input, output, b.build());
            System.out.printf(
                    "converted %s: %d cases, %d events, %d rows skipped %s, event time %s .. %s -> %s%n",
                    input,
                    st.cases(),
                    st.eventsWritten(),
                    st.rowsSkipped(),
                    st.skippedByReason(),
                    st.firstEventTime(),
                    st.lastEventTime(),
                    output);
            return 0;
        }
    }

    /** {@code run}: the job on a local mini-cluster over JSON Lines input. */
    @Command(
            name = "run",
            mixinStandardHelpOptions = true,
            description = "Run Flight Controller on a local Flink mini-cluster over event JSON Lines files; results "
                    + "go to a JDBC database (SQLite by default), alerts and dead letters also to JSON Lines files.")
    static final class Run implements Callable<Integer> {
        @Option(names = "--measures", required = true, description = "measures YAML file")
        Path measures;

        @Option(
                names = "--input",
                required = true,
                split = ",",
                description = "event JSON Lines file(s), comma-separated")
        List<Path> inputs;

        @Option(
                names = "--out-dir",
                defaultValue = "flight-controller-out",
                description = "folder for the default database and files (default: ${DEFAULT-VALUE})")
        Path outDir;

        @Option(
                names = "--jdbc-url",
                description =
                        "JDBC URL of the results database (default: jdbc:sqlite:<out-dir>/flight-controller.db); PostgreSQL works with the same SQL")
        String jdbcUrl;

        @Option(names = "--alerts", description = "alerts JSON Lines file (default: <out-dir>/alerts.jsonl)")
        Path alerts;

        @Option(
                names = "--dead-letters",
                description = "dead-letter JSON Lines file (default: <out-dir>/dead-letters.jsonl)")
        Path deadLetters;

        @Option(
                names = "--out-of-orderness",
                defaultValue = "PT5S",
                description = "bounded out-of-orderness, ISO-8601 (default: ${DEFAULT-VALUE})")
        Duration outOfOrderness;

        @Option(
                names = "--idle-timeout",
                defaultValue = "PT1M",
                description =
                        "a silent input partition stops holding back the watermark after this, ISO-8601 (default: ${DEFAULT-VALUE})")
        Duration idleTimeout;

        @Option(
                names = "--dedup-retention",
                defaultValue = "PT1H",
                description = "event time a duplicate is recognised within, ISO-8601 (default: ${DEFAULT-VALUE})")
        Duration dedupRetention;

        @Option(
                names = "--case-retention",
                defaultValue = "P3650D",
                description =
                        "event time a finished or timed-out case is kept for late corrections and to ignore a repeated start; a replay keeps them for the whole log, ISO-8601 (default: ${DEFAULT-VALUE})")
        Duration caseRetention;

        @Option(
                names = "--parallelism",
                defaultValue = "2",
                description = "parallelism of the keyed operators (default: ${DEFAULT-VALUE})")
        int parallelism;

        @Option(names = "--web-ui", description = "start Flink's web dashboard with the mini-cluster")
        boolean webUi;

        @Option(
                names = "--web-port",
                defaultValue = "8081",
                description = "web dashboard port (default: ${DEFAULT-VALUE})")
        int webPort;

        @Option(names = "--no-progress", description = "do not print progress lines")
        boolean noProgress;

        @Option(
                names = "--arrival-order",
                description =
                        "treat the lines as arrivals, in file order: events behind the watermark are late (to study lateness); default: the file is replayed sorted by event time, so line order does not matter")
        boolean arrivalOrder;

        @Option(
                names = "--max-rate",
                paramLabel = "LINES_PER_SECOND",
                description =
                        "read at most this many lines per second on average (blank lines aside; a token bucket, so up to a second's worth at once after a pause): a paced replay, to watch dashboards and alerts fill as they would live; the results are the same at any rate (default: as fast as the job goes)")
        Double maxRate;

        @Option(
                names = "--max-future-skew",
                defaultValue = "PT15M",
                description =
                        "events more than this ahead of the wall clock are dead-lettered as future_time, ISO-8601 (default: ${DEFAULT-VALUE}, Timestream's own limit)")
        Duration maxFutureSkew;

        @Option(
                names = "--state-layout",
                defaultValue = "per_measure",
                description =
                        "how keyed state is laid out: ${COMPLETION-CANDIDATES}; per_correlation_id measures with less CPU per event, a run resumed from --out-dir's checkpoints keeps its layout (default: ${DEFAULT-VALUE})")
        io.flightcontroller.pipeline.PipelineOptions.StateLayout stateLayout;

        @Option(
                names = "--sns-topic-arn",
                description =
                        "also publish alerts to this Amazon SNS topic (arn:aws:sns:REGION:ACCOUNT:TOPIC; .fifo for a FIFO topic)")
        String snsTopicArn;

        @Option(names = "--sns-region", description = "SNS region (default: the topic ARN's region)")
        String snsRegion;

        @Option(
                names = "--sns-endpoint",
                description = "SNS endpoint override, e.g. http://127.0.0.1:5000 for an emulator")
        String snsEndpoint;

        @Option(
                names = "--checkpoint-dir",
                paramLabel = "DIR",
                description =
                        "take checkpoints into DIR; the same command run again after a crash resumes from the latest one, Ctrl-C or SIGTERM stops with a savepoint into DIR that the next run continues from (exit code 130 / 143); emptied after a complete run")
        Path checkpointDir;

        @Option(
                names = "--checkpoint-interval",
                description = "checkpoint interval with --checkpoint-dir, ISO-8601 (default: PT10S)")
        Duration checkpointInterval;

        @Override
        public Integer call() throws Exception {
            LocalRun.Settings s = new LocalRun.Settings();
            s.measures = CliErrors.measures("--measures", measures);
            s.measuresFile = measures;
            for (Path p : inputs) {
                CliErrors.readableFileOrFolder("--input", p);
            }
            s.inputs = inputs;
            CliErrors.writableFolder("--out-dir", outDir);
            s.jdbcUrl = jdbcUrl != null
                    ? jdbcUrl
                    : "jdbc:sqlite:" + outDir.resolve("flight-controller.db").toAbsolutePath();
            s.alertsFile = alerts != null ? alerts : outDir.resolve("alerts.jsonl");
            s.deadLettersFile = deadLetters != null ? deadLetters : outDir.resolve("dead-letters.jsonl");
            CliErrors.writableFile(alerts != null ? "--alerts" : "--out-dir", s.alertsFile);
            CliErrors.writableFile(deadLetters != null ? "--dead-letters" : "--out-dir", s.deadLettersFile);
            CliErrors.database(jdbcUrl != null ? "--jdbc-url" : "--out-dir", s.jdbcUrl);
            for (Path p : inputs) {
                // re-driving dead letters: the run empties its output files first, so they cannot be its input
                Path in = p.toAbsolutePath().normalize();
                if (in.equals(s.deadLettersFile.toAbsolutePath().normalize())
                        || in.equals(s.alertsFile.toAbsolutePath().normalize())) {
                    throw new UsageException(
                            "--input",
                            p + " is also this run's output, which a run empties first;"
                                    + " copy it elsewhere or use another --out-dir");
                }
            }
            s.pipeline = PipelineOptions.builder(s.measures)
                    .outOfOrderness(outOfOrderness)
                    .idleTimeout(idleTimeout)
                    .dedupRetention(dedupRetention)
                    .caseRetention(caseRetention)
                    .maxFutureSkew(maxFutureSkew)
                    .stateLayout(stateLayout);
            s.arrivalOrder = arrivalOrder;
            if (maxRate != null) {
                if (!(maxRate > 0) || maxRate.isInfinite()) {
                    throw new UsageException(
                            "--max-rate", maxRate + ": must be a finite number of lines per second, more than 0");
                }
                s.maxLinesPerSecond = maxRate;
            }
            s.workDir = outDir;
            s.parallelism = parallelism;
            s.webUi = webUi;
            s.webPort = webPort;
            s.progress = !noProgress;
            if (snsTopicArn != null) {
                java.util.Map<String, String> sns = new java.util.LinkedHashMap<>();
                sns.put(SnsSinkOptions.TOPIC_ARN.key(), snsTopicArn);
                if (snsRegion != null) {
                    sns.put(SnsSinkOptions.REGION.key(), snsRegion);
                }
                if (snsEndpoint != null) {
                    sns.put(SnsSinkOptions.ENDPOINT.key(), snsEndpoint);
                }
                try {
                    s.snsOptions =
                            SnsSinkOptions.fromConfiguration(org.apache.flink.configuration.Configuration.fromMap(sns));
                } catch (InvalidOptionException e) {
                    // the flag is the key with dashes: sns.topic.arn -> --sns-topic-arn
                    throw new UsageException("--" + e.getKey().replace('.', '-'), e.getProblem());
                }
                s.snsDeadLettersFile = outDir.resolve("sns-dead-letters.jsonl");
            }
            if (checkpointInterval != null && checkpointDir == null) {
                throw new UsageException("--checkpoint-interval", checkpointInterval + ": needs --checkpoint-dir");
            }
            if (checkpointDir != null) {
                s.checkpointDir = CliErrors.writableFolder("--checkpoint-dir", checkpointDir);
                if (checkpointInterval != null) {
                    if (checkpointInterval.toMillis() < 10) {
                        throw new UsageException(
                                "--checkpoint-interval",
                                checkpointInterval + ": must be at least 10 ms (Flink's smallest interval)");
                    }
                    s.checkpointInterval = checkpointInterval;
                }
            }
            if (webUi) {
                System.out.println("Flink web dashboard: http://localhost:" + webPort);
            }
            LocalRun.Result r = LocalRun.run(s, System.out);
            if (r.stoppedBy != null) {
                return r.stopExitCode;
            }
            System.out.println();
            System.out.println("results database: " + s.jdbcUrl);
            System.out.println("alerts:           " + s.alertsFile.toAbsolutePath());
            System.out.println("dead letters:     " + s.deadLettersFile.toAbsolutePath());
            return 0;
        }
    }

    /** {@code backtest}: SLO variants of the measures replayed side by side in one pass ({@link Backtest}). */
    @Command(
            name = "backtest",
            mixinStandardHelpOptions = true,
            description = "Replay event JSON Lines once with candidate SLOs of a measure beside it, and print per "
                    + "measure and variant the cases, compliance, alerts and error budget each would have given; "
                    + "the same rows go to a CSV file.")
    static final class BacktestCommand implements Callable<Integer> {
        @Option(names = "--measures", required = true, description = "measures YAML file")
        Path measures;

        @Option(
                names = "--input",
                required = true,
                split = ",",
                description = "event JSON Lines file(s), comma-separated")
        List<Path> inputs;

        @Option(
                names = "--set",
                paramLabel = "MEASURE.FIELD=V1,V2,...",
                description = "candidate values of a "
                        + "measure's slo.threshold, slo.objective, slo.window or timeout, e.g. m.slo.threshold=PT1H,PT2H,PT4H; "
                        + "repeat for more fields: every combination is a variant")
        List<String> sets = new java.util.ArrayList<>();

        @Option(
                names = {"-o", "--output"},
                description = "CSV file of the table (default: <out-dir>/backtest.csv)")
        Path output;

        @Option(
                names = "--out-dir",
                defaultValue = "flight-controller-out",
                description = "folder for the default database and CSV (default: ${DEFAULT-VALUE})")
        Path outDir;

        @Option(
                names = "--jdbc-url",
                description =
                        "JDBC URL of the results database, emptied first (default: jdbc:sqlite:<out-dir>/backtest.db)")
        String jdbcUrl;

        @Option(
                names = "--parallelism",
                defaultValue = "2",
                description = "parallelism of the keyed operators (default: ${DEFAULT-VALUE})")
        int parallelism;

        @Option(names = "--no-progress", description = "do not print progress lines")
        boolean noProgress;

        @Override
        public Integer call() throws Exception {
            Backtest.Plan plan = Backtest.plan(CliErrors.measures("--measures", measures), sets);
            for (Path p : inputs) {
                CliErrors.readableFileOrFolder("--input", p);
            }
            CliErrors.writableFolder("--out-dir", outDir);
            Path csv = output != null ? output : outDir.resolve("backtest.csv");
            CliErrors.writableFile(output != null ? "-o" : "--out-dir", csv);
            LocalRun.Settings s = new LocalRun.Settings();
            s.measures = plan.replay;
            s.inputs = inputs;
            s.jdbcUrl = jdbcUrl != null
                    ? jdbcUrl
                    : "jdbc:sqlite:" + outDir.resolve("backtest.db").toAbsolutePath();
            CliErrors.database(jdbcUrl != null ? "--jdbc-url" : "--out-dir", s.jdbcUrl);
            // the defaults of run, so a variant's figures are those of run with the variant's values
            s.pipeline = PipelineOptions.builder(plan.replay).caseRetention(Duration.ofDays(3650));
            s.workDir = outDir;
            s.parallelism = parallelism;
            s.progress = !noProgress;
            Backtest.run(plan, s, csv, System.out);
            System.out.println("results database: " + s.jdbcUrl);
            return 0;
        }
    }
}
