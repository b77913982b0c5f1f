package io.flightcontroller.adapters.file;

import io.flightcontroller.adapters.WriterInitContextSink;
import io.flightcontroller.adapters.json.Json;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.SupportsWriterState;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.util.function.SerializableFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends records as JSON Lines (see {@link Json}) to one local file, for local runs (alerts, dead letters). Run it at
 * parallelism 1; the caller truncates the file before a fresh job starts so a re-run gives the same file.
 *
 * <p>Checkpoints: on every checkpoint the writer flushes and forces the file to disk ({@code fsync}) and records its
 * length in the checkpoint. A job restored from that checkpoint first cuts the file back to the recorded length,
 * removing what the interrupted job wrote after it (also a half-written last line), and then appends: the records
 * after the checkpoint are replayed and written again, so the file ends up exactly as after an uninterrupted run
 * (each record once). A file shorter than recorded (deleted or replaced since) cannot be rewound: it is appended to
 * as it is, with a warning. Restored without a recorded length (from a snapshot taken before this writer had state),
 * only a half-written last line is cut. What a restore cut is kept for the local run's summary ({@link #rewind}).
 *
 * <p>Shape of the writer state: one {@code long}, the file's length in bytes at the checkpoint (serializer version 1:
 * the 8 bytes of a {@link DataOutputStream#writeLong}).
 *
 * @param <T> record type
 */
public final class JsonLinesFileSink<T> implements WriterInitContextSink<T>, SupportsWriterState<T, Long> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(JsonLinesFileSink.class);
    private static final int BUFFER_BYTES = 1 << 16;

    /** What restores cut from each file, by absolute path (local runs: the mini-cluster runs in this JVM). */
    private static final Map<String, Rewind> REWINDS = new ConcurrentHashMap<>();

    private final String path;
    private final SerializableFunction<T, String> format;

    /** @param path the output file; parent folders are created; records written with {@link Json#line} */
    public JsonLinesFileSink(Path path) {
        this(path, Json::line);
    }

    /**
     * @param path the output file; parent folders are created
     * @param format turns a record into one line of JSON (e.g. {@code AlertJson::toJson})
     */
    public JsonLinesFileSink(Path path, SerializableFunction<T, String> format) {
        this.path = path.toAbsolutePath().toString();
        this.format = format;
    }

    /**
     * Creates or truncates the file.
     *
     * @param path the output file
     * @throws IOException when it cannot be written
     */
    public static void truncate(Path path) throws IOException {
        if (path.toAbsolutePath().getParent() != null) {
            Files.createDirectories(path.toAbsolutePath().getParent());
        }
        Files.write(path, new byte[0]);
    }

    /**
     * What the last restore of a writer of this file in this JVM cut from it, if any.
     *
     * @param path the output file
     * @return the cut, empty when no writer of it was restored since {@link #forgetRewind}
     */
    public static Optional<Rewind> rewind(Path path) {
        return Optional.ofNullable(REWINDS.get(path.toAbsolutePath().toString()));
    }

    /**
     * Forgets the last restore's cut of a file (before a new job starts).
     *
     * @param path the output file
     */
    public static void forgetRewind(Path path) {
        REWINDS.remove(path.toAbsolutePath().toString());
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) throws IOException {
        return open(-1);
    }

    @Override
    public StatefulSinkWriter<T, Long> restoreWriter(WriterInitContext context, Collection<Long> recoveredState)
            throws IOException {
        long length = -1;
        for (Long l : recoveredState) {
            length = Math.max(length, l);
        }
        Writer w = open(length);
        REWINDS.put(path, w.rewind);
        return w;
    }

    @Override
    public SimpleVersionedSerializer<Long> getWriterStateSerializer() {
        return new LengthSerializer();
    }

    private Writer open(long restoredLength) throws IOException {
        Path p = Paths.get(path);
        if (p.getParent() != null) {
            Files.createDirectories(p.getParent());
        }
        FileChannel ch =
                FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            long size = ch.size();
            long keep = size;
            if (restoredLength >= 0 && restoredLength <= size) {
                keep = restoredLength;
            } else if (restoredLength > size) {
                LOG.warn(
                        "{} is shorter ({} bytes) than at the checkpoint the job resumes from ({} bytes): it was"
                                + " replaced or cut since, so it cannot be rewound; appending to it",
                        path,
                        size,
                        restoredLength);
            } else {
                keep = lastLineEnd(ch, size);
            }
            Rewind rewind = new Rewind(size - keep, keep == size ? 0 : lines(ch, keep, size));
            if (keep < size) {
                ch.truncate(keep);
                ch.force(false);
                LOG.info(
                        "{}: cut back from {} to {} bytes ({} lines written after the checkpoint)",
                        path,
                        size,
                        keep,
                        rewind.lines());
            }
            ch.position(keep);
            return new Writer(ch, rewind);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** @return the length up to and including the last {@code \n} */
    private static long lastLineEnd(FileChannel ch, long size) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(BUFFER_BYTES);
        long end = size;
        while (end > 0) {
            long from = Math.max(0, end - b.capacity());
            b.clear().limit((int) (end - from));
            ch.read(b, from);
            for (int i = b.position() - 1; i >= 0; i--) {
                if (b.get(i) == '\n') {
                    return from + i + 1;
                }
            }
            end = from;
        }
        return 0;
    }

    /** @return lines in [from, to), a last line without {@code \n} included */
    private static long lines(FileChannel ch, long from, long to) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(BUFFER_BYTES);
        long n = 0;
        byte last = '\n';
        for (long at = from; at < to; ) {
            b.clear().limit((int) Math.min(b.capacity(), to - at));
            int r = ch.read(b, at);
            if (r <= 0) {
                break;
            }
            for (int i = 0; i < r; i++) {
                last = b.get(i);
                if (last == '\n') {
                    n++;
                }
            }
            at += r;
        }
        return last == '\n' ? n : n + 1;
    }

    /**
     * What a restore cut from the file: the bytes and lines written after the checkpoint by the interrupted job
     * (replayed and written again), or only a half-written last line.
     */
    public static final class Rewind {
        private final long bytes;
        private final long lines;

        Rewind(long bytes, long lines) {
            this.bytes = bytes;
            this.lines = lines;
        }

        /** @return bytes cut */
        public long bytes() {
            return bytes;
        }

        /** @return lines cut, a half-written last line counted as one */
        public long lines() {
            return lines;
        }
    }

    private final class Writer implements StatefulSinkWriter<T, Long> {
        private final FileChannel channel;
        private final OutputStream out;
        private final Rewind rewind;

        Writer(FileChannel channel, Rewind rewind) {
            this.channel = channel;
            this.out = new BufferedOutputStream(Channels.newOutputStream(channel), BUFFER_BYTES);
            this.rewind = rewind;
        }

        @Override
        public void write(T element, Context ctx) throws IOException {
            out.write(format.apply(element).getBytes(StandardCharsets.UTF_8));
            out.write('\n');
        }

        @Override
        public void flush(boolean endOfInput) throws IOException {
            // called before every checkpoint and at the end of the input: what the checkpoint records is on disk
            out.flush();
            channel.force(false);
        }

        @Override
        public List<Long> snapshotState(long checkpointId) throws IOException {
            out.flush();
            return Collections.singletonList(channel.position());
        }

        @Override
        public void close() throws IOException {
            try {
                out.close();
            } finally {
                channel.close();
            }
        }
    }

    /** Version 1: the length as 8 bytes. */
    static final class LengthSerializer implements SimpleVersionedSerializer<Long> {
        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(Long length) throws IOException {
            java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream(8);
            try (DataOutputStream d = new DataOutputStream(b)) {
                d.writeLong(length);
            }
            return b.toByteArray();
        }

        @Override
        public Long deserialize(int version, byte[] serialized) throws IOException {
            if (version != 1) {
                throw new IOException("alerts/dead-letter file writer state: unknown serializer version " + version
                        + " (this build reads version 1)");
            }
            try (DataInputStream d = new DataInputStream(new java.io.ByteArrayInputStream(serialized))) {
                return d.readLong();
            }
        }
    }
}
