package io.flightcontroller.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flightcontroller.adapters.file.EventTimeSorter;
import io.flightcontroller.adapters.file.JsonLinesFileSink;
import io.flightcontroller.pipeline.PipelineOptions;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.checkpoint.Checkpoints;

/**
 * Checkpoints, savepoints and resume of a local run ({@code run --checkpoint-dir DIR}): one folder holds everything an
 * interrupted run needs to continue, so running the same command again resumes it.
 *
 * <p>Shape of DIR: {@code checkpoints/<job id>/chk-<n>/} (Flink's layout, taken every {@code --checkpoint-interval},
 * retained when the job is cancelled or the process dies), {@code savepoints/savepoint-<job>-<random>/} (taken on
 * SIGINT / SIGTERM), {@code run.properties} (the run's inputs, their sizes and modification times, the measures
 * file's SHA-256 and every option that changes results), {@code events-by-time-*.jsonl} (the sorted copy of the
 * input the source's position refers to) and {@code run.lock} (held while a run uses the folder). A snapshot is
 * complete when its folder has a {@code _metadata} file that Flink can read; the newest is the one with the highest
 * checkpoint id (a resumed job continues the ids of the snapshot it was restored from, savepoints included).
 *
 * <p>Flink settings (see {@link #configure}): aligned exactly-once checkpoints every interval on the file-system
 * storage, two retained, kept on cancellation; no restarts inside the process (a failure ends the run and the next
 * run resumes); the snapshot to resume from restored in {@code CLAIM} mode (the new job owns it and deletes it when
 * superseded); and no checkpoints once a task has finished. The last is on purpose: a task restored as finished
 * (Flink 1.20 takes such checkpoints by default) forwards the final watermark ({@code Long.MAX_VALUE}) without
 * running its operators, so the end-of-input cap would be skipped and every open case would time out. Without them
 * a run interrupted after its source finished resumes from the last checkpoint taken while it was reading and reads
 * the rest again.
 */
final class LocalCheckpoints {
    static final String CHECKPOINTS = "checkpoints";
    static final String SAVEPOINTS = "savepoints";
    static final String RUN_PROPERTIES = "run.properties";
    static final String LOCK = "run.lock";
    private static final String METADATA = "_metadata";
    private static final String SORTED_COPY = "sorted.copy";
    private static final String MEASURES_SHA = "--measures.sha256";

    private final Path dir;
    private final Duration interval;
    private final Snapshot resumeFrom;
    private final Properties record;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final AtomicReference<String> stopSignal = new AtomicReference<>();
    private volatile CompletableFuture<String> savepoint;
    private final List<Object> previousHandlers = new ArrayList<>();

