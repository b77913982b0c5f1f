package io.flightcontroller.app;

import io.flightcontroller.adapters.JsonLinesDeadLetterHandler;
import io.flightcontroller.adapters.file.EventTimeSorter;
import io.flightcontroller.adapters.file.JsonLinesFileSink;
import io.flightcontroller.adapters.jdbc.JdbcOutputs;
import io.flightcontroller.adapters.jdbc.JdbcTables;
import io.flightcontroller.domain.event.EventTimes;
import io.flightcontroller.domain.event.ParsedRecord;
import io.flightcontroller.domain.measure.MeasuresConfig;
import io.flightcontroller.pipeline.FlightControllerTopology;
import io.flightcontroller.pipeline.PipelineCounters;
import io.flightcontroller.pipeline.PipelineOptions;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * A bounded local run on a Flink mini-cluster: JSON Lines files in, results into a JDBC database (SQLite by default),
 * alerts and dead letters also into JSON Lines files, progress on the terminal and a summary at the end.
 */
public final class LocalRun {
    private LocalRun() {}

    /** What to run. */
    public static final class Settings {
        public MeasuresConfig measures;
        public List<Path> inputs = new ArrayList<>();
        public String jdbcUrl;
        public Path alertsFile;
        public Path deadLettersFile;
        /**
         * Event-time settings; the inputs are replayed sorted by event time ({@link EventTimeSorter}) unless
         * {@link #arrivalOrder}.
         */
        public PipelineOptions.Builder pipeline;
        /** Replay the lines in file order as arrivals (lateness by the out-of-orderness) instead of sorted. */
        public boolean arrivalOrder;
        /** Where a sorted copy of the input goes when one is needed (default: the system temp folder). */
        public Path workDir;

        public int parallelism = 2;
        public boolean webUi;
        public int webPort = 8081;
        public boolean progress = true;
        /**
         * Validated SNS options ({@code SnsSinkOptions.fromConfiguration}; the CLI's {@code --sns-*} flags) to also
         * publish alerts to an SNS topic, or null.
         */
        public io.flightcontroller.adapters.sns.SnsSinkOptions snsOptions;
        /** Where alerts SNS gives up on after its retries go (JSON Lines); required with {@link #snsOptions}. */
        public Path snsDeadLettersFile;
        /** Optional hook that attaches more sinks to the outputs. */
        public java.util.function.Consumer<FlightControllerTopology.Outputs> extraSinks;
        /**
         * Optional hook that wraps the input files' record format (tests: a reader slowed down on purpose, to show
         * that the results do not depend on the read speed); null reads the files as they are.
         */
        public java.util.function.UnaryOperator<StreamFormat<ParsedRecord>> inputFormat;
        /**
         * Read at most this many lines (blank ones aside) per second ({@code --max-rate}), or 0 for as fast as the
         * job goes. Not recorded for a resume: the results do not depend on it.
         */
        public double maxLinesPerSecond;
        /** The measures file {@link #measures} was read from (its hash is recorded for a resume), or null. */
        public Path measuresFile;
        /**
         * Folder for checkpoints, savepoints and what a resume needs ({@code --checkpoint-dir}, see
         * {@link LocalCheckpoints}), or null for a run without checkpoints.
         */
        public Path checkpointDir;
        /** Checkpoint interval with {@link #checkpointDir}. */
        public java.time.Duration checkpointInterval = java.time.Duration.ofSeconds(10);
        /**
         * Flink options added to the run's mini-cluster configuration, or null. Tests choose the state backend here
         * ({@code state.backend.type: rocksdb}, the backend Managed Flink uses; {@code flink-statebackend-rocksdb} is
         * a test dependency, not in the jar) and its managed memory; the run's own settings (no generic types,
         * checkpoints) are applied after them.
         */
        public Configuration flinkOptions;
    }

    /** What the run produced. */
    public static final class Result {
        public JobExecutionResult job;
        /** How the input was ordered before the replay, or null in arrival order. */
        public EventTimeSorter.Result sort;

        public List<RunSummary.MeasureLine> lines = Collections.emptyList();
        /** The snapshot the run resumed from ({@code checkpoint PATH (id)}), or null. */
        public String resumedFrom;
        /** The signal that stopped the run ({@code INT}, {@code TERM}), or null when it ran to the end. */
        public String stoppedBy;
        /** The savepoint a stopped run took, or null. */
        public Path savepoint;
        /** Exit code of a run stopped by a signal (130 for SIGINT, 143 for SIGTERM). */
        public int stopExitCode;

