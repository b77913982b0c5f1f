package io.flightcontroller.pipeline;

import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The wakes of {@link MeasureByCorrelationId} that fall within the events already read (at or before the greatest event
 * time the subtask has seen: mostly an event's own due time, which the watermark passes within the out-of-orderness
 * bound), kept on the heap instead of in Flink's timer service. On RocksDB, the backend Managed Flink runs, every timer
 * registered, deleted or fired is a write to RocksDB and a change to its cached head; a near wake costs a hash map entry
 * and a priority-queue entry. Wakes further ahead (deadlines, releases, de-duplication expiries) stay Flink timers.
 *
 * <p>Each wake can hold the id's value ({@code V}), so the wake, and an event of the id before it, need not read it
 * back (on RocksDB a read and a deserialization each), and the operator can write it once at the wake instead of at
 * every change before it (on RocksDB a serialization and a write each): a value {@link #hold held} is the id's current
 * value, not yet written to state; the operator writes it when the wake is taken ({@link #pollDue}) or moved out
 * ({@link #drainTo}), and a change that moves the wake away from here writes it at once.
 *
 * <p>Not state: the operator moves every near wake, and writes every value held, into Flink's timer service and keyed
 * state before each checkpoint's barrier ({@code prepareSnapshotPreBarrier}) and at the end of input, so a checkpoint
 * or savepoint holds the same timers and values as without this class, no value held here is changed while a snapshot
 * may still read it (the heap backend's copy-on-write hands out a fresh object after a snapshot), and a restore starts
 * with none here. Plain Java: the operator sets the key and writes the state.
 *
 * <p>Shape: at most {@code capacity} ids (beyond it the operator registers a Flink timer); per id one map entry and one
 * queue entry (the same object), about 80 bytes besides the id's string and its value, which the id's records and
 * state already hold (on RocksDB the value held is the one deserialized copy of it on the heap until the wake). An
 * id's wake that moves or goes leaves its old queue entry behind, without its value, until it is polled or the queue
 * is rebuilt (when it holds more than twice the ids plus {@value #SLACK}); {@link #pollDue} skips such entries.
 */
final class NearWakes<V> {
    /** Stale queue entries tolerated before a rebuild, besides twice the live ones. */
    static final int SLACK = 1024;

    private final int capacity;
    /** Each id's live wake; the queue holds these same objects and the stale ones. */
    private final Map<String, Wake<V>> at = new HashMap<>();

    private final PriorityQueue<Wake<V>> queue = new PriorityQueue<>();
    private long polledAt;
    private V polledValue;

    /** Receives each wake {@link #drainTo} moves out. */
    interface Drain<V> {
        /**
         * @param id the id
         * @param timeMs its wake's time
         * @param held its value not yet written, or null when it has none here
         */
        void accept(String id, long timeMs, V held) throws Exception;
    }

    /** @param capacity the most ids held at once */
    NearWakes(int capacity) {
        this.capacity = capacity;
    }

    /** @return whether the id's wake at {@code timeMs} is held here */
    boolean holds(String id, long timeMs) {
        Wake<V> w = at.get(id);
        return w != null && w.timeMs == timeMs;
    }

    /** @return the value held with the id's wake (its current value, not yet written), or null when none is held */
    V value(String id) {
        Wake<V> w = at.get(id);
        return w == null ? null : w.value;
    }

    /** Holds the id's current value, not yet written to state, with its wake here (which it must have). */
    void hold(String id, V value) {
        at.get(id).value = value;
    }

    /**
     * Puts the id's wake here, replacing any it had here, without a value: {@link #hold} gives it one.
     *
     * @return false when full (then nothing changed)
     */
    boolean add(String id, long timeMs) {
        if (at.size() >= capacity && !at.containsKey(id)) {
            return false;
        }
        Wake<V> w = new Wake<>(timeMs, id);
        forget(at.put(id, w));
        queue.add(w);
        if (queue.size() > 2 * at.size() + SLACK) {
            queue.clear();
            queue.addAll(at.values());
        }
        return true;
    }

    /** Forgets the id's wake and any value held with it (the caller writes the value). */
    void remove(String id) {
        forget(at.remove(id));
    }

    /** A wake no longer live stays queued until polled or rebuilt: without a value, which it must not keep alive. */
    private static <V> void forget(Wake<V> stale) {
        if (stale != null) {
            stale.value = null;
        }
    }

    /**
     * Takes the earliest wake at or before the watermark.
     *
     * @return its id (its time: {@link #polledAt()}, the value held with it, which the caller now writes:
     *     {@link #polledValue()}), or null when none is due
     */
    String pollDue(long watermark) {
        Wake<V> w;
        while ((w = queue.peek()) != null && w.timeMs <= watermark) {
            queue.poll();
            if (at.remove(w.id, w)) { // live (one lookup; a stale entry's id maps to another wake or none)
                polledAt = w.timeMs;
                polledValue = w.value;
                return w.id;
            }
        }
        polledValue = null;
        return null;
    }

    /** @return the time of the wake {@link #pollDue} last returned */
    long polledAt() {
        return polledAt;
    }

    /** @return the value held with the wake {@link #pollDue} last returned, null when none was */
    V polledValue() {
        return polledValue;
    }

    /** Hands every wake here, with its value held (to write), to {@code to} and forgets them all. */
    void drainTo(Drain<V> to) throws Exception {
        for (Wake<V> w : at.values()) {
            to.accept(w.id, w.timeMs, w.value);
        }
        at.clear();
        queue.clear();
    }

    /** @return the number of ids whose wake is held here */
    int size() {
        return at.size();
    }

    /** @return the queue's entries, stale ones included (for tests: at most twice {@link #size} plus {@link #SLACK}) */
    int queued() {
        return queue.size();
    }

    /** An id's wake: its time, the id, and its value not yet written while the wake is live. */
    private static final class Wake<V> implements Comparable<Wake<V>> {
        final long timeMs;
        final String id;
        V value;

        Wake(long timeMs, String id) {
            this.timeMs = timeMs;
            this.id = id;
        }

        @Override
        public int compareTo(Wake<V> o) {
            int c = Long.compare(timeMs, o.timeMs);
            return c != 0 ? c : id.compareTo(o.id);
        }
    }
}