    private LocalCheckpoints(
            Path dir,
            Duration interval,
            Snapshot resumeFrom,
            Properties record,
            FileChannel lockChannel,
            FileLock lock) {
        this.dir = dir;
        this.interval = interval;
        this.resumeFrom = resumeFrom;
        this.record = record;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /** A complete checkpoint or savepoint. */
    static final class Snapshot {
        final Path path;
        final boolean savepoint;
        final long checkpointId;

        Snapshot(Path path, boolean savepoint, long checkpointId) {
            this.path = path;
            this.savepoint = savepoint;
            this.checkpointId = checkpointId;
        }

        /** @return e.g. {@code checkpoint DIR/checkpoints/<job>/chk-7 (7)} */
        @Override
        public String toString() {
            return (savepoint ? "savepoint " : "checkpoint ") + path + " (" + checkpointId + ")";
        }
    }

    /**
     * Takes the folder for one run: locks it, finds the newest complete snapshot and, when there is one, checks that
     * this run is the one that was interrupted; otherwise clears what an earlier run left.
     *
     * @param dir the checkpoint folder (created when missing)
     * @param interval checkpoint interval
     * @param s the run's settings
     * @param options the run's pipeline options
     * @param console where notes go, or null
     * @return the folder, resuming or fresh
     * @throws UsageException when another run uses the folder, or this run's inputs or options differ from the
     *     interrupted run's (naming the option)
     * @throws IOException when the folder cannot be read or written
     */
    static LocalCheckpoints open(
            Path dir, Duration interval, LocalRun.Settings s, PipelineOptions options, PrintStream console)
            throws IOException {
        dir = dir.toAbsolutePath().normalize();
        Files.createDirectories(dir);
        FileChannel ch = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (java.nio.channels.OverlappingFileLockException e) {
            lock = null; // held by this JVM
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        if (lock == null) {
            ch.close();
            throw new UsageException("--checkpoint-dir", dir + ": another run is using this folder");
        }
        try {
            Snapshot latest = latest(dir);
            Path recordFile = dir.resolve(RUN_PROPERTIES);
            if (latest != null && !Files.exists(recordFile)) {
                throw new UsageException(
                        "--checkpoint-dir",
                        dir + ": holds " + latest + " but no " + RUN_PROPERTIES
                                + ", so not the run it belongs to; give an empty folder or delete this one");
            }
            if (latest == null) {
                if (!Files.exists(recordFile)
                        && (!empty(dir.resolve(CHECKPOINTS)) || !empty(dir.resolve(SAVEPOINTS)))) {
                    // not written by a run (a run records itself before its first checkpoint): not ours to delete
                    throw new UsageException(
                            "--checkpoint-dir",
                            dir + ": has " + CHECKPOINTS + "/ or " + SAVEPOINTS + "/ that no " + RUN_PROPERTIES
                                    + " describes; give an empty folder or delete them");
                }
                clear(dir); // what a run that never completed a checkpoint left
                return new LocalCheckpoints(dir, interval, null, null, ch, lock);
            }
            Properties recorded = new Properties();
            try (InputStream in = Files.newInputStream(recordFile)) {
                recorded.load(in);
            }
            Map<String, String> now = describe(s, options);
            for (Map.Entry<String, String> e : now.entrySet()) {
                String was = recorded.getProperty(e.getKey());
                if (was == null && e.getKey().equals(STATE_LAYOUT)) {
                    // recorded before the option existed: the layout of that time
                    was = PipelineOptions.StateLayout.PER_MEASURE.name().toLowerCase(Locale.ROOT);
                }
                if (!e.getValue().equals(was)) {
                    throw new UsageException(
                            e.getKey(),
                            e.getValue() + ": differs from the interrupted run's "
                                    + (was == null || was.isEmpty() ? "(none)" : was) + " (" + recordFile
                                    + "); run the same"
                                    + " command to resume it, or delete " + dir + " to start over");
                }
            }
            String sorted = recorded.getProperty(SORTED_COPY, "");
            if (!sorted.isEmpty() && !Files.isRegularFile(dir.resolve(sorted))) {
                throw new UsageException(
                        "--checkpoint-dir",
                        dir + ": the sorted copy of the input " + sorted
                                + " the interrupted run reads is missing; delete " + dir + " to start over");
            }
            for (int i = 0; recorded.containsKey("input." + i); i++) {
                Path p = Path.of(recorded.getProperty("input." + i));
                String was = recorded.getProperty("input." + i + ".file", "");
                if (!fileStamp(p).equals(was)) {
                    throw new UsageException(
                            "--input",
                            p + ": changed since the interrupted run (" + was + ", now "
                                    + fileStamp(p)
                                    + "): the checkpoint holds a position in the old content; restore the"
                                    + " file, or delete " + dir + " to start over");
                }
            }
            if (console != null && !recorded.getProperty(MEASURES_SHA, "").equals(sha256(s.measuresFile))) {
                console.println("note: the measures file changed since the interrupted run; the changed measures"
                        + " apply from the resume on (README, Operations: what may change between versions)");
            }
            return new LocalCheckpoints(dir, interval, latest, recorded, ch, lock);
        } catch (IOException | RuntimeException e) {
            lock.release();
            ch.close();
            throw e;
        }
    }

    /** @return the snapshot this run resumes from, or null when it starts afresh */
    Snapshot resumeFrom() {
        return resumeFrom;
    }

    /** @return the files the resumed run reads (the sorted copy of the interrupted run, or the inputs) */
    List<Path> inputsToRead() {
        String sorted = record.getProperty(SORTED_COPY, "");
        if (!sorted.isEmpty()) {
            return List.of(dir.resolve(sorted));
        }
        List<Path> in = new ArrayList<>();
        for (int i = 0; record.containsKey("input." + i); i++) {
            in.add(Path.of(record.getProperty("input." + i)));
        }
        return in;
    }

    /** @return the folder for the sorted copy of the input */
    Path dir() {
        return dir;
    }

    /**
     * Records a fresh run: its inputs, the sorted copy it reads and its options.
     *
     * @param s settings
     * @param options pipeline options
     * @param sorted what the sorter did, or null in arrival order
     * @throws IOException when the record cannot be written
     */
    void started(LocalRun.Settings s, PipelineOptions options, EventTimeSorter.Result sorted) throws IOException {
        Properties p = new Properties();
        p.putAll(describe(s, options));
        p.setProperty(MEASURES_SHA, sha256(s.measuresFile));
        for (int i = 0; i < s.inputs.size(); i++) {
            Path in = s.inputs.get(i).toAbsolutePath().normalize();
            p.setProperty("input." + i, in.toString());
            p.setProperty("input." + i + ".file", fileStamp(in));
        }
        p.setProperty(
                SORTED_COPY,
                sorted != null && sorted.sorted()
                        ? dir.relativize(sorted.paths().get(0).toAbsolutePath()).toString()
                        : "");
        Path tmp = dir.resolve(RUN_PROPERTIES + ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            p.store(out, "flight-controller run: what a resume must match (written at start)");
        }
        Files.move(
                tmp,
                dir.resolve(RUN_PROPERTIES),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Sets the Flink options of a run with checkpoints (see class doc).
     *
     * @param conf the mini-cluster's configuration
     */
    void configure(Configuration conf) {
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, interval);
        conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        conf.set(
                CheckpointingOptions.CHECKPOINTS_DIRECTORY,
                dir.resolve(CHECKPOINTS).toUri().toString());
        conf.set(
                CheckpointingOptions.SAVEPOINT_DIRECTORY,
                dir.resolve(SAVEPOINTS).toUri().toString());
        // two: when the newest cannot be read (a power loss while it was written), the one before it is used
        conf.set(CheckpointingOptions.MAX_RETAINED_CHECKPOINTS, 2);
        conf.set(
                CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        conf.set(CheckpointingOptions.ENABLE_CHECKPOINTS_AFTER_TASKS_FINISH, false);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        // a resume maps state to operators by uid: an operator without one fails the run at start
        conf.set(org.apache.flink.configuration.PipelineOptions.AUTO_GENERATE_UIDS, false);
        if (resumeFrom != null) {
            conf.set(
                    StateRecoveryOptions.SAVEPOINT_PATH, resumeFrom.path.toUri().toString());
            // by key: the option's type is RestoreMode on Flink 1.20 and RecoveryClaimMode on Flink 2 (both have CLAIM)
            conf.set(
                    ConfigOptions.key(StateRecoveryOptions.RESTORE_MODE.key())
                            .stringType()
                            .noDefaultValue(),
                    "CLAIM");
        }
    }

    /**
     * Stops the job with a savepoint on SIGINT (Ctrl-C) or SIGTERM; a second signal ends the process at once (the
     * next run then resumes from the latest checkpoint). Uses the JVM's signal handlers rather than a shutdown hook
     * so that nothing (Flink's own shutdown hooks included) starts shutting down while the savepoint is taken.
     *
     * @param client the running job
     * @param console where the one line about stopping goes, or null
     */
    @SuppressWarnings("restriction")
    void stopOnSignals(JobClient client, PrintStream console) {
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                sun.misc.Signal sig = new sun.misc.Signal(name);
                previousHandlers.add(
                        sun.misc.Signal.handle(sig, s -> onSignal(s.getName(), s.getNumber(), client, console)));
                previousHandlers.add(sig);
            } catch (IllegalArgumentException e) {
                // the signal is reserved (e.g. java -Xrs): the process dies as before; the next run resumes from
                // the latest checkpoint
            }
        }
    }

    private void onSignal(String name, int number, JobClient client, PrintStream console) {
        if (!stopSignal.compareAndSet(null, name)) {
            if (console != null) {
                console.println("stopped at once, without a savepoint: the next run of the same command resumes from"
                        + " the latest checkpoint in " + dir);
                console.flush();
            }
            Runtime.getRuntime().halt(128 + number);
        }
        if (console != null) {
            console.println("SIG" + name + ": stopping with a savepoint into " + dir.resolve(SAVEPOINTS)
                    + " (again to stop at once)");
        }
        savepoint = client.stopWithSavepoint(
                false, dir.resolve(SAVEPOINTS).toUri().toString(), SavepointFormatType.CANONICAL);
        savepoint.whenComplete((path, error) -> {
            if (error != null) {
                // e.g. the input is read to the end (no checkpoints then): cancel, the checkpoint stays
                client.cancel();
            }
        });
    }

    /** Puts back the signal handlers that were there before {@link #stopOnSignals}. */
    @SuppressWarnings("restriction")
    void restoreSignals() {
        for (int i = 0; i + 1 < previousHandlers.size(); i += 2) {
            sun.misc.Signal.handle(
                    (sun.misc.Signal) previousHandlers.get(i + 1), (sun.misc.SignalHandler) previousHandlers.get(i));
        }
        previousHandlers.clear();
    }

    /** @return the name of the signal that stopped the run ({@code INT}, {@code TERM}), or null */
    String stopSignal() {
        return stopSignal.get();
    }

    /**
     * @return the exit code of a run stopped by a signal: 128 + the signal's number (130 for SIGINT, 143 for SIGTERM)
     */
    int stopExitCode() {
        return "INT".equals(stopSignal.get()) ? 130 : 143;
    }

    /**
     * @return the savepoint the stop took (a {@code file:} URI turned into a path), or null when it failed or none
     *     was asked for
     */
    Path savepoint() {
        CompletableFuture<String> f = savepoint;
        if (f == null) {
            return null;
        }
        try {
            String p = f.get();
            return p.startsWith("file:") ? Path.of(java.net.URI.create(p)) : Path.of(p);
        } catch (Exception e) {
            return null;
        }
    }

    /** @return the newest complete snapshot now in the folder, or null */
    Snapshot latest() throws IOException {
        return latest(dir);
    }

    /**
     * After a successful run: deletes the snapshots, the record and the sorted copy, so the next run starts afresh.
     *
     * @throws IOException when they cannot be deleted
     */
    void finished() throws IOException {
        clear(dir);
    }

    /** Releases the folder's lock. */
    void close() throws IOException {
        try {
            lock.release();
        } finally {
            lockChannel.close();
        }
    }

    /**
     * Prints what a resume did to the files: what the restore cut from the alerts and dead-letter files, and how
     * many alert ids are in the alerts file more than once.
     *
     * @param console where to print
     * @param alertsFile the alerts file, or null
     * @param deadLettersFile the dead-letter file, or null
     * @throws IOException when the alerts file cannot be read
     */
    void printResumeNotes(PrintStream console, Path alertsFile, Path deadLettersFile) throws IOException {
        console.println();
        console.println("Resumed from " + resumeFrom);
        console.println("  counters:         this process only (since the resume); the per-measure summary and the"
                + " tables cover the whole input");
        if (alertsFile != null) {
            long cut = JsonLinesFileSink.rewind(alertsFile)
                    .map(JsonLinesFileSink.Rewind::lines)
                    .orElse(0L);
            long[] ids = alertIds(alertsFile);
            console.println(String.format(
                    Locale.ROOT,
                    "  alerts file:      %,d alerts, %,d alert ids in it twice; the"
                            + " %,d lines the interrupted run had written after the checkpoint were cut and written again",
                    ids[0],
                    ids[1],
                    cut));
            console.println(String.format(
                    Locale.ROOT,
                    "  %,d alerts delivered twice after the resume (at-least-once;"
                            + " de-duplicate by alert_id): the lines cut, which a reader of the file may have seen; an SNS"
                            + " topic also gets again what it got after the checkpoint",
                    cut));
        }
        if (deadLettersFile != null) {
            long cut = JsonLinesFileSink.rewind(deadLettersFile)
                    .map(JsonLinesFileSink.Rewind::lines)
                    .orElse(0L);
            console.println(String.format(
                    Locale.ROOT,
                    "  dead-letter file: %d lines the interrupted run wrote after"
                            + " the checkpoint were cut and written again",
                    cut));
        }
    }

    /**
     * Counts the alerts in an alerts file and the alert ids in it more than once (each extra copy counted).
     *
     * @param alertsFile JSON Lines written by the alerts file sink
     * @return {alerts, extra copies}
     * @throws IOException when it cannot be read
     */
    static long[] alertIds(Path alertsFile) throws IOException {
        if (!Files.exists(alertsFile)) {
            return new long[2];
        }
        ObjectMapper json = new ObjectMapper();
        Map<String, Integer> seen = new HashMap<>();
        long lines = 0;
        long twice = 0;
        try (Stream<String> in = Files.lines(alertsFile)) {
            for (String line : (Iterable<String>) in::iterator) {
                if (line.isBlank()) {
                    continue;
                }
                lines++;
                JsonNode id = json.readTree(line).get("alert_id");
                if (id != null && seen.merge(id.asText(), 1, Integer::sum) > 1) {
                    twice++;
                }
            }
        }
        return new long[] {lines, twice};
    }

    /** The options a resume must repeat, by option name. */
    /** The option of the state layout: a checkpoint restores only into the layout that wrote it. */
    private static final String STATE_LAYOUT = "--state-layout";

    private static Map<String, String> describe(LocalRun.Settings s, PipelineOptions o) {
        Map<String, String> m = new TreeMap<>();
        m.put(
                "--input",
                s.inputs.stream()
                        .map(p -> p.toAbsolutePath().normalize().toString())
                        .collect(Collectors.joining(",")));
        m.put("--jdbc-url", String.valueOf(s.jdbcUrl));
        m.put(
                "--alerts",
                s.alertsFile == null
                        ? ""
                        : s.alertsFile.toAbsolutePath().normalize().toString());
        m.put(
                "--dead-letters",
                s.deadLettersFile == null
                        ? ""
                        : s.deadLettersFile.toAbsolutePath().normalize().toString());
        m.put("--arrival-order", String.valueOf(s.arrivalOrder));
        m.put("--out-of-orderness", String.valueOf(o.getOutOfOrderness()));
        m.put("--dedup-retention", String.valueOf(o.getDedupRetention()));
        m.put("--case-retention", String.valueOf(o.getCaseRetention()));
        m.put("--max-future-skew", String.valueOf(o.getMaxFutureSkew()));
        m.put(STATE_LAYOUT, o.getStateLayout().name().toLowerCase(Locale.ROOT));
        return m;
    }

    private static String fileStamp(Path p) throws IOException {
        if (!Files.exists(p)) {
            return "missing";
        }
        return Files.size(p) + " bytes, modified "
                + Instant.ofEpochMilli(Files.getLastModifiedTime(p).toMillis());
    }

    private static String sha256(Path file) throws IOException {
        if (file == null) {
            return "";
        }
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            byte[] h = d.digest(Files.readAllBytes(file));
            StringBuilder sb = new StringBuilder();
            for (byte b : h) {
                sb.append(String.format(Locale.ROOT, "%02x", b));
            }
            return sb.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return the newest complete, readable snapshot in the folder, or null */
    static Snapshot latest(Path dir) throws IOException {
        List<Snapshot> all = new ArrayList<>();
        Path checkpoints = dir.resolve(CHECKPOINTS);
        if (Files.isDirectory(checkpoints)) {
            try (DirectoryStream<Path> jobs = Files.newDirectoryStream(checkpoints, Files::isDirectory)) {
                for (Path job : jobs) {
                    try (DirectoryStream<Path> chk = Files.newDirectoryStream(job, "chk-*")) {
                        for (Path c : chk) {
                            add(all, c, false);
                        }
                    }
                }
            }
        }
        Path savepoints = dir.resolve(SAVEPOINTS);
        if (Files.isDirectory(savepoints)) {
            try (DirectoryStream<Path> sp = Files.newDirectoryStream(savepoints, "savepoint-*")) {
                for (Path c : sp) {
                    add(all, c, true);
                }
            }
        }
        return all.stream()
                .max(Comparator.comparingLong((Snapshot x) -> x.checkpointId).thenComparing(x -> x.savepoint))
                .orElse(null);
    }

    private static void add(List<Snapshot> all, Path folder, boolean savepoint) {
        Path meta = folder.resolve(METADATA);
        if (!Files.isRegularFile(meta)) {
            return; // in progress when the process died
        }
        try (DataInputStream in = new DataInputStream(Files.newInputStream(meta))) {
            long id = Checkpoints.loadCheckpointMetadata(in, LocalCheckpoints.class.getClassLoader(), folder.toString())
                    .getCheckpointId();
            all.add(new Snapshot(folder, savepoint, id));
        } catch (IOException | RuntimeException e) {
            // unreadable (cut short by a power loss): an older one is used
        }
    }

    /** Deletes what runs put in the folder (not the lock, not anything else). */
    private static void clear(Path dir) throws IOException {
        deleteTree(dir.resolve(CHECKPOINTS));
        deleteTree(dir.resolve(SAVEPOINTS));
        Files.deleteIfExists(dir.resolve(RUN_PROPERTIES));
        try (DirectoryStream<Path> sorted = Files.newDirectoryStream(dir, "events-by-time-*.jsonl")) {
            for (Path p : sorted) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static boolean empty(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return true;
        }
        try (Stream<Path> in = Files.list(folder)) {
            return in.findAny().isEmpty();
        }
    }

    /**
     * Deletes a folder with Flink's own {@code FileUtils.deleteDirectory}, which tolerates files that vanish while it
     * walks: after the job ends, Flink's checkpoint cleaner may still be discarding a subsumed {@code chk-N} (seen in
     * CI as a {@code NoSuchFileException} from {@code Files.walk}).
     */
    private static void deleteTree(Path root) throws IOException {
        org.apache.flink.util.FileUtils.deleteDirectory(root.toFile());
    }
}
