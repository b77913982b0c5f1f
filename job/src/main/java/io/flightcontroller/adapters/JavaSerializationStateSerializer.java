package io.flightcontroller.adapters;

import org.apache.flink.connector.base.sink.writer.AsyncSinkWriterStateSerializer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;

/**
 * Checkpoint serializer for the request entries buffered by a sink writer, using Java serialization (AWS SDK v2 model
 * objects and strings are {@link Serializable}). Each entry is written as an int length followed by that many bytes.
 *
 * <p>Version 1. Changing an entry's class incompatibly requires a new version; entries from an old checkpoint would
 * otherwise fail to restore with an {@link IOException}.
 *
 * @param <E> request entry type
 */
public class JavaSerializationStateSerializer<E extends Serializable> extends AsyncSinkWriterStateSerializer<E> {

    @Override
    protected void serializeRequestToStream(E entry, DataOutputStream out) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream oos = new ObjectOutputStream(bytes)) {
            oos.writeObject(entry);
        }
        out.writeInt(bytes.size());
        out.write(bytes.toByteArray());
    }

    @Override
    @SuppressWarnings("unchecked")
    protected E deserializeRequestFromStream(long requestSize, DataInputStream in) throws IOException {
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        try (ObjectInputStream ois = new ObjectInputStream(new ByteArrayInputStream(bytes)) {
            @Override
            protected Class<?> resolveClass(java.io.ObjectStreamClass desc) throws IOException, ClassNotFoundException {
                return Class.forName(desc.getName(), false, Thread.currentThread().getContextClassLoader() != null
                        ? Thread.currentThread().getContextClassLoader() : JavaSerializationStateSerializer.class
                        .getClassLoader());
            }
        }) {
            return (E) ois.readObject();
        } catch (ClassNotFoundException e) {
            throw new IOException("cannot restore buffered sink entry: " + e.getMessage(), e);
        }
    }

    @Override
    public int getVersion() {
        return 1;
    }
}
