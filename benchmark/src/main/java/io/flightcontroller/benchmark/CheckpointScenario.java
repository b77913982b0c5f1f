package io.flightcontroller.benchmark;

import io.flightcontroller.benchmark.FlightControllerScenario.Backend;
import io.flightcontroller.domain.event.ParsedRecord;
import io.flightcontroller.domain.measure.MeasuresConfig;
import io.flightcontroller.pipeline.FlightControllerTopology;
import io.flightcontroller.pipeline.PipelineOptions;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.contrib.streaming.state.RocksDBOptions;
import org.apache.flink.contrib.streaming.state.RocksDBOptionsFactory;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;

/**
 * Snapshot size per case on disk, heap and RocksDB: the state scheme of {@link StateScenario} (a job at p=1 whose
 * source emits N cases, a marker case, then holds the job open), and once the marker's measurement reached the sink, a
 * savepoint of the job to a folder under the work directory; its size on disk minus the same for an empty job, / N.
 *
 * <p>Shape: per backend, per size, three states as in {@link StateScenario} (open cases: only starts; finished cases
 * within retention; finished cases after retention, the watermark moved 2 days on), each with two savepoints of the
 * same state: canonical format (the key-groups written entry by entry: what a full checkpoint writes, Flink's default
 * for both backends, {@code state.backend.incremental} false) and native format (the heap backend's is the same full
 * snapshot; RocksDB's is its SST files after a flush: what an incremental checkpoint uploads the first time, tombstones
 * of deleted entries included until compaction removes them). Bytes per case in the value column. The backend is
 * configured as the RocksDB throughput rows do ({@code state.backend.type}, managed memory), checkpoint storage
 * {@code filesystem}, snapshot compression off (Flink's default); state under Flink's 20 KiB inline threshold is
 * inside {@code _metadata}, which is counted. On RocksDB one more state, finished cases after retention and a
 * compaction (native format only): the same run with {@link CompactEveryFlush}, so that the first native savepoint's
 * flush starts a compaction of level 0 into level 1, the bottom level here, which drops the deletes with the entries
 * they delete; measured on the next native savepoints once their size stops falling (benchmark only: Flink's
 * default waits for 4 level-0 files, and a running job drops these deletes when compactions bring them to the bottom
 * level).
 */
final class CheckpointScenario {
    private final MeasuresConfig measures;
    private final MemorySize rocksdbManagedMemory;
    private final Path workDir;
    private PipelineOptions.StateLayout stateLayout = PipelineOptions.StateLayout.PER_MEASURE;

    /**
     * @param measures the measures the job runs
     * @param rocksdbManagedMib managed memory of the mini-cluster in RocksDB runs, MiB; null = Flink's local default
     * @param workDir where the savepoints go (each is deleted after it was measured)
     */
    CheckpointScenario(MeasuresConfig measures, Integer rocksdbManagedMib, Path workDir) {
        this.measures = measures;
        this.rocksdbManagedMemory = rocksdbManagedMib == null ? null : MemorySize.ofMebiBytes(rocksdbManagedMib);
        this.workDir = workDir;
    }

    /**
     * @param layout the job's {@code state.layout}
     * @return this
     */
    CheckpointScenario stateLayout(PipelineOptions.StateLayout layout) {
        this.stateLayout = layout;
        return this;
    }

    /** The sizes on disk of the two savepoints of one state. */
    static final class Sizes {
        final long canonical;
        final long nativeFormat;
        /** RocksDB, the compaction run: SST bytes of the first native savepoint and of the one measured; else -1. */
        final long sstBefore;

        final long sstAfter;

        Sizes(long canonical, long nativeFormat, long sstBefore, long sstAfter) {
            this.canonical = canonical;
            this.nativeFormat = nativeFormat;
            this.sstBefore = sstBefore;
            this.sstAfter = sstAfter;
        }
    }

