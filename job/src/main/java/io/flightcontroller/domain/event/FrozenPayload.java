package io.flightcontroller.domain.event;

import java.io.Serializable;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.AbstractList;
import java.util.AbstractMap;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;
import java.util.Set;

/**
 * A payload that can no longer change, its nested objects and arrays included, so that a copy of its event may share
 * it instead of copying it: Flink copies every record between chained operators (the job runs without object reuse),
 * and the parsed record of each line is copied twice on its way from the source to the split (issue 16: in the
 * benchmark's profile of 2026-12-03, night, those copies, payload included, were 5.1 % of the job's samples, and the
 * payload's maps 400 MB of every 7.2 GB allocated).
 *
 * <p>Shape: {@link #freeze} wraps the maps and lists it is given, it does not copy them (one wrapper per map and list),
 * and checks that every leaf is an immutable JSON value (a string, a number as {@link Integer}, {@link Long},
 * {@link Float}, {@link Double}, {@link BigInteger} or {@link BigDecimal}, a boolean, or null). A frozen map keeps the
 * iteration order of the map it wraps and equals any map with the same entries. Every mutator throws
 * {@link UnsupportedOperationException}.
 */
public final class FrozenPayload {
    private FrozenPayload() {}

    /**
     * Freezes a payload in place: the caller hands over the map and every map and list within it, and keeps no
     * reference to any of them (the parser that has just built them).
     *
     * @param payload a payload, or null
     * @return the frozen payload (the same one when already frozen), or null for null
     * @throws IllegalArgumentException if a leaf is not an immutable JSON value
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> freeze(Map<String, Object> payload) {
        return payload == null ? null : (Map<String, Object>) frozen(payload);
    }

    /**
     * @param value a payload or a value within one
     * @return whether it is a map or list that {@link #freeze} made: then it and everything in it stay as they are
     */
    public static boolean isFrozen(Object value) {
        return value instanceof FrozenMap || value instanceof FrozenList;
    }

    /**
     * @param value a payload value
     * @return whether it is an immutable JSON scalar: null, a string, a boolean, or a number as {@link Integer},
     *     {@link Long}, {@link Float}, {@link Double}, {@link BigInteger} or {@link BigDecimal}
     */
    public static boolean isImmutableScalar(Object value) {
        return value == null
                || value instanceof String
                || value instanceof Integer
                || value instanceof Long
                || value instanceof Double
                || value instanceof Boolean
                || value instanceof BigInteger
                || value instanceof BigDecimal
                || value instanceof Float;
    }

    @SuppressWarnings("unchecked")
    private static Object frozen(Object v) {
        if (isImmutableScalar(v) || isFrozen(v)) {
            return v;
        } else if (v instanceof Map) {
            Map<String, Object> m = (Map<String, Object>) v;
            m.replaceAll((k, x) -> frozen(x));
            return new FrozenMap(m);
        } else if (v instanceof List) {
            List<Object> l = (List<Object>) v;
            l.replaceAll(FrozenPayload::frozen);
            return new FrozenList(l);
        }
        throw new IllegalArgumentException(
                "payload value of type " + v.getClass().getName() + " is not an immutable JSON value");
    }

    /** A map no one can change any more: reads go to the map it wraps. */
    private static final class FrozenMap extends AbstractMap<String, Object> implements Serializable {
        private static final long serialVersionUID = 1L;
        private final Map<String, Object> map;
        /** Made once: each read of the entries (the identity hash, the serializer) would otherwise wrap the map anew. */
        private final Map<String, Object> view;

        FrozenMap(Map<String, Object> map) {
            this.map = map;
            this.view = Collections.unmodifiableMap(map);
        }

        @Override
        public Set<Entry<String, Object>> entrySet() {
            return view.entrySet(); // made once by the view too; its entries refuse setValue
        }

        @Override
        public Object get(Object key) {
            return map.get(key);
        }

        @Override
        public boolean containsKey(Object key) {
            return map.containsKey(key);
        }

        @Override
        public int size() {
            return map.size();
        }
    }

    /** A list no one can change any more: reads go to the list it wraps. */
    private static final class FrozenList extends AbstractList<Object> implements RandomAccess, Serializable {
        private static final long serialVersionUID = 1L;
        private final List<Object> list;

        FrozenList(List<Object> list) {
            this.list = list;
        }

        @Override
        public Object get(int index) {
            return list.get(index);
        }

        @Override
        public int size() {
            return list.size();
        }
    }
}
