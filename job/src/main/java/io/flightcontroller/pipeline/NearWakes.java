package io.flightcontroller.pipeline;

import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The wakes of {@link MeasureByCorrelationId} (and the timers {@link SequenceOperator}'s flink-cep registers for the
 * events it holds) that fall within the events already read (at or before the greatest event
 * time the subtask has seen: mostly an event's own due time, which the watermark passes within the out-of-orderness
 * bound), kept on the heap instead of in Flink's timer service. On RocksDB, the backend Managed Flink runs, every timer
 * registered, deleted or fired is a write to RocksDB and a change to its cached head; a near wake costs a hash map entry
 * and a priority-queue entry. Wakes further ahead (deadlines, releases, de-duplication expiries) stay Flink timers.
 *
 * <p>Not state: the operator moves every near wake into Flink's timer service before each checkpoint's barrier
 * ({@code prepareSnapshotPreBarrier}) and at the end of input, so a checkpoint or savepoint holds the same timers as
 * without this class, and a restore starts with none here. Plain Java: the operator sets the key and registers the
 * timer. The ids' values are held apart from their wakes ({@link HeldValues}).
 *
 * <p>Shape: at most {@code capacity} ids (beyond it the operator registers a Flink timer); per id one map entry and one
 * queue entry (the same object), about 80 bytes besides the id's string. An id's wake that moves or goes leaves its old
 * queue entry behind until it is polled or the queue is rebuilt (when it holds more than twice the ids plus
 * {@value #SLACK}); {@link #pollDue} skips such entries.
 */
final class NearWakes {
    /** Stale queue entries tolerated before a rebuild, besides twice the live ones. */
    static final int SLACK = 1024;

    private final int capacity;
    /** Each id's live wake; the queue holds these same objects and the stale ones. */
    private final Map<String, Wake> at = new HashMap<>();

    private final PriorityQueue<Wake> queue = new PriorityQueue<>();
    private long polledAt;

    /** Receives each wake {@link #drainTo} moves out. */
    interface Drain {
        /**
         * @param id the id
         * @param timeMs its wake's time
         */
        void accept(String id, long timeMs) throws Exception;
    }

    /** @param capacity the most ids held at once */
    NearWakes(int capacity) {
        this.capacity = capacity;
    }

    /** @return whether a wake of the id is held here */
    boolean has(String id) {
        return at.containsKey(id);
    }

    /** @return whether the id's wake at {@code timeMs} is held here */
    boolean holds(String id, long timeMs) {
        Wake w = at.get(id);
        return w != null && w.timeMs == timeMs;
    }

    /**
     * Puts the id's wake here, replacing any it had here.
     *
     * @return false when full (then nothing changed)
     */
    boolean add(String id, long timeMs) {
        if (at.size() >= capacity && !at.containsKey(id)) {
            return false;
        }
        Wake w = new Wake(timeMs, id);
        at.put(id, w);
        queue.add(w);
        if (queue.size() > 2 * at.size() + SLACK) {
            queue.clear();
            queue.addAll(at.values());
        }
        return true;
    }

    /** Forgets the id's wake (its queue entry stays, stale, until polled or rebuilt). */
    void remove(String id) {
        at.remove(id);
    }

    /**
     * Takes the earliest wake at or before the watermark.
     *
     * @return its id (its time: {@link #polledAt()}), or null when none is due
     */
    String pollDue(long watermark) {
        Wake w;
        while ((w = queue.peek()) != null && w.timeMs <= watermark) {
            queue.poll();
            if (at.remove(w.id, w)) { // live (one lookup; a stale entry's id maps to another wake or none)
                polledAt = w.timeMs;
                return w.id;
            }
        }
        return null;
    }

    /** @return the time of the wake {@link #pollDue} last returned */
    long polledAt() {
        return polledAt;
    }

    /** Hands every wake here to {@code to} and forgets them all. */
    void drainTo(Drain to) throws Exception {
        for (Wake w : at.values()) {
            to.accept(w.id, w.timeMs);
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

    /** An id's wake: its time and the id. */
    private static final class Wake implements Comparable<Wake> {
        final long timeMs;
        final String id;

        Wake(long timeMs, String id) {
            this.timeMs = timeMs;
            this.id = id;
        }

        @Override
        public int compareTo(Wake o) {
            int c = Long.compare(timeMs, o.timeMs);
            return c != 0 ? c : id.compareTo(o.id);
        }
    }
}
