package io.flightcontroller.adapters.file;

import io.flightcontroller.adapters.parse.EventParser;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.PriorityQueue;

/**
 * Sorts JSON Lines event files by event time, stably, with bounded memory (an external merge sort), so a run can
 * replay files whose lines are not in event-time order, including files larger than memory.
 *
 * <p>Input: the files are read as one stream in the order given. A line is the bytes up to {@code \n} (a {@code \r}
 * before it belongs to the line); the end of a file also ends a line. Lines of only ASCII white space are dropped,
 * as {@link JsonLinesFormat} skips them. Lines are copied byte for byte, never decoded and re-encoded, so invalid
 * UTF-8 survives.
 *
 * <p>Key: the event time of {@link EventParser#parse(byte[])} ({@code eventTimeOrMin()}, read by
 * {@link EventParser#eventTimeOrMin(byte[], int, int)}, which gives the same without building the payload); a line
 * that is not an
 * event with a valid time (a dead letter) gets {@link Long#MIN_VALUE} and so comes first. Ties keep input order (a
 * sequence number across all inputs), which makes the sort stable. In memory a chunk is arrays of times and lines,
 * sorted as one primitive {@code long} key per line (time and index packed).
 *
 * <p>Steps: first a streaming check that stops at the first line earlier than the one before it; input already in
 * non-decreasing event-time order (what {@code convert} writes) is returned as is, never copied. Otherwise chunks
 * of at most {@code chunkBytes} (line bytes plus {@value #LINE_OVERHEAD_BYTES} bytes per line for the in-memory
 * record) are sorted in memory; if the input fits in one chunk it is written straight to the output, else each
 * chunk is spilled to a temporary file in the work folder and the chunks are merged with a priority queue into one
 * output file there. Chunk files are deleted when done (also on failure, together with a partial output).
 *
 * <p>Memory: about one chunk of lines plus, while it is spilled or written, buffers of {@value #BUFFER_BYTES}
 * bytes; the merge holds one line and one buffer per chunk. A single line is always held whole.
 *
 * <p>Shape of a spilled record: {@code long} event time (epoch ms UTC, or {@link Long#MIN_VALUE}), {@code long}
 * sequence number (0-based over all non-blank input lines), {@code int} length, then the line's bytes.
 *
 * <p>Not thread-safe: one sorter per thread.
 */
public final class EventTimeSorter {
    /** Default chunk size: 64 MiB. */
    public static final int DEFAULT_CHUNK_BYTES = 64 << 20;

    /** Bytes counted per line on top of its length for the in-memory record (object headers, key, references). */
    static final int LINE_OVERHEAD_BYTES = 64;

    /** Size of every read and write buffer: 256 KiB. */
    static final int BUFFER_BYTES = 1 << 18;

    private static final Comparator<Line> BY_TIME_THEN_SEQ =
            Comparator.<Line>comparingLong(l -> l.time).thenComparingLong(l -> l.seq);

    private final int chunkBytes;
    private final EventParser parser = new EventParser();

    /** A sorter with {@link #DEFAULT_CHUNK_BYTES}. */
    public EventTimeSorter() {
        this(DEFAULT_CHUNK_BYTES);
    }

    /**
     * @param chunkBytes the most bytes of lines (plus per-line overhead) sorted in memory at once, &gt; 0
     * @throws IllegalArgumentException when not positive (message names {@code chunkBytes})
     */
    public EventTimeSorter(int chunkBytes) {
        if (chunkBytes <= 0) {
            throw new IllegalArgumentException("chunkBytes must be > 0, was " + chunkBytes);
        }
        this.chunkBytes = chunkBytes;
    }