    /**
     * @param backends the state backends
     * @param sizes case counts
     * @return per backend, per size: open, finished within retention, finished after retention; each canonical then
     *     native
     * @throws Exception when a job or a savepoint fails, or the marker never arrives
     */
    List<Row> rows(List<Backend> backends, List<Long> sizes) throws Exception {
        List<Row> rows = new ArrayList<>();
        for (Backend b : backends) {
            Sizes base = holding(b, 0, 1.0, 0);
            for (long n : sizes) {
                add(rows, b, "OPEN case", n, base, holding(b, n, 1.0, 0), "only starts");
                add(
                        rows,
                        b,
                        "FINISHED case, within retention",
                        n,
                        base,
                        holding(b, n, 0.0, 0),
                        "3 events/case, all matched; dedup kept 1 h and case kept 1 day of event time");
                add(
                        rows,
                        b,
                        "FINISHED case, after retention",
                        n,
                        base,
                        holding(b, n, 0.0, RETENTION_PASSED_MS),
                        "same, then the watermark moved 2 days on");
                if (b == Backend.ROCKSDB) {
                    long compactedBase = holding(b, 0, 1.0, 0, true).nativeFormat;
                    Sizes compacted = holding(b, n, 0.0, RETENTION_PASSED_MS, true);
                    Row r = row(
                            b,
                            "native (= SST files, incremental)",
                            "FINISHED case, after retention and a compaction",
                            n,
                            compacted.nativeFormat - compactedBase,
                            compacted.nativeFormat,
                            "same, then the level-0 files compacted into level 1 (benchmark only:"
                                    + " level0_file_num_compaction_trigger 1, level 0 uncompressed, see"
                                    + " CheckpointScenario)");
                    r.notes += String.format(
                            Locale.ROOT,
                            "; SST files %,d B (%.1f B/case), %,d B before the compaction; the rest is manifests,"
                                    + " options files and _metadata",
                            compacted.sstAfter,
                            (double) compacted.sstAfter / n,
                            compacted.sstBefore);
                    rows.add(r);
                }
            }
        }
        return rows;
    }

    /** How far the watermark moves after the finished cases: past their 1 day of retention. */
    private static final long RETENTION_PASSED_MS = 2L * 24 * 3_600_000;

    /**
     * RocksDB options of the compaction row, benchmark only: a compaction of level 0 as soon as it holds one file
     * (RocksDB's default waits for 4), so that the flush of a native savepoint is followed by a compaction into level 1,
     * and level 0 compressed otherwise than the levels below (uncompressed when they use Flink's default Snappy), so
     * that this compaction rewrites the file (RocksDB moves a lone level-0 file down as it is when the compression
     * matches, deletes included). Set as {@code state.backend.rocksdb.options-factory}; Flink's other options are kept.
     */
    public static final class CompactEveryFlush implements RocksDBOptionsFactory {
        private static final long serialVersionUID = 1L;

        @Override
        public DBOptions createDBOptions(DBOptions currentOptions, Collection<AutoCloseable> handlesToClose) {
            return currentOptions;
        }

        @Override
        public ColumnFamilyOptions createColumnOptions(
                ColumnFamilyOptions currentOptions, Collection<AutoCloseable> handlesToClose) {
            // level 0 compressed unlike level 1: RocksDB then rewrites a level-0 file into level 1 (dropping the
            // deletes there, the bottom level) instead of moving it down as it is (a trivial move keeps them)
            List<CompressionType> configured = currentOptions.compressionPerLevel();
            CompressionType below = configured.isEmpty()
                    ? currentOptions.compressionType()
                    : configured.get(Math.min(1, configured.size() - 1));
            List<CompressionType> levels = new ArrayList<>();
            for (int i = 0; i < currentOptions.numLevels(); i++) {
                levels.add(
                        i > 0
                                ? below
                                : below == CompressionType.NO_COMPRESSION
                                        ? CompressionType.SNAPPY_COMPRESSION
                                        : CompressionType.NO_COMPRESSION);
            }
            return currentOptions.setLevel0FileNumCompactionTrigger(1).setCompressionPerLevel(levels);
        }
    }

