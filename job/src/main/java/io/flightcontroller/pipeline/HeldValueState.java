package io.flightcontroller.pipeline;

import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.runtime.state.KeyedStateBackend;

/**
 * A keyed {@link ValueState} with the values of the keys worked on last held on the heap in front of it: a key's value
 * is read from the state once (its absence too), read and changed here after that, and written once, when the key is
 * the least recently used of more than {@code capacity} or at {@link #flush} (before each snapshot and at the end of
 * input), instead of at every change. For {@link SequenceOperator} on RocksDB, where each read is a {@code get} and a
 * deserialization and each write a serialization and a {@code put}: flink-cep reads and writes a key's NFA state and
 * maps at each event and again at the event's timer, and the operator its case, all within seconds of event time.
 *
 * <p>With {@code writesReads} a value handed out by {@link #value} counts as changed (written when it leaves), as on
 * the heap backend, where a value changed in place without {@code update} stays changed: for values whose user may
 * change them in place (flink-cep's {@code NFAState}). Without it only {@link #update} and {@link #clear} are
 * written.
 *
 * <p>Not state: every changed value held is written by {@link #flush}, which the operator calls in
 * {@code snapshotState} (before the keyed state backend's snapshot) and before it reads the state by other means (its
 * end of input); a restore starts with none held. The values stay held after a flush, equal to the state's: use it
 * only where the state hands out copies (RocksDB), so that no object held is one a snapshot may still be writing out.
 * With capacity 0 every call goes to the state (the heap backend, whose values are the stored objects, and any backend
 * whose snapshots may run without the operator's {@code snapshotState}).
 *
 * <p>Shape: at most {@code capacity} keys, least recently used first out; per key a linked hash map entry and a holder
 * (about 90 bytes) besides the key and the value's deserialized copy. A read or a change costs one hash lookup; a key
 * leaving costs a {@code setCurrentKey} pair and one write when it was changed, none when it had no value in the state
 * and has none now (a case that began and ended while held: on RocksDB a {@code delete} spared).
 *
 * @param <V> the value
 */
final class HeldValueState<V> implements ValueState<V> {
    private final ValueState<V> state;
    private final KeyedStateBackend<Object> backend;
    private final int capacity;
    private final boolean writesReads;
    /** Access order: the least recently used key first. */
    private final LinkedHashMap<Object, Held<V>> held = new LinkedHashMap<>(1024, 0.75f, true);

    /**
     * A key's value as held: null for none; whether it is to be written; whether the state may have a value for the key
     * (false only when it was read absent, or written absent, and not written since: clearing it then writes nothing).
     */
    private static final class Held<V> {
        V value;
        boolean changed;
        boolean stored = true;
    }

    /**
     * @param state the keyed state this holds values of
     * @param backend the keyed state backend of the operator (its current key is the key of every call)
     * @param capacity the most keys held at once; 0 for none (every call goes to {@code state})
     * @param writesReads whether a value handed out by {@link #value} is written when it leaves, as if changed
     */
    @SuppressWarnings("unchecked")
    HeldValueState(ValueState<V> state, KeyedStateBackend<?> backend, int capacity, boolean writesReads) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must be at least 0, was " + capacity);
        }
        this.state = state;
        this.backend = (KeyedStateBackend<Object>) backend;
        this.capacity = capacity;
        this.writesReads = writesReads;
    }

    @Override
    public V value() throws IOException {
        if (capacity == 0) {
            return state.value();
        }
        Held<V> h = held(true);
        if (writesReads && h.value != null) {
            h.changed = true;
        }
        return h.value;
    }

    @Override
    public void update(V value) throws IOException {
        if (capacity == 0) {
            state.update(value);
            return;
        }
        Held<V> h = held(false);
        h.value = value;
        h.changed = true;
    }

    @Override
    public void clear() {
        if (capacity == 0) {
            state.clear();
            return;
        }
        try {
            update(null);
        } catch (IOException e) {
            throw new IllegalStateException("cannot clear a held value", e);
        }
    }

    /**
     * @return the value held for the current key, or null when none is held (nothing read from the state; for tests
     *     and for checks of identity)
     */
    V peek() {
        Held<V> h = held.get(backend.getCurrentKey());
        return h == null ? null : h.value;
    }

    /** @return the number of keys whose value is held */
    int size() {
        return held.size();
    }

    /** The current key's holder, read from the state when not held ({@code read}) or else new and empty. */
    private Held<V> held(boolean read) throws IOException {
        Object key = backend.getCurrentKey();
        Held<V> h = held.get(key);
        if (h != null) {
            return h;
        }
        h = new Held<>();
        if (read) {
            h.value = state.value();
            h.stored = h.value != null;
        }
        held.put(key, h);
        if (held.size() > capacity) {
            Iterator<Map.Entry<Object, Held<V>>> eldest = held.entrySet().iterator();
            Map.Entry<Object, Held<V>> e = eldest.next();
            eldest.remove();
            Held<V> out = e.getValue();
            if (out.changed && (out.value != null || out.stored)) {
                write(e.getKey(), out.value);
            }
        }
        return h;
    }

    /** Writes {@code value} (null: clears) under {@code key}, then sets the current key back. */
    private void write(Object key, V value) throws IOException {
        Object current = backend.getCurrentKey();
        backend.setCurrentKey(key);
        try {
            if (value == null) {
                state.clear();
            } else {
                state.update(value);
            }
        } finally {
            if (current != null) {
                backend.setCurrentKey(current);
            }
        }
    }

    /**
     * Writes every changed value held, each under its key, and keeps them, unchanged: the state now has the same
     * values, so the keys worked on last are not read back after each checkpoint.
     */
    void flush() throws IOException {
        for (Map.Entry<Object, Held<V>> e : held.entrySet()) {
            Held<V> h = e.getValue();
            if (h.changed) {
                if (h.value != null || h.stored) {
                    write(e.getKey(), h.value);
                }
                h.changed = false;
                h.stored = h.value != null;
            }
        }
    }
}