        /**
         * @param name a counter name ({@link PipelineCounters})
         * @return its value, 0 when never incremented
         */
        public long counter(String name) {
            Object v = job.getAllAccumulatorResults().get(name);
            return v == null ? 0 : ((Number) v).longValue();
        }
    }

    /**
     * Runs the job to the end of its input.
     *
     * @param s settings
     * @param console where progress and the summary go (null for silence)
     * @return the job result and the per-measure summary
     * @throws Exception when the job cannot start or fails
     */
    public static Result run(Settings s, PrintStream console) throws Exception {
        PipelineOptions options = s.pipeline.sortedInput(!s.arrivalOrder).build();
        LocalCheckpoints checkpoints = s.checkpointDir == null
                ? null
                : LocalCheckpoints.open(s.checkpointDir, s.checkpointInterval, s, options, console);
        try {
            return run(s, options, checkpoints, console);
        } finally {
            if (checkpoints != null) {
                checkpoints.close();
            }
        }
    }

    private static Result run(Settings s, PipelineOptions options, LocalCheckpoints checkpoints, PrintStream console)
            throws Exception {
        boolean resume = checkpoints != null && checkpoints.resumeFrom() != null;
        String jdbcUrl = JdbcOutputs.effectiveUrl(s.jdbcUrl);
        JdbcTables.createIfMissing(jdbcUrl);
        if (!resume) {
            // a run's tables are a function of its input alone: the run replaces what an earlier run left there
            JdbcTables.clearAll(jdbcUrl);
            if (s.alertsFile != null) {
                JsonLinesFileSink.truncate(s.alertsFile);
            }
            if (s.deadLettersFile != null) {
                JsonLinesFileSink.truncate(s.deadLettersFile);
            }
        }
        // resumed: the tables keep their rows (upserts rewrite the replayed ones); the file sinks rewind themselves
        for (Path f : new Path[] {s.alertsFile, s.deadLettersFile}) {
            if (f != null) {
                JsonLinesFileSink.forgetRewind(f);
            }
        }

        Configuration conf = new Configuration();
        if (s.flinkOptions != null) {
            conf.addAll(s.flinkOptions);
        }
        // no Kryo anywhere: every record type and every state has an explicit serializer, and a type that would fall
        // back to Kryo fails the run at start instead of slipping into a checkpoint
        conf.set(org.apache.flink.configuration.PipelineOptions.GENERIC_TYPES, false);
        if (checkpoints != null) {
            checkpoints.configure(conf);
        }
        StreamExecutionEnvironment env;
        if (s.webUi) {
            conf.set(RestOptions.PORT, s.webPort);
            env = StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(conf);
            env.setParallelism(s.parallelism);
        } else {
            env = StreamExecutionEnvironment.createLocalEnvironment(s.parallelism, conf);
        }

        List<Path> inputs = s.inputs;
        EventTimeSorter.Result sorted = null;
        if (resume) {
            // the checkpoint's position in the input refers to what the interrupted run read: its sorted copy
            inputs = checkpoints.inputsToRead();
            if (console != null) {
                console.println("resuming from " + checkpoints.resumeFrom() + ", reading " + inputs.get(0)
                        + (inputs.size() > 1 ? " and " + (inputs.size() - 1) + " more" : ""));
            }
        } else if (options.isSortedInput()) {
            Path work = checkpoints != null
                    ? checkpoints.dir()
                    : s.workDir != null ? s.workDir : Path.of(System.getProperty("java.io.tmpdir"));
            sorted = new EventTimeSorter().sort(s.inputs, work);
            inputs = sorted.paths();
            if (console != null) {
                console.println(sorted);
            }
        }
        if (s.maxLinesPerSecond > 0 && console != null) {
            console.printf(java.util.Locale.ROOT, "paced: at most %,.0f lines per second%n", s.maxLinesPerSecond);
        }
        if (checkpoints != null && !resume) {
            checkpoints.started(s, options, sorted);
        }
        List<org.apache.flink.core.fs.Path> paths = new ArrayList<>();
        for (Path p : inputs) {
            paths.add(new org.apache.flink.core.fs.Path(p.toAbsolutePath().toUri()));
        }
        FlightControllerTopology.Outputs out = FlightControllerTopology.build(
                JobWiring.fileInput(env, paths, options, s.inputFormat, s.maxLinesPerSecond), options);
        JobWiring.attachJdbc(out, jdbcUrl);
        if (s.alertsFile != null) {
            JobWiring.attachAlertsFile(out, s.alertsFile);
        }
        if (s.deadLettersFile != null) {
            JobWiring.attachDeadLettersFile(out, s.deadLettersFile);
        }
        if (s.snsOptions != null) {
            JobWiring.attachSns(out, s.snsOptions, new JsonLinesDeadLetterHandler(s.snsDeadLettersFile.toString()));
        }
        if (s.extraSinks != null) {
            s.extraSinks.accept(out);
        }

        JobClient client = env.executeAsync("flight-controller");
        if (checkpoints != null) {
            checkpoints.stopOnSignals(client, console);
        }
        Thread progress = null;
        if (console != null && s.progress) {
            progress = new Thread(() -> report(client, console), "progress");
            progress.setDaemon(true);
            progress.start();
        }
        Result r = new Result();
        r.sort = sorted;
        r.resumedFrom = resume ? checkpoints.resumeFrom().toString() : null;
        try {
            r.job = client.getJobExecutionResult().get();
        } catch (Exception e) {
            if (checkpoints != null && checkpoints.stopSignal() == null && console != null) {
                LocalCheckpoints.Snapshot latest = checkpoints.latest();
                console.println(
                        latest == null
                                ? "no checkpoint was completed: the next run starts over"
                                : "the next run of the same command resumes from " + latest);
            }
            if (checkpoints == null || checkpoints.stopSignal() == null) {
                throw e;
            }
        } finally {
            if (progress != null) {
                progress.interrupt();
            }
            if (checkpoints != null) {
                checkpoints.restoreSignals();
            }
            if (checkpoints == null && sorted != null && sorted.sorted()) {
                java.nio.file.Files.deleteIfExists(sorted.paths().get(0)); // the sorted copy, never an input
            }
        }
        if (checkpoints != null && checkpoints.stopSignal() != null) {
            r.savepoint = checkpoints.savepoint();
            if (r.savepoint != null || r.job == null) {
                // stopped: with a savepoint, or cancelled after the savepoint failed (the checkpoint stays)
                r.stoppedBy = checkpoints.stopSignal();
                r.stopExitCode = checkpoints.stopExitCode();
                LocalCheckpoints.Snapshot latest = checkpoints.latest();
                if (console != null) {
                    console.println(
                            r.savepoint != null
                                    ? "stopped with a savepoint in " + r.savepoint
                                            + ": run the same command again to continue"
                                    : latest != null
                                            ? "stopped without a savepoint: run the same command again to continue"
                                                    + " from " + latest
                                            : "stopped before the first checkpoint: the next run starts over");
                }
                return r;
            }
            // the input ended before the savepoint could be taken: the run is complete
        }
        if (checkpoints != null) {
            checkpoints.finished(); // the next run starts afresh
        }
        r.lines = RunSummary.read(jdbcUrl, options.getMeasures());
        if (console != null) {
            RunSummary.print(console, r.lines, r.job.getAllAccumulatorResults());
            RunSummary.printEventTime(console, r.job.getAllAccumulatorResults(), options);
            if (resume) {
                checkpoints.printResumeNotes(console, s.alertsFile, s.deadLettersFile);
            }
        }
        return r;
    }

    private static void report(JobClient client, PrintStream console) {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                TimeUnit.SECONDS.sleep(2);
                Map<String, Object> acc = client.getAccumulators().get(5, TimeUnit.SECONDS);
                Object t = acc.get(PipelineCounters.MAX_EVENT_TIME);
                console.printf(
                        "progress: %s records read, event time %s, %s matched, %s timed out%n",
                        acc.getOrDefault(PipelineCounters.RECORDS_IN, 0),
                        t instanceof Number && ((Number) t).longValue() != Long.MIN_VALUE
                                ? EventTimes.iso(((Number) t).longValue())
                                : "-",
                        acc.getOrDefault(PipelineCounters.MATCHED, 0),
                        acc.getOrDefault(PipelineCounters.TIMED_OUT, 0));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // the job finished or the cluster is shutting down: stop reporting
        }
    }
}
