package io.flightcontroller.serialization;

import io.flightcontroller.domain.event.FrozenPayload;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * Field codecs shared by the serializers: nullable strings and boxed numbers, string maps, and JSON-like payload
 * values.
 *
 * <p>Shape of a payload value: one tag byte, then the value: 0 null, 1 String, 2 Integer, 3 Long, 4 Double,
 * 5 Boolean, 6 BigInteger (decimal text), 7 BigDecimal (decimal text), 8 List (size, values), 9 Map (size, string
 * key and value each), 10 Float. These are exactly the types Jackson produces from JSON, kept as they were so a
 * restored payload equals the parsed one.
 */
public final class Fields {
    private Fields() {}

    public static void string(String s, DataOutputView out) throws IOException {
        StringValue.writeString(s, out); // handles null and any length
    }

    public static String string(DataInputView in) throws IOException {
        return StringValue.readString(in);
    }

    /**
     * A long as a zig-zag varint (LEB128 of {@code (v << 1) ^ (v >> 63)}, as protobuf's {@code sint64}): 1 byte for
     * -64..63, 5 for about ±2^34 (a lead time of 199 days in ms), at most 10.
     *
     * @param v any long
     * @param out where to write
     * @throws IOException on write failure
     */
    public static void varLong(long v, DataOutputView out) throws IOException {
        long z = (v << 1) ^ (v >> 63);
        while ((z & ~0x7FL) != 0) {
            out.writeByte((int) ((z & 0x7F) | 0x80));
            z >>>= 7;
        }
        out.writeByte((int) z);
    }

