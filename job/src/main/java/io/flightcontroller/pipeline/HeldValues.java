package io.flightcontroller.pipeline;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The values of the ids {@link MeasureByCorrelationId} worked on last, held on the heap in front of its keyed state: an
 * id's value is read from state once, changed here by every event and wake of the id after that, and written once, when
 * the id is the least recently used of more than {@code capacity} ({@link #put} hands it back to write) or before the
 * next checkpoint's barrier or at the end of input ({@link #drainTo}), instead of at every change. On RocksDB, the
 * backend Managed Flink runs, each read is a {@code get} and a deserialization and each write a serialization and a
 * {@code put}; in the benchmark's workload an id's second event comes a median 30 minutes of event time (about 5,400
 * lines) after its first, within the ids the default capacity holds.
 *
 * <p>Not state: the operator writes every value held here before each checkpoint's barrier
 * ({@code prepareSnapshotPreBarrier}) and at the end of input, and then forgets them, so a checkpoint or savepoint holds
 * the same values as an operator that writes every change through, a restore starts with none here, and on the heap
 * backend, where a value held is the state's own object, no object held here spans a snapshot (copy-on-write hands out
 * a fresh one after it). Plain Java: the operator sets the key and writes the state.
 *
 * <p>Shape: at most {@code capacity} ids, least recently used first out; per id a linked hash map entry (about 60
 * bytes) besides the id's string and its value: on RocksDB the one deserialized copy of it (its buffered events, case
 * states and up to 64 de-duplication keys as Java objects: a few hundred bytes to a few KiB), on the heap backend the
 * state's own object.
 */
final class HeldValues<V> {
    private final int capacity;
    /** Access order: the least recently used id first. */
    private final LinkedHashMap<String, V> values = new LinkedHashMap<>(1024, 0.75f, true);
    /**
     * Null, or the value of the most recently used id (the last {@link #get} found or {@link #put} held): putting it
     * again changes nothing, so {@link #put} skips the look-up. An id's event or wake gets its value and puts it back.
     */
    private V last;

    /** Receives each value {@link #drainTo} hands out to write. */
    interface Drain<V> {
        /**
         * @param id the id
         * @param value its value, not yet written
         */
        void accept(String id, V value) throws Exception;
    }

    /** @param capacity the most ids held at once (at least 1) */
    HeldValues(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        this.capacity = capacity;
    }

    /** @return the id's current value held here (maybe not yet written), or null when none is held */
    V get(String id) {
        V v = values.get(id);
        last = v;
        return v;
    }

    /**
     * Holds the id's current value, not yet written, in place of any held for it.
     *
     * @return the least recently used id and its value when this one made them more than the capacity (no longer held
     *     here; the caller writes it), else null
     */
    Map.Entry<String, V> put(String id, V value) {
        if (value == last
                && value != null) { // held under this id (a value is one id's) and already the most recently used
            return null;
        }
        last = value;
        values.put(id, value);
        if (values.size() <= capacity) {
            return null;
        }
        Iterator<Map.Entry<String, V>> eldest = values.entrySet().iterator();
        Map.Entry<String, V> e = eldest.next();
        eldest.remove();
        return e;
    }

    /**
     * @return the id's value held here, or null, without making it the most recently used (for tests: a linear scan)
     */
    V peek(String id) {
        for (Map.Entry<String, V> e : values.entrySet()) {
            if (e.getKey().equals(id)) {
                return e.getValue();
            }
        }
        return null;
    }

    /** Forgets the id's value held here, if any (the caller writes or clears the state). */
    void remove(String id) {
        last = null;
        values.remove(id);
    }

    /** Hands every value held here to {@code to}, to write, and forgets them all. */
    void drainTo(Drain<V> to) throws Exception {
        for (Map.Entry<String, V> e : values.entrySet()) {
            to.accept(e.getKey(), e.getValue());
        }
        values.clear();
        last = null;
    }

    /** @return the number of ids whose value is held here */
    int size() {
        return values.size();
    }
}