    /**
     * Returns the files to read in event-time order: {@code inputs} themselves when they already are in
     * non-decreasing event-time order, else one new sorted file in {@code workDir}.
     *
     * @param inputs JSON Lines files, read as one stream in this order
     * @param workDir folder for the chunk files and the sorted output (created when missing); the caller deletes
     *     the output when done with it
     * @return the files to read and what was done
     * @throws IOException when reading an input or writing in {@code workDir} fails
     * @throws NullPointerException when an argument or an input is null
     */
    public Result sort(List<Path> inputs, Path workDir) throws IOException {
        Objects.requireNonNull(inputs, "inputs");
        Objects.requireNonNull(workDir, "workDir");
        List<Path> files = Collections.unmodifiableList(new ArrayList<>(inputs));
        for (Path p : files) {
            Objects.requireNonNull(p, "inputs contains null");
        }
        long start = System.nanoTime();
        long firstInversion = firstInversion(files);
        if (firstInversion < 0) {
            return new Result(files, false, -firstInversion - 1, 0, 0, 0, millisSince(start));
        }
        Files.createDirectories(workDir);
        Path output = Files.createTempFile(workDir, "events-by-time-", ".jsonl");
        List<Path> chunks = new ArrayList<>();
        boolean done = false;
        try {
            long lines = sortInto(files, workDir, output, chunks);
            done = true;
            return new Result(
                    Collections.singletonList(output),
                    true,
                    lines,
                    firstInversion,
                    chunks.size(),
                    Files.size(output),
                    millisSince(start));
        } finally {
            for (Path chunk : chunks) {
                Files.deleteIfExists(chunk);
            }
            if (!done) {
                Files.deleteIfExists(output);
            }
        }
    }

    /**
     * @return the 1-based number of the first line earlier than the one before it; or, when there is none,
     *     {@code -(lines + 1)}
     */
    private long firstInversion(List<Path> files) throws IOException {
        long previous = Long.MIN_VALUE;
        long n = 0;
        for (Path file : files) {
            try (LineReader in = new LineReader(file)) {
                while (in.advance()) {
                    n++;
                    long time = parser.eventTimeOrMin(in.lineArray, in.lineOffset, in.lineLength);
                    if (time < previous) {
                        return n;
                    }
                    previous = time;
                }
            }
        }
        return -(n + 1);
    }