    private void add(List<Row> rows, Backend b, String what, long n, Sizes base, Sizes s, String note) {
        rows.add(row(b, "canonical (= full checkpoint)", what, n, s.canonical - base.canonical, s.canonical, note));
        rows.add(row(
                b,
                b == Backend.HEAP ? "native" : "native (= SST files, incremental)",
                what,
                n,
                s.nativeFormat - base.nativeFormat,
                s.nativeFormat,
                note));
    }

    /**
     * Runs the holding job on {@code backend}, waits for the marker, takes both savepoints and measures them.
     *
     * @return the two savepoints' sizes on disk, bytes
     */
    Sizes holding(Backend backend, long n, double neverCompletes, long advanceMs) throws Exception {
        return holding(backend, n, neverCompletes, advanceMs, false);
    }

    /**
     * As {@link #holding(Backend, long, double, long)}; with {@code compact} (RocksDB) the job runs with
     * {@link CompactEveryFlush} and the native size is that of the last of further native savepoints, taken a second
     * apart until one is no smaller than the one before (at most 10): the compaction the first one's flush started
     * has then finished.
     */
    Sizes holding(Backend backend, long n, double neverCompletes, long advanceMs, boolean compact) throws Exception {
        BenchSources.HoldingSource.RELEASE = new CountDownLatch(1);
        BenchSources.MarkerSink.LATCH = new CountDownLatch(1);
        PipelineOptions options =
                PipelineOptions.builder(measures).stateLayout(stateLayout).build();
        Path dir = Files.createTempDirectory(workDir, "snapshots-");
        Configuration conf = new Configuration();
        conf.set(StateBackendOptions.STATE_BACKEND, backend.type);
        if (backend != Backend.HEAP && rocksdbManagedMemory != null) {
            conf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, rocksdbManagedMemory);
        }
        if (compact) {
            if (backend != Backend.ROCKSDB) {
                throw new IllegalArgumentException("snapshot after a compaction: RocksDB only, not " + backend.type);
            }
            conf.set(RocksDBOptions.OPTIONS_FACTORY, CompactEveryFlush.class.getName());
        }
        conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        conf.set(
                CheckpointingOptions.CHECKPOINTS_DIRECTORY,
                dir.resolve("checkpoints").toUri().toString());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1, conf);
        DataStream<ParsedRecord> input = env.addSource(
                        new BenchSources.HoldingSource(n, neverCompletes, advanceMs), "holding")
                .setParallelism(1)
                .assignTimestampsAndWatermarks(FlightControllerTopology.watermarkStrategy(options));
        FlightControllerTopology.Outputs out = FlightControllerTopology.build(input, options);
        out.measurements.sinkTo(new BenchSources.MarkerSink<>("key=marker")).name("marker");
        out.alerts.sinkTo(new BenchSources.DiscardingSink<>());
        out.deadLetters.sinkTo(new BenchSources.DiscardingSink<>());
        out.aggregates.sinkTo(new BenchSources.DiscardingSink<>());
        out.errorBudgets.sinkTo(new BenchSources.DiscardingSink<>());
        out.openCases.sinkTo(new BenchSources.DiscardingSink<>());
        JobClient client = env.executeAsync("checkpoint " + backend.type + " " + n);
        try {
            if (!BenchSources.MarkerSink.LATCH.await(15, TimeUnit.MINUTES)) {
                throw new IllegalStateException(
                        "checkpoint " + backend.type + ", " + n + " cases: the marker never arrived");
            }
            Thread.sleep(1000);
            long canonical = savepointBytes(client, dir.resolve("canonical"), SavepointFormatType.CANONICAL);
            Path first = savepoint(client, dir.resolve("native"), SavepointFormatType.NATIVE);
            long nativeFormat = bytesOnDisk(first);
            long sstBefore = compact ? sstBytes(first) : -1;
            long sstAfter = sstBefore;
            for (int i = 1; compact && i <= 10; i++) {
                Thread.sleep(1000);
                Path again = savepoint(client, dir.resolve("native-" + i), SavepointFormatType.NATIVE);
                long bytes = bytesOnDisk(again);
                boolean settled = bytes >= nativeFormat;
                if (bytes < nativeFormat) {
                    nativeFormat = bytes;
                    sstAfter = sstBytes(again);
                }
                if (settled) {
                    break;
                }
            }
            System.out.printf(
                    Locale.ROOT,
                    "  snapshot %s%s, %d cases: canonical %,d B, native %,d B%n",
                    backend.type,
                    compact ? " (compacted)" : "",
                    n,
                    canonical,
                    nativeFormat);
            return new Sizes(canonical, nativeFormat, sstBefore, sstAfter);
        } finally {
            BenchSources.HoldingSource.RELEASE.countDown();
            client.getJobExecutionResult().get();
            deleteTree(dir);
        }
    }

    private static long savepointBytes(JobClient client, Path target, SavepointFormatType format) throws Exception {
        return bytesOnDisk(savepoint(client, target, format));
    }

    /**
     * Takes a savepoint; while some task of the job is still starting (the marker can reach its sink before every task
     * runs, as seen on a loaded machine), Flink refuses it: tried again a second later, up to a minute.
     */
    private static Path savepoint(JobClient client, Path target, SavepointFormatType format) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                String where = client.triggerSavepoint(target.toUri().toString(), format)
                        .get(15, TimeUnit.MINUTES);
                return Path.of(URI.create(where.startsWith("file:") ? where : "file:" + where));
            } catch (java.util.concurrent.ExecutionException e) {
                String why = String.valueOf(e.getMessage());
                if (attempt >= 60 || !why.contains("Not all required tasks are currently running")) {
                    throw e;
                }
                Thread.sleep(1000);
            }
        }
    }

    /** Footer magic number of RocksDB's block-based table files (its last 8 bytes, little-endian). */
    private static final long SST_MAGIC = 0x88e241b785f4cff7L;

    /**
     * @param dir a RocksDB native savepoint
     * @return the sum of the sizes of its SST files (the files that end with the block-based table's magic number;
     *     not the manifests, options files or {@code _metadata}, nor SST files small enough to be inlined in it)
     * @throws IOException when it cannot be read
     */
    static long sstBytes(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            long sum = 0;
            for (Path p : (Iterable<Path>) files::iterator) {
                if (!Files.isRegularFile(p) || Files.size(p) < 8) {
                    continue;
                }
                try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(p)) {
                    java.nio.ByteBuffer tail = java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
                    ch.read(tail, ch.size() - 8);
                    if (tail.getLong(0) == SST_MAGIC) {
                        sum += ch.size();
                    }
                }
            }
            return sum;
        }
    }

    /**
     * @param dir a folder
     * @return the sum of the sizes of the regular files under it
     * @throws IOException when it cannot be walked
     */
    static long bytesOnDisk(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            long sum = 0;
            for (Path p : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(p)) {
                    sum += Files.size(p);
                }
            }
            return sum;
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

    private Row row(Backend b, String format, String what, long n, long bytes, long total, String note) {
        Row r = new Row();
        r.scenario = "snapshot per " + what + ", " + b.type + " " + format;
        r.parallelism = "1";
        r.input = n + " cases";
        r.events = n;
        r.wallS = Double.NaN;
        r.eventsPerS = (double) bytes / n;
        r.notes = "bytes/case on disk (value column); " + note + "; savepoint " + total + " B minus an empty job's"
                + (stateLayout == PipelineOptions.StateLayout.PER_MEASURE ? "" : "; state per correlation id");
        System.out.printf(Locale.ROOT, "  %s, %d cases: %.0f bytes/case%n", r.scenario, n, (double) bytes / n);
        return r;
    }
}
