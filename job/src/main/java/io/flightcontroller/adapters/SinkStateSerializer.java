package io.flightcontroller.adapters;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.base.sink.writer.AsyncSinkWriterStateSerializer;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;

/**
 * Base of the sinks' checkpoint serializers of buffered request entries: each sink writes its entry's own fields
 * explicitly (as flink-connector-aws's Firehose and Kinesis sinks write a record's {@code SdkBytes}), never a Java
 * serialization of SDK objects, so an SDK upgrade cannot break a restore.
 *
 * <p>Shape: Flink's {@link AsyncSinkWriterStateSerializer} frame (a marker, the entry count, and per entry its size in
 * bytes followed by the entry); strings are written as an int UTF-8 length ({@code -1} for null) and the bytes.
 * Versions: 1 was Java serialization of the entries (removed); {@value #VERSION} is the explicit format. A version-1
 * state without entries (e.g. a savepoint taken with {@code stop --drain}) restores as empty; one with entries fails
 * the restore with a message saying so, since its SDK objects are not read any more.
 *
 * @param <E> request entry type
 */
public abstract class SinkStateSerializer<E extends Serializable> extends AsyncSinkWriterStateSerializer<E> {

    /** The format written: the entries' fields, explicitly. */
    public static final int VERSION = 2;
    /** The removed format: Java serialization of the entries. */
    public static final int JAVA_SERIALIZATION_VERSION = 1;

    private final String sink;

    /** @param sink sink name for messages, e.g. {@code SNS sink} */
    protected SinkStateSerializer(String sink) {
        this.sink = sink;
    }

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public BufferedRequestState<E> deserialize(int version, byte[] serialized) throws IOException {
        if (version == VERSION) {
            return super.deserialize(version, serialized);
        }
        if (version == JAVA_SERIALIZATION_VERSION) {
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
                in.readLong(); // Flink's marker
                int entries = in.readInt();
                if (entries == 0) {
                    return BufferedRequestState.emptyState();
                }
                throw new IOException(sink + ": the checkpoint holds " + entries + " buffered entries in state format "
                        + JAVA_SERIALIZATION_VERSION + " (Java serialization of SDK objects), which this version no "
                        + "longer reads; restore it with the previous version and stop with a drained savepoint "
                        + "(stop --drain empties the buffer), then start this version from that savepoint");
            }
        }
        throw new IOException(sink + ": unknown state format " + version + " of buffered entries (this version reads "
                + VERSION + ")");
    }

    /**
     * @param s a string, may be null
     * @param out where it is written: int UTF-8 length ({@code -1} for null), the bytes
     * @throws IOException from the stream
     */
    protected static void writeString(String s, DataOutputStream out) throws IOException {
        if (s == null) {
            out.writeInt(-1);
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    /**
     * @param in a stream at a string written by {@link #writeString}
     * @return the string, or null
     * @throws IOException from the stream, or for a negative length other than {@code -1}
     */
    protected static String readString(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n == -1) {
            return null;
        }
        if (n < 0) {
            throw new IOException("corrupt sink state: string length " + n);
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }
}
