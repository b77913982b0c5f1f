package io.flightcontroller.pipeline;

import io.flightcontroller.adapters.parse.EventParser;
import io.flightcontroller.domain.event.ParsedRecord;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * An unbounded FLIP-27 source for mini-cluster tests whose partitions behave like Kinesis shards: one partition per
 * source subtask (subtask p reads partition p), each emitting the JSON lines of {@link Batches#batch} parsed with a
 * default {@link EventParser}, one batch per period; an empty batch is a silent period, and a partition can stay silent
 * while the job runs (the case idleness is for). Replaces the legacy {@code SourceFunction} of the idle-partition
 * tests, which Flink 2 removed; the same source runs on both Flink lines.
 *
 * <p>Shape: batch {@code n} of a partition is asked for {@code n * period} after its reader got the partition
 * (milliseconds, wall clock); the partitions hold no state, so a restore starts every partition at batch 0.
 */
final class PartitionedTestSource implements Source<ParsedRecord, PartitionedTestSource.Partition, Integer> {
    private static final long serialVersionUID = 1L;

    /** The lines of one partition's batches. */
    @FunctionalInterface
    interface Batches extends Serializable {
        /**
         * @param partition the partition, the index of the source subtask reading it
         * @param n the batch's number, from 0
         * @return the JSON lines of the batch; empty for a silent period
         */
        List<String> batch(int partition, long n);
    }

    private final Batches batches;
    private final long periodMs;

    /**
     * @param batches the lines per partition and batch
     * @param periodMs the time between two batches of a partition, milliseconds
     */
    PartitionedTestSource(Batches batches, long periodMs) {
        this.batches = batches;
        this.periodMs = periodMs;
    }

    @Override
    public Boundedness getBoundedness() {
        return Boundedness.CONTINUOUS_UNBOUNDED;
    }

    @Override
    public SourceReader<ParsedRecord, Partition> createReader(SourceReaderContext context) {
        return new Reader(batches, periodMs);
    }

    @Override
    public SplitEnumerator<Partition, Integer> createEnumerator(SplitEnumeratorContext<Partition> context) {
        return new Enumerator(context);
    }

    @Override
    public SplitEnumerator<Partition, Integer> restoreEnumerator(
            SplitEnumeratorContext<Partition> context, Integer checkpoint) {
        return new Enumerator(context);
    }

    @Override
    public SimpleVersionedSerializer<Partition> getSplitSerializer() {
        return new IntSerializer<>(Partition::new, p -> p.index);
    }

    @Override
    public SimpleVersionedSerializer<Integer> getEnumeratorCheckpointSerializer() {
        return new IntSerializer<>(i -> i, i -> i);
    }

    /** One partition: the split of the source subtask of the same index. */
    static final class Partition implements SourceSplit {
        final int index;

        Partition(int index) {
            this.index = index;
        }

        @Override
        public String splitId() {
            return "partition-" + index;
        }
    }

    /** Gives subtask p partition p when its reader registers. */
    private static final class Enumerator implements SplitEnumerator<Partition, Integer> {
        private final SplitEnumeratorContext<Partition> context;

        Enumerator(SplitEnumeratorContext<Partition> context) {
            this.context = context;
        }

        @Override
        public void start() {}

        @Override
        public void handleSplitRequest(int subtaskId, String requesterHostname) {}

        @Override
        public void addSplitsBack(List<Partition> splits, int subtaskId) {} // given again when the reader re-registers

        @Override
        public void addReader(int subtaskId) {
            context.assignSplit(new Partition(subtaskId), subtaskId);
        }

        @Override
        public Integer snapshotState(long checkpointId) {
            return 0;
        }

        @Override
        public void close() {}
    }

    /** Emits its partition's batches, one per period; between them it is unavailable, not busy. */
    private static final class Reader implements SourceReader<ParsedRecord, Partition> {
        private final Batches batches;
        private final long periodMs;
        private final EventParser parser = new EventParser();
        private Partition partition;
        private long next;
        private long dueMs;

        Reader(Batches batches, long periodMs) {
            this.batches = batches;
            this.periodMs = periodMs;
        }

        @Override
        public void start() {}

        @Override
        public InputStatus pollNext(ReaderOutput<ParsedRecord> output) {
            if (partition != null && System.currentTimeMillis() >= dueMs) {
                for (String line : batches.batch(partition.index, next++)) {
                    output.collect(parser.parse(line));
                }
                dueMs = System.currentTimeMillis() + periodMs;
            }
            return InputStatus.NOTHING_AVAILABLE;
        }

        @Override
        public CompletableFuture<Void> isAvailable() {
            long waitMs = partition == null ? periodMs : Math.max(0, dueMs - System.currentTimeMillis());
            return CompletableFuture.runAsync(
                    () -> {}, CompletableFuture.delayedExecutor(waitMs, TimeUnit.MILLISECONDS));
        }

        @Override
        public List<Partition> snapshotState(long checkpointId) {
            return Collections.emptyList(); // the enumerator hands the partition out again on a restart
        }

        @Override
        public void addSplits(List<Partition> splits) {
            if (!splits.isEmpty()) {
                partition = splits.get(0);
                dueMs = System.currentTimeMillis();
            }
        }

        @Override
        public void notifyNoMoreSplits() {}

        @Override
        public void close() {}
    }

    /** A value written as one int, version 1. */
    private static final class IntSerializer<T> implements SimpleVersionedSerializer<T> {
        private final java.util.function.IntFunction<T> read;
        private final java.util.function.ToIntFunction<T> write;

        IntSerializer(java.util.function.IntFunction<T> read, java.util.function.ToIntFunction<T> write) {
            this.read = read;
            this.write = write;
        }

        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(T value) {
            return ByteBuffer.allocate(4).putInt(write.applyAsInt(value)).array();
        }

        @Override
        public T deserialize(int version, byte[] bytes) {
            return read.apply(ByteBuffer.wrap(bytes).getInt());
        }
    }
}
