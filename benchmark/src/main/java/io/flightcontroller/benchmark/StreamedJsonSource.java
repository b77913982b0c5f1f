package io.flightcontroller.benchmark;

import io.flightcontroller.adapters.parse.EventParser;
import io.flightcontroller.domain.event.ParsedRecord;
import io.flightcontroller.serialization.DomainSerializers;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.connector.source.lib.util.IteratorSourceReader;
import org.apache.flink.api.connector.source.lib.util.IteratorSourceSplit;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * A bounded FLIP-27 source of the workload's JSON lines generated in this process, no file: each line is asked from
 * {@link WorkloadGenerator} when the reader wants the next record and parsed by the job's {@link EventParser} as
 * {@code JsonLinesFormat} parses a file's line, so a run at 10,000,000 cases keeps no gigabyte file and its memory is
 * bounded by the generator's in-flight window.
 *
 * <p>Shape: one split per shard; shard {@code i} of {@code n} yields the lines of the cases with case number mod
 * {@code n} = {@code i}, in the generator's order, exactly the lines of {@link Shards#byCase}'s file {@code i} (n = 1:
 * exactly the lines {@link WorkloadGenerator#writeJsonLines} writes). Run the source at parallelism {@code n}: one
 * reader per shard, like one {@code FileSource} reader per shard file. Every split runs the whole workload's random
 * draws (the lines of other shards are dropped before their text is built), so at {@code n} readers the generator's
 * draws are made {@code n} times. A line becomes a record as in {@code JsonLinesFormat}: its UTF-8 bytes, skipped when
 * blank, else {@code EventParser.parse(bytes, 0, length, System.currentTimeMillis())}. A split restored from a
 * checkpoint starts over (the benchmark's streamed runs take no checkpoints). Reader {@code i} gets shard {@code i}
 * and no other (a reader that finished its shard early must not take another's, as a file reader never does).
 */
final class StreamedJsonSource
        implements Source<ParsedRecord, StreamedJsonSource.Split, Collection<StreamedJsonSource.Split>>,
                ResultTypeQueryable<ParsedRecord> {
    private static final long serialVersionUID = 1L;

    private final long cases;
    private final long seed;
    private final int shards;
    private final EventParser parser;

    /**
     * @param cases cases of the workload
     * @param seed workload seed
     * @param shards splits (source readers), at least 1
     * @param parser the record parser (as given to {@code JsonLinesFormat})
     */
    StreamedJsonSource(long cases, long seed, int shards, EventParser parser) {
        if (shards < 1) {
            throw new IllegalArgumentException("streamed source: shards must be at least 1, was " + shards);
        }
        this.cases = cases;
        this.seed = seed;
        this.shards = shards;
        this.parser = parser;
    }

    /** @return the splits, one per shard */
    List<Split> splits() {
        List<Split> out = new ArrayList<>();
        for (int i = 0; i < shards; i++) {
            out.add(new Split(cases, seed, i, shards, parser));
        }
        return out;
    }

    /**
     * @param parser the record parser
     * @param line one JSON line
     * @return the record {@code JsonLinesFormat} makes of it, or null for a blank line (skipped)
     */
    static ParsedRecord parse(EventParser parser, String line) {
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        for (byte x : b) {
            if (x < 0 || x > ' ') {
                return parser.parse(b, 0, b.length, System.currentTimeMillis());
            }
        }
        return null;
    }

    @Override
    public Boundedness getBoundedness() {
        return Boundedness.BOUNDED;
    }

    @Override
    public SourceReader<ParsedRecord, Split> createReader(SourceReaderContext context) {
        return new IteratorSourceReader<>(context);
    }

    @Override
    public SplitEnumerator<Split, Collection<Split>> createEnumerator(SplitEnumeratorContext<Split> context) {
        return new ShardEnumerator(context, splits());
    }

    @Override
    public SplitEnumerator<Split, Collection<Split>> restoreEnumerator(
            SplitEnumeratorContext<Split> context, Collection<Split> checkpoint) {
        return new ShardEnumerator(context, checkpoint);
    }

    @Override
    public SimpleVersionedSerializer<Split> getSplitSerializer() {
        return new SplitSerializer(parser);
    }

    @Override
    public SimpleVersionedSerializer<Collection<Split>> getEnumeratorCheckpointSerializer() {
        SplitSerializer one = new SplitSerializer(parser);
        return new SimpleVersionedSerializer<>() {
            @Override
            public int getVersion() {
                return 1;
            }

            @Override
            public byte[] serialize(Collection<Split> splits) throws IOException {
                ByteArrayOutputStream b = new ByteArrayOutputStream();
                try (DataOutputStream out = new DataOutputStream(b)) {
                    out.writeInt(splits.size());
                    for (Split s : splits) {
                        byte[] x = one.serialize(s);
                        out.writeInt(x.length);
                        out.write(x);
                    }
                }
                return b.toByteArray();
            }

            @Override
            public Collection<Split> deserialize(int version, byte[] serialized) throws IOException {
                List<Split> out = new ArrayList<>();
                try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
                    int n = in.readInt();
                    for (int i = 0; i < n; i++) {
                        byte[] x = new byte[in.readInt()];
                        in.readFully(x);
                        out.add(one.deserialize(version, x));
                    }
                }
                return out;
            }
        };
    }

    @Override
    public TypeInformation<ParsedRecord> getProducedType() {
        return DomainSerializers.PARSED_RECORD;
    }

    /** One shard of the workload. */
    static final class Split implements IteratorSourceSplit<ParsedRecord, Records> {
        final long cases;
        final long seed;
        final int shard;
        final int shards;
        private final EventParser parser;

        Split(long cases, long seed, int shard, int shards, EventParser parser) {
            this.cases = cases;
            this.seed = seed;
            this.shard = shard;
            this.shards = shards;
            this.parser = parser;
        }

        @Override
        public String splitId() {
            return shard + "of" + shards;
        }

        @Override
        public Records getIterator() {
            return new Records(new Lines(cases, seed, shard, shards), parser);
        }

        @Override
        public IteratorSourceSplit<ParsedRecord, Records> getUpdatedSplitForIterator(Records iterator) {
            return this; // starts over when restored (see the class comment)
        }
    }

    /** The JSON lines of one shard, generated on demand. */
    static final class Lines implements Iterator<String> {
        private final WorkloadGenerator generator;
        private final int shard;
        private final int shards;
        private WorkloadGenerator.Line next;

        /**
         * @param cases cases of the workload
         * @param seed workload seed
         * @param shard this shard
         * @param shards number of shards
         */
        Lines(long cases, long seed, int shard, int shards) {
            this.generator = new WorkloadGenerator(
                    new WorkloadGenerator.Settings().cases(cases).seed(seed), false);
            this.shard = shard;
            this.shards = shards;
            this.next = generator.next(shard, shards);
        }

        @Override
        public boolean hasNext() {
            return next != null;
        }

        @Override
        public String next() {
            if (next == null) {
                throw new NoSuchElementException();
            }
            String json = next.json;
            next = generator.next(shard, shards);
            return json;
        }
    }

    /** The records of one shard: its lines through the parser, blank lines skipped. */
    static final class Records implements Iterator<ParsedRecord> {
        private final Lines lines;
        private final EventParser parser;
        private ParsedRecord next;

        Records(Lines lines, EventParser parser) {
            this.lines = lines;
            this.parser = parser;
            advance();
        }

        private void advance() {
            next = null;
            while (next == null && lines.hasNext()) {
                next = parse(parser, lines.next());
            }
        }

        @Override
        public boolean hasNext() {
            return next != null;
        }

        @Override
        public ParsedRecord next() {
            if (next == null) {
                throw new NoSuchElementException();
            }
            ParsedRecord r = next;
            advance();
            return r;
        }
    }

    /** Hands shard {@code i} to reader {@code i}, and nothing else. */
    private static final class ShardEnumerator implements SplitEnumerator<Split, Collection<Split>> {
        private final SplitEnumeratorContext<Split> context;
        private final List<Split> remaining;

        ShardEnumerator(SplitEnumeratorContext<Split> context, Collection<Split> splits) {
            this.context = context;
            this.remaining = new ArrayList<>(splits);
        }

        @Override
        public void start() {}

        @Override
        public void handleSplitRequest(int subtask, String requesterHostname) {
            for (Iterator<Split> it = remaining.iterator(); it.hasNext(); ) {
                Split s = it.next();
                if (s.shard == subtask) {
                    it.remove();
                    context.assignSplit(s, subtask);
                    return;
                }
            }
            context.signalNoMoreSplits(subtask);
        }

        @Override
        public void addSplitsBack(List<Split> splits, int subtaskId) {
            remaining.addAll(splits);
        }

        @Override
        public void addReader(int subtaskId) {}

        @Override
        public Collection<Split> snapshotState(long checkpointId) {
            return new ArrayList<>(remaining);
        }

        @Override
        public void close() {}
    }

    /** Splits as (cases, seed, shard, shards); the parser is the source's. */
    private static final class SplitSerializer implements SimpleVersionedSerializer<Split> {
        private final EventParser parser;

        SplitSerializer(EventParser parser) {
            this.parser = parser;
        }

        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(Split s) throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(b)) {
                out.writeLong(s.cases);
                out.writeLong(s.seed);
                out.writeInt(s.shard);
                out.writeInt(s.shards);
            }
            return b.toByteArray();
        }

        @Override
        public Split deserialize(int version, byte[] serialized) throws IOException {
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
                return new Split(in.readLong(), in.readLong(), in.readInt(), in.readInt(), parser);
            }
        }
    }
}
