package io.flightcontroller.pipeline;

import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.ObjLongConsumer;

/**
 * The wakes of {@link MeasureByCorrelationId} that fall within the events already read (at or before the greatest event
 * time the subtask has seen: mostly an event's own due time, which the watermark passes within the out-of-orderness
 * bound), kept on the heap instead of in Flink's timer service. On RocksDB, the backend Managed Flink runs, every timer
 * registered, deleted or fired is a write to RocksDB and a change to its cached head; a near wake costs a hash map entry
 * and a priority-queue entry. Wakes further ahead (deadlines, releases, de-duplication expiries) stay Flink timers.
 *
 * <p>Not state: the operator moves every near wake into Flink's timer service before each checkpoint's barrier
 * ({@code prepareSnapshotPreBarrier}), so a checkpoint or savepoint holds the same timers as without this class, and a
 * restore starts with none here. Plain Java: the operator sets the key and reads the state.
 *
 * <p>Shape: at most {@code capacity} ids (beyond it the operator registers a Flink timer); per id one map entry and one
 * queue entry, about 80 bytes besides the id's string, which the id's records already hold. An id's wake that moves
 * leaves its old queue entry behind until it is polled or the queue is rebuilt (when it holds more than twice the ids
 * plus {@value #SLACK}); {@link #pollDue} skips such entries.
 */
final class NearWakes {
    /** Stale queue entries tolerated before a rebuild, besides twice the live ones. */
    static final int SLACK = 1024;

    private final int capacity;
    private final Map<String, Long> at = new HashMap<>();
    private final PriorityQueue<Wake> queue = new PriorityQueue<>();
    private long polledAt;

    /** @param capacity the most ids held at once */
    NearWakes(int capacity) {
        this.capacity = capacity;
    }

    /** @return whether the id's wake at {@code timeMs} is held here */
    boolean holds(String id, long timeMs) {
        Long t = at.get(id);
        return t != null && t == timeMs;
    }

    /**
     * Holds the id's wake, replacing any it had here.
     *
     * @return false when full (then nothing changed)
     */
    boolean add(String id, long timeMs) {
        if (at.size() >= capacity && !at.containsKey(id)) {
            return false;
        }
        at.put(id, timeMs);
        queue.add(new Wake(timeMs, id));
        if (queue.size() > 2 * at.size() + SLACK) {
            queue.clear();
            at.forEach((k, t) -> queue.add(new Wake(t, k)));
        }
        return true;
    }

    /** Forgets the id's wake. */
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
            if (holds(w.id, w.timeMs)) {
                at.remove(w.id);
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

    /** Hands every wake held to {@code to} (id, time) and forgets them all. */
    void drainTo(ObjLongConsumer<String> to) {
        at.forEach(to::accept);
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
