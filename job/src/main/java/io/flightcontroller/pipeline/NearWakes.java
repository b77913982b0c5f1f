package io.flightcontroller.pipeline;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Wakes kept on the heap instead of in Flink's timer service: the earliest wakes of {@link MeasureByCorrelationId}'s
 * ids (deadlines, releases and de-duplication expiries as well as an event's own due time), and the timers
 * {@link SequenceOperator}'s flink-cep registers for the events it holds (at or before the greatest event time the
 * subtask has seen: the watermark passes them within the out-of-orderness bound). On RocksDB, the backend Managed Flink
 * runs, every timer registered, deleted or fired is a write to RocksDB and a change to its cached head; a wake here
 * costs a hash map entry and one or two priority-queue entries, and a wake that moves or goes before it fires (a
 * deadline met, a release put off by a later event) costs no write at all.
 *
 * <p>Not state: the operator moves every wake here into Flink's timer service before each checkpoint's barrier
 * ({@code prepareSnapshotPreBarrier}) and at the end of input, so a checkpoint or savepoint holds the same timers as
 * without this class, and a restore starts with none here. Plain Java: the operator sets the key and registers the
 * timer. The ids' values are held apart from their wakes ({@link HeldValues}).
 *
 * <p>Shape: at most {@code capacity} ids. Beyond it {@link #add} refuses a new id, and {@link #move} hands the
 * latest wake here to the operator (which registers it as a Flink timer) when the new one is earlier, so what stays
 * here is the earliest wakes, those likeliest to fire or move before the next checkpoint. Per id one map entry and one
 * queue entry per order kept (the same object), about 90 bytes (110 with eviction) besides the id's string. An id's
 * wake that moves or goes leaves its old queue entries behind, flagged stale, until they are polled or a queue drops them
 * (when it holds more than twice the ids plus {@value #SLACK}); {@link #pollDue} and {@link #move} skip such entries
 * without a look-up.
 */
final class NearWakes {
    /** Stale queue entries tolerated before a queue drops them, besides twice the live ones. */
    static final int SLACK = 1024;

    private final int capacity;
    /** Each id's live wake; the queue holds these same objects and the stale ones. */
    private final Map<String, Wake> at = new HashMap<>();

    /** The entries earliest first. */
    private final Heap queue = new Heap(false);
    /** The same entries latest first, for {@link #move} (null: never evicts). */
    private final Heap latest;

    private long polledAt;

    /** {@link #move}'s result: the id had a wake here. */
    static final int OLD_HELD = 1;
    /** {@link #move}'s result: the id's new wake is held here. */
    static final int NEW_HELD = 2;

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
        this(capacity, false);
    }

    /**
     * @param capacity the most ids held at once
     * @param evicting whether {@link #move} is used (keeps the wakes latest first too)
     */
    NearWakes(int capacity, boolean evicting) {
        this.capacity = capacity;
        this.latest = evicting ? new Heap(true) : null;
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
        gone(at.put(id, w));
        enqueue(w);
        return true;
    }

    /**
     * Moves the id's wake here to {@code timeMs} ({@code Long.MAX_VALUE}: the id has none), whether or not it had one
     * here; when full and the latest wake here is later than {@code timeMs}, that one leaves to {@code evicted} (only
     * for a set made with {@code evicting}). One map operation when the id had a wake here or there is room, as against
     * a remove, a look-up and a put: in the benchmark's profile the look-ups of ids were about a sixth of the per-id
     * task.
     *
     * @return {@link #OLD_HELD} when the id had a wake here (else any it had is the caller's, a Flink timer), or-ed with
     *     {@link #NEW_HELD} when its wake at {@code timeMs} is held here (else the caller's: when full and no wake here
     *     is later, then nothing else changed)
     */
    int move(String id, long timeMs, Drain evicted) throws Exception {
        if (latest == null) {
            throw new IllegalStateException("this set of wakes was made without eviction");
        }
        if (timeMs == Long.MAX_VALUE) {
            return gone(at.remove(id)) ? OLD_HELD : 0;
        }
        Wake w = new Wake(timeMs, id);
        Wake old = at.put(id, w);
        gone(old);
        if (old == null && at.size() > capacity) {
            Wake last;
            while ((last = latest.peek()) != null && last.timeMs > timeMs) {
                latest.poll();
                if (!last.stale) {
                    gone(at.remove(last.id));
                    evicted.accept(last.id, last.timeMs);
                    break;
                }
            }
            if (last == null || last.timeMs <= timeMs) { // no wake here is later: the new one is not held
                at.remove(id); // the new wake, in no queue yet
                return 0;
            }
        }
        enqueue(w);
        return old != null ? OLD_HELD | NEW_HELD : NEW_HELD;
    }

    /** Puts a wake just made live in the queues, which drop their stale entries beyond twice the live plus SLACK. */
    private void enqueue(Wake w) {
        queue.add(w);
        if (latest != null) {
            latest.add(w);
        }
        int most = 2 * at.size() + SLACK;
        if (queue.size() > most) {
            queue.dropStale();
        }
        if (latest != null && latest.size() > most) {
            latest.dropStale();
        }
    }

    /**
     * Forgets the id's wake (its queue entries stay, stale, until polled or dropped).
     *
     * @return whether it had one here
     */
    boolean remove(String id) {
        return gone(at.remove(id));
    }

    /**
     * Takes the earliest wake at or before the watermark.
     *
     * @return its id (its time: {@link #polledAt()}), or null when none is due
     */
    String pollDue(long watermark) {
        while (queue.size() > 0 && queue.peekTime() <= watermark) {
            Wake w = queue.poll();
            if (!w.stale) { // live: no look-up for a stale entry
                gone(at.remove(w.id));
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
        if (latest != null) {
            latest.clear();
        }
    }

    /** @return the number of ids whose wake is held here */
    int size() {
        return at.size();
    }

    /**
     * @return the larger queue's entries, stale ones included (for tests: after an add at most twice {@link #size} plus
     *     {@link #SLACK})
     */
    int queued() {
        return Math.max(queue.size(), latest == null ? 0 : latest.size());
    }

    /**
     * Marks a wake that left {@link #at} (replaced, removed, polled or evicted) stale, so that its queue entries are
     * skipped and dropped without a look-up.
     *
     * @param w the wake that left, or null
     * @return whether there was one
     */
    private static boolean gone(Wake w) {
        if (w == null) {
            return false;
        }
        w.stale = true;
        return true;
    }

    /** An id's wake: its time and the id, stale once it is no longer the id's wake in {@link #at}. */
    private static final class Wake {
        final long timeMs;
        final String id;
        boolean stale;

        Wake(long timeMs, String id) {
            this.timeMs = timeMs;
            this.id = id;
        }
    }

    /**
     * A binary heap of wakes, earliest first, or latest first (keyed by {@code ~time}, which reverses the order of
     * every time, {@code Long.MIN_VALUE} and {@code MAX_VALUE} included). The keys are in a primitive array beside the
     * wakes, so a comparison reads no object: with {@link java.util.PriorityQueue} of wakes, reaching each compared
     * wake's time was about a third of this class's cost in the benchmark's profile. Wakes of equal times come out in
     * an order fixed by the calls made, not by id.
     */
    private static final class Heap {
        private final boolean latestFirst;
        private long[] keys = new long[16];
        private Wake[] wakes = new Wake[16];
        private int size;

        Heap(boolean latestFirst) {
            this.latestFirst = latestFirst;
        }

        int size() {
            return size;
        }

        /** @return the time of the first wake (only when not empty) */
        long peekTime() {
            return latestFirst ? ~keys[0] : keys[0];
        }

        /** @return the first wake, or null when empty */
        Wake peek() {
            return size == 0 ? null : wakes[0];
        }

        void add(Wake w) {
            long key = latestFirst ? ~w.timeMs : w.timeMs;
            if (size == keys.length) {
                keys = Arrays.copyOf(keys, 2 * size);
                wakes = Arrays.copyOf(wakes, 2 * size);
            }
            int i = size++;
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                if (keys[parent] <= key) {
                    break;
                }
                keys[i] = keys[parent];
                wakes[i] = wakes[parent];
                i = parent;
            }
            keys[i] = key;
            wakes[i] = w;
        }

        /** @return the first wake, removed (only when not empty) */
        Wake poll() {
            Wake top = wakes[0];
            int n = --size;
            long key = keys[n];
            Wake w = wakes[n];
            wakes[n] = null;
            if (n > 0) {
                siftDown(0, key, w);
            }
            return top;
        }

        /** Puts {@code w} (keyed {@code key}) at {@code i} or below, where the heap order holds below {@code i}. */
        private void siftDown(int i, long key, Wake w) {
            int n = size;
            int half = n >>> 1;
            while (i < half) {
                int child = 2 * i + 1;
                if (child + 1 < n && keys[child + 1] < keys[child]) {
                    child++;
                }
                if (key <= keys[child]) {
                    break;
                }
                keys[i] = keys[child];
                wakes[i] = wakes[child];
                i = child;
            }
            keys[i] = key;
            wakes[i] = w;
        }

        void clear() {
            Arrays.fill(wakes, 0, size, null);
            size = 0;
        }

        /**
         * Drops the stale entries and restores the heap order (Floyd's bottom-up construction): linear in the entries,
         * and it reads only this heap's arrays and the wakes' flags, not the map of live wakes.
         */
        void dropStale() {
            int n = 0;
            for (int i = 0; i < size; i++) {
                if (!wakes[i].stale) {
                    keys[n] = keys[i];
                    wakes[n++] = wakes[i];
                }
            }
            Arrays.fill(wakes, n, size, null);
            size = n;
            for (int i = (n >>> 1) - 1; i >= 0; i--) {
                siftDown(i, keys[i], wakes[i]);
            }
        }
    }
}