    private long sortInto(List<Path> files, Path workDir, Path output, List<Path> chunks) throws IOException {
        Chunk chunk = new Chunk();
        long chunkSize = 0;
        long seq = 0;
        for (Path file : files) {
            try (LineReader in = new LineReader(file)) {
                byte[] line;
                while ((line = in.next()) != null) {
                    long size = (long) line.length + LINE_OVERHEAD_BYTES;
                    if (chunk.size > 0 && chunkSize + size > chunkBytes) {
                        chunks.add(spill(chunk, workDir));
                        chunk.clear(seq);
                        chunkSize = 0;
                    }
                    chunk.add(parser.eventTimeOrMin(line, 0, line.length), line);
                    seq++;
                    chunkSize += size;
                }
            }
        }
        if (chunks.isEmpty()) {
            int[] order = chunk.order();
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(output), BUFFER_BYTES)) {
                for (int i : order) {
                    out.write(chunk.lines[i]);
                    out.write('\n');
                }
            }
            return seq;
        }
        if (chunk.size > 0) {
            chunks.add(spill(chunk, workDir));
            chunk.clear(seq);
        }
        merge(chunks, output);
        return seq;
    }

    private static Path spill(Chunk chunk, Path workDir) throws IOException {
        int[] order = chunk.order();
        Path file = Files.createTempFile(workDir, "events-by-time-chunk-", ".bin");
        try (DataOutputStream out =
                new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), BUFFER_BYTES))) {
            for (int i : order) {
                out.writeLong(chunk.times[i]);
                out.writeLong(chunk.firstSeq + i);
                out.writeInt(chunk.lines[i].length);
                out.write(chunk.lines[i]);
            }
        }
        return file;
    }

    /**
     * The lines of one chunk and their times in arrays (no object per line); sequence number = {@code firstSeq} +
     * index.
     */
    private static final class Chunk {
        /** Bits of a line's index in a packed sort key; the time (+1, 0 for none) takes the 43 bits above them. */
        private static final int INDEX_BITS = 21;

        /** Time bits of a packed key: 64 - {@link #INDEX_BITS}; the time + 1 is stored minus 2^42 (signed). */
        private static final int TIME_BITS = 64 - INDEX_BITS;

        long firstSeq;
        int size;
        long[] times = new long[1024];
        byte[][] lines = new byte[1024][];

        void add(long time, byte[] line) {
            if (size == times.length) {
                times = Arrays.copyOf(times, size * 2);
                lines = Arrays.copyOf(lines, size * 2);
            }
            times[size] = time;
            lines[size++] = line;
        }

        void clear(long nextSeq) {
            Arrays.fill(lines, 0, size, null);
            size = 0;
            firstSeq = nextSeq;
        }

        /**
         * @return the indexes of the lines by (time, index), a stable sort by time: one {@code long} per line
         *     ((time + 1 - 2^42) &lt;&lt; 21 | index, {@link Long#MIN_VALUE} as time + 1 = 0; every time below
         *     {@link io.flightcontroller.domain.event.EventTimes#END_EPOCH_MS} fits in the 43 bits) sorted as
         *     primitives; chunks of 2^21 lines or more, or other times, are sorted by a comparator
         */
        int[] order() {
            int[] order = new int[size];
            boolean packable = size < (1 << INDEX_BITS);
            for (int i = 0; i < size && packable; i++) {
                long t = times[i];
                packable = t == Long.MIN_VALUE || (t >= 0 && t < (1L << TIME_BITS) - 1);
            }
            if (packable) {
                long[] keys = new long[size];
                for (int i = 0; i < size; i++) {
                    long t = times[i];
                    long biased = (t == Long.MIN_VALUE ? 0 : t + 1) - (1L << (TIME_BITS - 1));
                    keys[i] = (biased << INDEX_BITS) | i;
                }
                Arrays.sort(keys);
                int mask = (1 << INDEX_BITS) - 1;
                for (int i = 0; i < size; i++) {
                    order[i] = (int) (keys[i] & mask);
                }
                return order;
            }
            Integer[] boxed = new Integer[size];
            for (int i = 0; i < size; i++) {
                boxed[i] = i;
            }
            long[] t = times;
            Arrays.sort(boxed, Comparator.<Integer>comparingLong(i -> t[i])); // stable: ties keep index order
            for (int i = 0; i < size; i++) {
                order[i] = boxed[i];
            }
            return order;
        }
    }

    private static void merge(List<Path> chunks, Path output) throws IOException {
        PriorityQueue<ChunkReader> queue = new PriorityQueue<>(
                chunks.size(), Comparator.<ChunkReader, Line>comparing(r -> r.head, BY_TIME_THEN_SEQ));
        List<ChunkReader> open = new ArrayList<>();
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(output), BUFFER_BYTES)) {
            for (Path chunk : chunks) {
                ChunkReader r = new ChunkReader(chunk);
                open.add(r);
                if (r.advance()) {
                    queue.add(r);
                }
            }
            while (!queue.isEmpty()) {
                ChunkReader r = queue.poll();
                out.write(r.head.bytes);
                out.write('\n');
                if (r.advance()) {
                    queue.add(r);
                }
            }
        } finally {
            for (ChunkReader r : open) {
                r.in.close();
            }
        }
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    /** One input line with its sort key. */
    private static final class Line {
        final long time;
        final long seq;
        final byte[] bytes;

        Line(long time, long seq, byte[] bytes) {
            this.time = time;
            this.seq = seq;
            this.bytes = bytes;
        }
    }

    /** Reads the records of one spilled chunk. */
    private static final class ChunkReader {
        final DataInputStream in;
        Line head;

        ChunkReader(Path file) throws IOException {
            this.in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), BUFFER_BYTES));
        }

        /** Reads the next record into {@link #head}; false at the end of the chunk. */
        boolean advance() throws IOException {
            long time;
            try {
                time = in.readLong();
            } catch (EOFException e) {
                head = null;
                return false;
            }
            long seq = in.readLong();
            int length = in.readInt();
            byte[] bytes = new byte[length];
            in.readFully(bytes);
            head = new Line(time, seq, bytes);
            return true;
        }
    }

    /** Splits a file into lines of raw bytes at {@code \n}, skipping lines of only ASCII white space. */
    static final class LineReader implements AutoCloseable {
        private final InputStream in;
        private final byte[] buf = new byte[BUFFER_BYTES];
        private int pos;
        private int limit;
        private byte[] partial = new byte[256];
        private int partialLength;

        LineReader(Path file) throws IOException {
            this.in = Files.newInputStream(file);
        }

        /** The line {@link #advance} found: {@code lineArray[lineOffset, lineOffset + lineLength)}, valid until the next call. */
        byte[] lineArray;

        int lineOffset;
        int lineLength;

        /** @return the next non-blank line without its {@code \n} (a copy), or null at the end of the file */
        byte[] next() throws IOException {
            return advance() ? Arrays.copyOfRange(lineArray, lineOffset, lineOffset + lineLength) : null;
        }

        /** Finds the next non-blank line, in place (see {@link #lineArray}); false at the end of the file. */
        boolean advance() throws IOException {
            while (true) {
                if (!advanceRaw()) {
                    return false;
                }
                if (!isBlank(lineArray, lineOffset, lineLength)) {
                    return true;
                }
            }
        }

        private boolean advanceRaw() throws IOException {
            partialLength = 0;
            while (true) {
                if (pos == limit) {
                    int n = in.read(buf);
                    if (n < 0) {
                        return partialLength != 0 && found(partial, 0, partialLength);
                    }
                    pos = 0;
                    limit = n;
                }
                int nl = pos;
                while (nl < limit && buf[nl] != '\n') {
                    nl++;
                }
                if (nl < limit) {
                    int from = pos;
                    pos = nl + 1;
                    if (partialLength == 0) {
                        return found(buf, from, nl - from);
                    }
                    append(from, nl);
                    return found(partial, 0, partialLength);
                }
                append(pos, limit);
                pos = limit;
            }
        }

        private boolean found(byte[] array, int offset, int length) {
            lineArray = array;
            lineOffset = offset;
            lineLength = length;
            return true;
        }

        private void append(int from, int to) {
            int n = to - from;
            if (partialLength + n > partial.length) {
                partial = Arrays.copyOf(partial, Math.max(partial.length * 2, partialLength + n));
            }
            System.arraycopy(buf, from, partial, partialLength, n);
            partialLength += n;
        }

        private static boolean isBlank(byte[] line, int offset, int length) {
            for (int i = offset; i < offset + length; i++) {
                byte b = line[i];
                if (b != ' ' && b != '\t' && b != '\r' && b != '\n' && b != '\f' && b != 0x0B) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /**
     * What {@link #sort} did.
     *
     * <p>Shape: {@code paths} (the files to read in order: the inputs when {@code sorted} is false, else the one
     * sorted file); {@code sorted} (whether a sorted copy was written); {@code lines} (non-blank lines: all of them
     * when sorted, and also when already in order); {@code firstInversionLine} (1-based number over all inputs of
     * the first line earlier than the one before it, 0 when already in order); {@code chunksSpilled} (chunk files
     * written; 0 when the input fitted in memory or was already in order); {@code outputBytes} (size of the sorted
     * file, 0 when not sorted); {@code elapsedMs} (wall time of check and sort).
     */
    public static final class Result {
        private final List<Path> paths;
        private final boolean sorted;
        private final long lines;
        private final long firstInversionLine;
        private final int chunksSpilled;
        private final long outputBytes;
        private final long elapsedMs;

        Result(
                List<Path> paths,
                boolean sorted,
                long lines,
                long firstInversionLine,
                int chunksSpilled,
                long outputBytes,
                long elapsedMs) {
            this.paths = paths;
            this.sorted = sorted;
            this.lines = lines;
            this.firstInversionLine = firstInversionLine;
            this.chunksSpilled = chunksSpilled;
            this.outputBytes = outputBytes;
            this.elapsedMs = elapsedMs;
        }

        /** @return the files to read, in order */
        public List<Path> paths() {
            return paths;
        }

        /** @return true when a sorted copy was written, false when the inputs already were in order */
        public boolean sorted() {
            return sorted;
        }

        /** @return non-blank lines read */
        public long lines() {
            return lines;
        }

        /** @return 1-based number of the first out-of-order line, 0 when none */
        public long firstInversionLine() {
            return firstInversionLine;
        }

        /** @return chunk files spilled to disk */
        public int chunksSpilled() {
            return chunksSpilled;
        }

        /** @return bytes of the sorted file, 0 when not sorted */
        public long outputBytes() {
            return outputBytes;
        }

        /** @return wall time in milliseconds */
        public long elapsedMs() {
            return elapsedMs;
        }

        /**
         * A one-line summary for the run, e.g. {@code input sorted by event time: 1,234,567 lines in 3 chunks,
         * 4.1 s (first out-of-order line: 17)} or {@code input already in event-time order: 65,533 lines, 0.4 s}.
         */
        @Override
        public String toString() {
            double seconds = elapsedMs / 1000.0;
            if (!sorted) {
                return String.format(
                        Locale.ROOT, "input already in event-time order: %,d lines, %.1f s", lines, seconds);
            }
            String where =
                    chunksSpilled == 0 ? "in memory" : String.format(Locale.ROOT, "in %,d chunks", chunksSpilled);
            return String.format(
                    Locale.ROOT,
                    "input sorted by event time: %,d lines %s, %.1f s (first out-of-order" + " line: %,d)",
                    lines,
                    where,
                    seconds,
                    firstInversionLine);
        }
    }
}
