package io.flightcontroller.pipeline;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The values of the ids {@link MeasureByCorrelationId} worked on last, held on the heap in front of its keyed state: an
 * id's value is read from state once, changed here by every event and wake of the id after that, and written once, when
 * the id is the least recently used of more than {@code capacity} ({@link #put} hands it back to write) or before the
 * next checkpoint's barrier or at the end of input ({@link #flush}, {@link #drainTo}), instead of at every change. On
 * RocksDB, the backend Managed Flink runs, each read is a {@code get} and a deserialization and each write a
 * serialization and a {@code put}; in the benchmark's workload an id's second event comes a median 30 minutes of event
 * time (about 5,400 lines) after its first, within the ids the default capacity holds.
 *
 * <p>Each value held is dirty (changed since it was read or last written) or clean (equal to the id's value in state):
 * {@link #put} makes it dirty; {@link #flush} writes the dirty ones and keeps them all, clean; a clean value leaves
 * without a write. A value is written at most once per checkpoint interval and once as it leaves, so the writes before
 * a barrier are at most the ids changed since the last one, whatever the capacity.
 *
 * <p>Not state: the operator writes every dirty value held here before each checkpoint's barrier
 * ({@code prepareSnapshotPreBarrier}) and at the end of input, so a checkpoint or savepoint holds the same values as an
 * operator that writes every change through, and a restore starts with none here. On RocksDB the values stay held,
 * clean ({@link #flush}): each is the operator's own deserialized copy, which nothing else reads. On the heap backend,
 * where a value held is the state's own object, they are forgotten ({@link #drainTo}), so that no object held here spans
 * a snapshot (copy-on-write hands out a fresh one after it). Plain Java: the operator sets the key and writes the state.
 *
 * <p>Shape: at most {@code capacity} ids, least recently used first out; per id a linked hash map entry and a slot
 * (about 80 bytes) besides the id's string and its value: on RocksDB the one deserialized copy of it (its buffered
 * events, case states and up to 64 de-duplication keys as Java objects; measured in the benchmark's two-lead-time
 * workload, entry and slot included: 363 bytes a value with 118,331 held, 495 with 32,768; `benchmark/README.md`,
 * "Results: 2026-12-03, midday"), on the heap backend the state's own object.
 */
final class HeldValues<V> {
    private final int capacity;
    /** Access order: the least recently used id first. */
    private final LinkedHashMap<String, Slot<V>> values = new LinkedHashMap<>(1024, 0.75f, true);
    /**
     * Null, or the slot of the most recently used id (the last {@link #get} found or {@link #put} held): putting its
     * value again only makes it dirty, so {@link #put} skips the look-up. An id's event or wake gets its value and puts
     * it back.
     */
    private Slot<V> last;

    /** Receives each value {@link #flush} and {@link #drainTo} hand out to write. */
    interface Drain<V> {
        /**
         * @param id the id
         * @param value its value, not yet written
         */
        void accept(String id, V value) throws Exception;
    }

    /** An id's value and whether it changed since it was read or last written. */
    private static final class Slot<V> {
        final V value;
        boolean dirty = true;

        Slot(V value) {
            this.value = value;
        }
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
        Slot<V> s = values.get(id);
        last = s;
        return s == null ? null : s.value;
    }

    /**
     * Holds the id's current value, changed and not yet written, in place of any held for it.
     *
     * @return the least recently used id and its value when this one made them more than the capacity and that value
     *     is dirty (no longer held here; the caller writes it), else null (a clean one leaves without a write)
     */
    Map.Entry<String, V> put(String id, V value) {
        if (last != null && last.value == value) { // held under this id (a value is one id's), used last
            last.dirty = true;
            return null;
        }
        last = new Slot<>(value);
        values.put(id, last);
        if (values.size() <= capacity) {
            return null;
        }
        Iterator<Map.Entry<String, Slot<V>>> eldest = values.entrySet().iterator();
        Map.Entry<String, Slot<V>> e = eldest.next();
        eldest.remove();
        return e.getValue().dirty ? Map.entry(e.getKey(), e.getValue().value) : null;
    }

    /**
     * @return the id's value held here, or null, without making it the most recently used (for tests: a linear scan)
     */
    V peek(String id) {
        for (Map.Entry<String, Slot<V>> e : values.entrySet()) {
            if (e.getKey().equals(id)) {
                return e.getValue().value;
            }
        }
        return null;
    }

    /** @return whether the id's value held here is dirty (for tests: a linear scan; false when none is held) */
    boolean dirty(String id) {
        for (Map.Entry<String, Slot<V>> e : values.entrySet()) {
            if (e.getKey().equals(id)) {
                return e.getValue().dirty;
            }
        }
        return false;
    }

    /** Forgets the id's value held here, if any (the caller writes or clears the state). */
    void remove(String id) {
        last = null;
        values.remove(id);
    }

    /** Hands every dirty value held here to {@code to}, to write, and keeps them all, clean. */
    void flush(Drain<V> to) throws Exception {
        for (Map.Entry<String, Slot<V>> e : values.entrySet()) {
            Slot<V> s = e.getValue();
            if (s.dirty) {
                to.accept(e.getKey(), s.value);
                s.dirty = false;
            }
        }
    }

    /** Hands every dirty value held here to {@code to}, to write, and forgets them all. */
    void drainTo(Drain<V> to) throws Exception {
        for (Map.Entry<String, Slot<V>> e : values.entrySet()) {
            if (e.getValue().dirty) {
                to.accept(e.getKey(), e.getValue().value);
            }
        }
        values.clear();
        last = null;
    }

    /** @return the number of ids whose value is held here */
    int size() {
        return values.size();
    }
}
