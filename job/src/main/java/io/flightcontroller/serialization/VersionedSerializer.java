package io.flightcontroller.serialization;

import java.io.IOException;
import java.util.function.Supplier;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Base of the job's own serializers for its domain records, in state (keyed and window state, hence checkpoints and
 * savepoints) and on the wire between operators: no Kryo, no Java serialization.
 *
 * <p>Shape of every serialized record: one unsigned byte, the record's <b>format version</b>, then the fields. A
 * serializer reads every version it ever wrote (each concrete class lists them), so a savepoint taken by an older
 * job restores in a newer one, and refuses a version newer than its own with a message naming the type, instead of
 * misreading it. The serializer's snapshot is a {@link org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot}
 * (the class is the schema; versions live in the records), so Flink reports it compatible as is across job versions.
 * Deserialization always creates new objects (never reuses the one passed in).
 *
 * @param <T> the record type
 */
public abstract class VersionedSerializer<T> extends TypeSerializerSingleton<T> {
    private static final long serialVersionUID = 1L;

    /** @return the format version written now (1..255) */
    protected abstract int version();

    /** @return the record type's name, for messages */
    protected abstract String typeName();

    /**
     * Writes the fields (after the version byte).
     *
     * @param value the record, never null
     * @param out where to write
     * @throws IOException on write failure
     */
    protected abstract void write(T value, DataOutputView out) throws IOException;

    /**
     * Reads the fields of a record written in {@code version}.
     *
     * @param version the record's format version, 1..{@link #version()}
     * @param in where to read
     * @return a new record
     * @throws IOException on read failure
     */
    protected abstract T read(int version, DataInputView in) throws IOException;

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public T copy(T from) {
        // used between chained operators (the job runs without object reuse: with it, a sequence measure's late
        // correction was lost, SequenceMiniClusterTest), once per record and chained consumer. A type that overrides
        // fieldCopy is copied field by field (issue 16: the round trip cost CPU per record); any other is copied by a
        // round trip through its format, exact by construction. No buffer is kept between calls: this is a stateless
        // singleton to Flink (duplicate() returns this), so one instance is shared by threads -- the serializer of a
        // static state descriptor by every subtask in the JVM, whose heap state backend copies state on its task
        // thread while a checkpoint runs (shared buffers mixed one subtask's case state into another's)
        T copied = fieldCopy(from);
        if (copied != null) {
            return copied;
        }
        try {
            DataOutputSerializer out = new DataOutputSerializer(256);
            serialize(from, out);
            return deserialize(new DataInputDeserializer(out.getSharedBuffer(), 0, out.length()));
        } catch (IOException e) {
            throw new IllegalStateException("cannot copy a " + typeName() + ": " + e.getMessage(), e);
        }
    }

    /**
     * A copy of {@code from} equal to what a round trip through {@link #serialize}/{@link #deserialize} gives (every
     * field the format carries, the same normalisations, no mutable part shared), or null to have {@link #copy(Object)}
     * make that round trip. Keep it in step with {@link #write}: {@code DomainSerializersTest} compares both for every
     * type that has one.
     *
     * @param from the record, never null
     * @return the copy, or null for none
     */
    protected T fieldCopy(T from) {
        return null;
    }

    @Override
    public T copy(T from, T reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(T value, DataOutputView out) throws IOException {
        out.writeByte(version());
        write(value, out);
    }

    @Override
    public T deserialize(DataInputView in) throws IOException {
        int v = in.readUnsignedByte();
        if (v < 1 || v > version()) {
            throw new IOException("a " + typeName() + " in format version " + v + ", this job reads versions 1 to "
                    + version() + ": restore with the job version that wrote it, or a newer one");
        }
        return read(v, in);
    }

    @Override
    public T deserialize(T reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        serialize(deserialize(source), target);
    }

    /**
     * The {@link TypeInformation} of a record type with its own serializer, so operators, side outputs and state
     * descriptors never fall back to Kryo.
     *
     * @param <T> the record type
     */
    public static final class Info<T> extends TypeInformation<T> {
        private static final long serialVersionUID = 1L;
        private final Class<T> type;
        private final Supplier<? extends TypeSerializer<T>> serializer;

        /**
         * @param type the record class
         * @param serializer makes a serializer
         */
        public Info(
                Class<T> type,
                org.apache.flink.util.function.SerializableSupplier<? extends TypeSerializer<T>> serializer) {
            this.type = type;
            this.serializer = serializer;
        }

        @Override
        public boolean isBasicType() {
            return false;
        }

        @Override
        public boolean isTupleType() {
            return false;
        }

        @Override
        public int getArity() {
            return 1;
        }

        @Override
        public int getTotalFields() {
            return 1;
        }

        @Override
        public Class<T> getTypeClass() {
            return type;
        }

        @Override
        public boolean isKeyType() {
            return false;
        }

        // no @Override on either: Flink 1.20 declares the ExecutionConfig variant abstract, Flink 2.x only the other
        public TypeSerializer<T> createSerializer(SerializerConfig config) {
            return serializer.get();
        }

        public TypeSerializer<T> createSerializer(ExecutionConfig config) {
            return serializer.get();
        }

        @Override
        public String toString() {
            return type.getSimpleName() + "(own serializer)";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Info && ((Info<?>) o).type == type;
        }

        @Override
        public int hashCode() {
            return type.hashCode();
        }

        @Override
        public boolean canEqual(Object o) {
            return o instanceof Info;
        }
    }
}