    /**
     * @param in where to read
     * @return a long written by {@link #varLong(long, DataOutputView)}
     * @throws IOException on read failure, or more than 10 bytes (not a varint this class wrote)
     */
    public static long varLong(DataInputView in) throws IOException {
        long z = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            int b = in.readUnsignedByte();
            z |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return (z >>> 1) ^ -(z & 1);
            }
        }
        throw new IOException("a varint longer than 10 bytes: not written by Fields.varLong");
    }

    static void longObj(Long v, DataOutputView out) throws IOException {
        out.writeBoolean(v != null);
        if (v != null) {
            out.writeLong(v);
        }
    }

    static Long longObj(DataInputView in) throws IOException {
        return in.readBoolean() ? in.readLong() : null;
    }

    static void doubleObj(Double v, DataOutputView out) throws IOException {
        out.writeBoolean(v != null);
        if (v != null) {
            out.writeDouble(v);
        }
    }

    static Double doubleObj(DataInputView in) throws IOException {
        return in.readBoolean() ? in.readDouble() : null;
    }

    /** Nullable Boolean as one byte: 0 null, 1 false, 2 true. */
    static void booleanObj(Boolean v, DataOutputView out) throws IOException {
        out.writeByte(v == null ? 0 : v ? 2 : 1);
    }

    static Boolean booleanObj(DataInputView in) throws IOException {
        int b = in.readUnsignedByte();
        return b == 0 ? null : b == 2;
    }

    public static void stringMap(Map<String, String> m, DataOutputView out) throws IOException {
        out.writeInt(m == null ? -1 : m.size());
        if (m != null) {
            for (Map.Entry<String, String> e : m.entrySet()) {
                string(e.getKey(), out);
                string(e.getValue(), out);
            }
        }
    }

    public static Map<String, String> stringMap(DataInputView in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            return null;
        }
        Map<String, String> m = new LinkedHashMap<>(Math.max(4, n * 2));
        for (int i = 0; i < n; i++) {
            m.put(string(in), string(in));
        }
        return m;
    }

    static void payload(Map<String, Object> m, DataOutputView out) throws IOException {
        if (m == null) {
            out.writeByte(0);
        } else {
            value(m, out);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> payload(DataInputView in) throws IOException {
        return (Map<String, Object>) value(in);
    }

    /**
     * A copy of a payload value as {@link #value(Object, DataOutputView)} then {@link #value(DataInputView)} give:
     * lists and maps copied deeply (maps as {@link LinkedHashMap} with string keys, in order), immutable scalars
     * shared, and so is a frozen payload or part of one ({@link FrozenPayload}: it writes the same bytes).
     *
     * @param v a payload value
     * @return its copy
     * @throws IllegalArgumentException for a type the format does not carry (as the round trip would fail)
     */
    @SuppressWarnings("unchecked")
    static Object copyValue(Object v) {
        if (FrozenPayload.isImmutableScalar(v) || FrozenPayload.isFrozen(v)) {
            return v; // nothing in it can change: shared (a frozen map or list: a parsed line's payload)
        } else if (v instanceof List) {
            List<Object> l = (List<Object>) v;
            List<Object> c = new ArrayList<>(l.size());
            for (Object o : l) {
                c.add(copyValue(o));
            }
            return c;
        } else if (v instanceof Map) {
            Map<String, Object> m = (Map<String, Object>) v;
            Map<String, Object> c = new LinkedHashMap<>(Math.max(4, m.size() * 2));
            for (Map.Entry<String, Object> e : m.entrySet()) {
                c.put(String.valueOf(e.getKey()), copyValue(e.getValue()));
            }
            return c;
        }
        throw new IllegalArgumentException(
                "payload value of type " + v.getClass().getName() + " is not a JSON value");
    }

    /**
     * @param m a string map or null
     * @return a copy as {@link #stringMap(Map, DataOutputView)} then {@link #stringMap(DataInputView)} give
     */
    static Map<String, String> copyStringMap(Map<String, String> m) {
        return m == null ? null : new LinkedHashMap<>(m);
    }

    @SuppressWarnings("unchecked")
    public static void value(Object v, DataOutputView out) throws IOException {
        if (v == null) {
            out.writeByte(0);
        } else if (v instanceof String) {
            out.writeByte(1);
            string((String) v, out);
        } else if (v instanceof Integer) {
            out.writeByte(2);
            out.writeInt((Integer) v);
        } else if (v instanceof Long) {
            out.writeByte(3);
            out.writeLong((Long) v);
        } else if (v instanceof Double) {
            out.writeByte(4);
            out.writeDouble((Double) v);
        } else if (v instanceof Boolean) {
            out.writeByte(5);
            out.writeBoolean((Boolean) v);
        } else if (v instanceof BigInteger) {
            out.writeByte(6);
            string(v.toString(), out);
        } else if (v instanceof BigDecimal) {
            out.writeByte(7);
            string(((BigDecimal) v).toString(), out);
        } else if (v instanceof List) {
            List<Object> l = (List<Object>) v;
            out.writeByte(8);
            out.writeInt(l.size());
            for (Object o : l) {
                value(o, out);
            }
        } else if (v instanceof Map) {
            Map<String, Object> m = (Map<String, Object>) v;
            out.writeByte(9);
            out.writeInt(m.size());
            for (Map.Entry<String, Object> e : m.entrySet()) {
                string(String.valueOf(e.getKey()), out);
                value(e.getValue(), out);
            }
        } else if (v instanceof Float) {
            out.writeByte(10);
            out.writeFloat((Float) v);
        } else {
            throw new IOException("payload value of type " + v.getClass().getName() + " is not a JSON value");
        }
    }

    public static Object value(DataInputView in) throws IOException {
        int tag = in.readUnsignedByte();
        switch (tag) {
            case 0:
                return null;
            case 1:
                return string(in);
            case 2:
                return in.readInt();
            case 3:
                return in.readLong();
            case 4:
                return in.readDouble();
            case 5:
                return in.readBoolean();
            case 6:
                return new BigInteger(string(in));
            case 7:
                return new BigDecimal(string(in));
            case 8: {
                int n = in.readInt();
                List<Object> l = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    l.add(value(in));
                }
                return l;
            }
            case 9: {
                int n = in.readInt();
                Map<String, Object> m = new LinkedHashMap<>(Math.max(4, n * 2));
                for (int i = 0; i < n; i++) {
                    m.put(string(in), value(in));
                }
                return m;
            }
            case 10:
                return in.readFloat();
            default:
                throw new IOException("unknown payload value tag " + tag);
        }
    }
}
