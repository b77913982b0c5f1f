package io.flightcontroller.pipeline;

import io.flightcontroller.domain.Outcome;
import io.flightcontroller.domain.engine.CaseState;
import io.flightcontroller.domain.engine.MeasureMachine;
import io.flightcontroller.domain.event.ProcessEvent;
import io.flightcontroller.domain.measure.KindRules;
import io.flightcontroller.domain.measure.MeasureDefinition;
import io.flightcontroller.domain.measure.MeasuresConfig;
import io.flightcontroller.domain.result.Alert;
import io.flightcontroller.domain.result.Measurement;
import io.flightcontroller.domain.result.OpenCase;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;

/**
 * The per-correlation-id layout ({@link PipelineOptions.StateLayout#PER_CORRELATION_ID}): one keyed operator, keyed by
 * correlation id, that does what {@link DedupAndRoute} and {@link MeasureFunction} do one after the other in the
 * per-measure layout, for every state-machine measure whose case key includes the correlation id (all the events of
 * such a case share one correlation id). Events of the other measures (a case key of payload fields only, sequences)
 * leave on {@link #ELSEWHERE} as {@link RoutedEvent}s, exactly as {@link DedupAndRoute} would have routed them.
 *
 * <p>Shape: per event at most one read and one write of {@link CorrelationCases} (fewer while the id's value is held:
 * {@link HeldValues}) and at most one timer change, instead of one read and write for de-duplication, a serialized hand-over to another task, and per measure the event feeds another
 * read, write and timer. The same rules decide every result: duplicates and late events as {@link DedupAndRoute},
 * buffering, deadlines, late corrections and release as {@link MeasureFunction}, and each output record carries the
 * timestamp the per-measure layout gives it (the event's, or the time of the case's own wake-up), so the two layouts
 * write the same rows ({@code StateLayoutEquivalenceTest}). The remembered keys do not wake the id at each distinct
 * expiry, as {@link DedupAndRoute}'s clean-up timer does: a key counts as forgotten as soon as that timer would have
 * dropped it ({@link #remembers}), storage is cleaned whenever the id wakes or an event finds the clean-up due, and the
 * id wakes for its keys only when the last of them expires and no case of it wakes later
 * ({@link CorrelationCases#wakeUpMs}). The same holds for a finished case's release (its retention passed): the id
 * does not wake for each (two measures finishing apart cost one wake, not two; and one read and write of the value on
 * RocksDB); a released case still stored is dropped by the next event or wake ({@link #dropReleased}), and the machine
 * judges a later event by the release time, not by whether the case is still stored
 * ({@code MeasureMachine#releasedAt}). The earliest {@link #NEAR_WAKES} ids' wakes are held on the heap
 * ({@link NearWakes}) rather than as Flink timers (an event's own due time, and the deadlines, releases and expiries
 * that come due or move before the next checkpoint: a deadline met, a release put off by the next event), and the
 * values of the ids worked on last are held on the heap ({@link HeldValues}): read once, written when the id leaves
 * them changed, instead of at each event and wake; before each checkpoint's barrier and at the end of input the wakes
 * move into the timer service and the values held that changed since they were read or last written are written (on
 * RocksDB they stay held, clean, after a barrier): on RocksDB each timer registered, deleted and fired, and each value
 * read or written, is an access to RocksDB.
 *
 * <p>When a bounded input ends, reports the cases still open, as {@link MeasureOperator} does, and then sends the
 * final watermark, which the operators downstream of {@link #ELSEWHERE} hold back until their own input ends.
 */
final class MeasureByCorrelationId extends AbstractStreamOperator<Measurement>
        implements OneInputStreamOperator<ProcessEvent, Measurement>,
                Triggerable<String, VoidNamespace>,
                BoundedOneInput,
                CorrelationCases.Releases {
    private static final long serialVersionUID = 1L;

    /**
     * The most ids whose wake {@link NearWakes} holds per subtask; beyond it the latest wakes are timers. Each costs
     * about 110 bytes besides the id's string, and its queues may hold up to as many stale entries again (24 bytes
     * each) before they drop them, so about 4-5 MiB per subtask at the cap; before each barrier as many
     * timers registered at most. In the benchmark's two-lead-time row (200,000 cases, p=1, RocksDB) holding the
     * earliest wakes of every kind, not only those within the events read, took the Flink timers registered, deleted
     * and fired from 1,156,304 to 482,524 (`benchmark/README.md`, "Results: 2026-12-03, morning").
     */
    static final int NEAR_WAKES = 32_768;

    /**
     * The most ids whose value {@link HeldValues} holds per subtask on RocksDB. Each is its value's deserialized copy:
     * in the benchmark's two-lead-time workload 363 to 495 bytes a value with its map entry (measured), so about 23 to
     * 31 MiB of heap per subtask at the cap; a few KiB for a value with many buffered events or large payloads. In that
     * workload (200,000 cases, p=1, no checkpoints) the per-id operator alone took 10.6 µs per event with 32,768, 8.4
     * with 65,536 and 5.7 with 131,072, which holds every id open at once there (118,331 at the most): fewer reads back
     * and writes of ids that left (`benchmark/README.md`, "Results: 2026-12-03, midday").
     */
    static final int HELD_VALUES = 65_536;

    /**
     * The most ids whose value {@link HeldValues} holds per subtask on the heap backend, where a value held is the
     * state's own object and a read from state is a hash lookup, not a deserialization: enough for an id's events
     * within the out-of-orderness bound and its near wake, small enough to stay in the processor's caches. With
     * 32,768 there (RocksDB's room then), the benchmark's heap row took 17 % more CPU per event (`benchmark/README.md`,
     * "Results: 2026-12-02, afternoon").
     */
    static final int HELD_VALUES_HEAP = 1_024;

    /** Name of the per-id value state. */
    static final String STATE_NAME = "correlation-cases";
    /** Events of the measures this operator does not hold, routed as the per-measure layout routes them. */
    static final OutputTag<RoutedEvent> ELSEWHERE = new OutputTag<>("routed-elsewhere", RoutedEvent.TYPE);

    private static final ValueStateDescriptor<CorrelationCases> STATE =
            new ValueStateDescriptor<>(STATE_NAME, CorrelationCases.TYPE);

    private final MeasuresConfig measures;
    private final long dedupRetentionMs;
    private final long retentionMs;
    /** False: never hold values, whatever the backend (for tests: the reference a held value must match). */
    private boolean holdValues = true;
    /** The most ids whose value is held, 0 for the backend's default (smaller in tests, to make ids leave often). */
    private int heldValues;
    /** The most ids whose wake is held on the heap ({@link #NEAR_WAKES}; in tests fewer, or 0 for none). */
    private int nearCapacity = NEAR_WAKES;

    private transient Map<String, MeasureMachine> machines;
    /** The machine of each measure by its index in the measures file (null for one not held): per event, no lookup. */
    private transient MeasureMachine[] machineAt;

    private transient boolean[] held;
    private transient ValueState<CorrelationCases> state;
    private transient MapState<Long, Long> spilled;
    private transient InternalTimerService<VoidNamespace> timers;
    /** The earliest id wakes, of any kind, on the heap; moved into {@link #timers} before each checkpoint. */
    private transient NearWakes near;
    /** The values of the ids worked on last, not yet written (null when values are not held). */
    private transient HeldValues<CorrelationCases> values;
    /**
     * Whether values are held ({@link #values}) instead of read and written at each event and wake: on RocksDB, where a
     * read deserializes and a write serializes, and on the heap backend, where a read is a lookup in a large hash map
     * (a cache miss or more per read; reads of the value were 18 % of the measuring task's samples at p=2 in the
     * benchmark's profile of 2026-12-02, midday). Not on any other backend: the changelog backend materializes the
     * heap's objects without {@code prepareSnapshotPreBarrier}, so an object held across its snapshot could change
     * while it is written out. On the heap backend no held object spans a snapshot: the write before the barrier
     * empties {@link HeldValues}, and copy-on-write gives out a fresh object after it.
     */
    private transient boolean useHeldValues;
    /**
     * Whether the values held stay held once written before a barrier: on RocksDB, where a value held is the
     * operator's own deserialized copy, so after a checkpoint an id's next event or wake reads none back and the next
     * barrier writes only the values changed since. Not on the heap backend, where it is the state's own object.
     */
    private transient boolean keepWritten;

    private transient PipelineCounters counters;
    private transient Out out;
    private transient volatile long lastWatermark;
    private transient volatile long maxEventTime;

    MeasureByCorrelationId(MeasuresConfig measures, long dedupRetentionMs, long retentionMs) {
        this.measures = measures;
        this.dedupRetentionMs = dedupRetentionMs;
        this.retentionMs = retentionMs;
    }

    /**
     * For tests: every change written through and every read from state, as on a backend where values are not held.
     *
     * @return this
     */
    MeasureByCorrelationId writingThrough() {
        holdValues = false;
        return this;
    }

    /**
     * For tests: holds the values of at most {@code ids} ids, so that ids leave the values held (and are written) often.
     *
     * @return this
     */
    MeasureByCorrelationId holdingValuesOfAtMost(int ids) {
        heldValues = ids;
        return this;
    }

    /**
     * For tests: holds the wakes of at most {@code ids} ids on the heap (0: every wake a Flink timer), so that wakes
     * move into the timer service often.
     *
     * @return this
     */
    MeasureByCorrelationId holdingWakesOfAtMost(int ids) {
        nearCapacity = ids;
        return this;
    }

    /**
     * @param d a measure
     * @return whether the per-correlation-id operator holds its cases: a state-machine measure whose case key includes
     *     the correlation id
     */
    static boolean holds(MeasureDefinition d) {
        return d.getKind().rules().engine() != KindRules.Engine.CEP
                && d.getKey().contains(MeasureDefinition.KEY_CORRELATION_ID);
    }

    /** @return whether some measure's events leave on {@link #ELSEWHERE} */
    static boolean routesElsewhere(MeasuresConfig measures) {
        for (MeasureDefinition d : measures.getMeasures()) {
            if (!holds(d)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void open() throws Exception {
        super.open();
        List<MeasureDefinition> defs = measures.getMeasures();
        machines = new HashMap<>();
        held = new boolean[defs.size()];
        machineAt = new MeasureMachine[defs.size()];
        for (int i = 0; i < defs.size(); i++) {
            MeasureDefinition d = defs.get(i);
            held[i] = holds(d);
            if (held[i]) {
                machineAt[i] = new MeasureMachine(d, retentionMs);
                machines.put(d.getName(), machineAt[i]);
            }
        }
        state = getRuntimeContext().getState(STATE);
        spilled = getRuntimeContext()
                .getMapState(new MapStateDescriptor<>(DedupAndRoute.SPILLED_STATE, Types.LONG, Types.LONG));
        timers = getInternalTimerService("user-timers", VoidNamespaceSerializer.INSTANCE, this);
        near = new NearWakes(nearCapacity, true);
        String backend = getKeyedStateBackend().getClass().getSimpleName();
        useHeldValues =
                holdValues && (backend.equals("RocksDBKeyedStateBackend") || backend.equals("HeapKeyedStateBackend"));
        int room = heldValues > 0
                ? heldValues
                : backend.equals("RocksDBKeyedStateBackend") ? HELD_VALUES : HELD_VALUES_HEAP;
        values = useHeldValues ? new HeldValues<>(room) : null;
        keepWritten = backend.equals("RocksDBKeyedStateBackend");
        counters = new PipelineCounters(getRuntimeContext());
        out = new Out();
        lastWatermark = Long.MIN_VALUE;
        maxEventTime = Long.MIN_VALUE;
        getMetricGroup()
                .gauge(
                        "watermarkLagMs",
                        () -> lastWatermark == Long.MIN_VALUE ? -1L : System.currentTimeMillis() - lastWatermark);
        getMetricGroup()
                .gauge("eventTimeLagMs", () -> lastWatermark == Long.MIN_VALUE ? -1L : maxEventTime - lastWatermark);
    }

    /**
     * Wakes the ids whose near wake the watermark has passed, then lets Flink fire its timers and forward the
     * watermark: every wake at or before it has run before the watermark leaves, as with timers alone. The wakes run
     * with the new watermark, which the timer service only takes inside {@code super.processWatermark}: a wake reads
     * no other watermark than the one it is given, and sets its next wake after it.
     */
    @Override
    public void processWatermark(Watermark mark) throws Exception {
        long watermark = mark.getTimestamp();
        lastWatermark = Math.max(lastWatermark, watermark);
        String id;
        while ((id = near.pollDue(watermark)) != null) {
            setCurrentKey(id);
            CorrelationCases c = read(id);
            if (c != null && c.timerMs == near.polledAt()) { // always: a moved wake leaves NearWakes first
                wake(c, watermark);
            }
        }
        super.processWatermark(mark);
    }

    /**
     * Moves every near wake into Flink's timer service and writes every value held that changed since it was read or
     * last written, so the snapshot that follows holds each id's value and wake exactly as if every change had been
     * written and every wake had been a timer from the start (the value's {@code timerMs} names it), and a restore, at
     * any parallelism, finds them there. On RocksDB the values stay held, clean; on the heap backend they are forgotten
     * ({@link HeldValues}).
     *
     * <p>Shape: on RocksDB as many serializations and writes as ids whose value changed since the last barrier, at most
     * {@link #HELD_VALUES}, and up to {@link #NEAR_WAKES} timers registered, on the task thread before the barrier
     * leaves: at most the writes the held values and near wakes spared since the last checkpoint.
     */
    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        writeHeld(keepWritten);
    }

    /** @param keep whether the values held stay held once written (else they are forgotten) */
    private void writeHeld(boolean keep) throws Exception {
        near.drainTo((id, timeMs) -> {
            setCurrentKey(id);
            timers.registerEventTimeTimer(VoidNamespace.INSTANCE, timeMs);
        });
        if (values != null) {
            HeldValues.Drain<CorrelationCases> writing = (id, c) -> {
                setCurrentKey(id);
                write(c); // not empty: an empty value is cleared at once, not held
            };
            if (keep) {
                values.flush(writing);
            } else {
                values.drainTo(writing);
            }
        }
    }

    /** @return the id's current value: the one held, else the one in state (the key set to {@code id}) */
    private CorrelationCases read(String id) throws Exception {
        CorrelationCases c = values != null ? values.get(id) : null;
        return c != null ? c : state.value();
    }

    @Override
    public void processElement(StreamRecord<ProcessEvent> element) throws Exception {
        ProcessEvent e = element.getValue();
        long watermark = timers.currentWatermark();
        maxEventTime = Math.max(maxEventTime, e.getTimeMs());
        long key = e.getIdentity() != 0 ? e.getIdentity() : e.identityHash();
        CorrelationCases c = read(e.getCorrelationId());
        if (c != null && remembers(c, key, watermark)) {
            counters.inc(PipelineCounters.DUPLICATE);
            return;
        }
        if (c == null) {
            c = new CorrelationCases();
            c.notInState = true;
        }
        boolean late = e.isLate(); // decided (and dead-lettered) at the source by ParseSplitter
        if (c.dedupWakeMs <= watermark && !(c.spilled && late)) {
            // a look at the keys is due: drop what it forgets from storage now, as the value is written anyway (a
            // spilled id's map only before a key is added, which needs the time of the next look)
            forgetKeys(c, watermark);
        }
        dropReleased(c, watermark);
        if (!late) {
            remember(c, key, e.getTimeMs() + dedupRetentionMs, watermark);
        }
        if (!measures.relevantTypes().contains(e.getEventType())) {
            // counted, not dead-lettered: nothing measures it; remembered so its duplicates are counted too
            counters.inc(PipelineCounters.UNKNOWN_TYPE);
            save(c);
            return;
        }
        long ts = element.hasTimestamp() ? element.getTimestamp() : Long.MIN_VALUE;
        CorrelationCases cases = c;
        DedupAndRoute.route(measures, e, (i, d, caseKey, ev) -> {
            if (!held[i]) {
                StreamRecord<RoutedEvent> r = new StreamRecord<>(new RoutedEvent(d.getName(), caseKey, ev, late));
                if (element.hasTimestamp()) {
                    r.setTimestamp(ts);
                }
                output.collect(ELSEWHERE, r);
            } else {
                measure(cases, machineAt[i], d.getName(), caseKey, ev, ts, watermark);
            }
        });
        save(c);
    }

    /** Buffers an event in its case until the watermark passes the time it is due at. */
    private void measure(
            CorrelationCases c,
            MeasureMachine m,
            String measure,
            String caseKey,
            ProcessEvent ev,
            long ts,
            long watermark) {
        int at = c.indexOf(measure, caseKey);
        CaseState s = at >= 0 ? c.state(at) : new CaseState();
        // a late event too waits for the watermark it arrived behind (MeasureMachine#buffer), as in MeasureFunction
        m.buffer(s, ev);
        if (at < 0) {
            at = c.add(measure, caseKey, s);
        }
        long due = MeasureMachine.dueAt(ev);
        if (due <= watermark) {
            // late, with the watermark already at the one it arrived behind: judged now (see MeasureFunction)
            m.advanceTo(caseKey, s, watermark, out.at(ts));
            settle(c, at, m, watermark);
        } else {
            s.timerMs = Math.min(s.timerMs, due);
        }
    }

    /**
     * Whether the id still remembers a key, as {@link DedupAndRoute} would at this point: a key stored is forgotten once
     * a look at the keys has been due ({@code c.dedupWakeMs}, where {@link DedupAndRoute}'s clean-up timer stands, at
     * or behind the watermark) and the watermark is at its expiry. The look itself ({@link #forgetKeys}) may come later:
     * the id does not wake for it.
     */
    private boolean remembers(CorrelationCases c, long key, long watermark) throws Exception {
        long expiry;
        if (c.spilled) {
            Long stored = spilled.get(key);
            if (stored == null) {
                return false;
            }
            expiry = stored;
        } else {
            int at = DedupAndRoute.indexOf(c.dedup, key);
            if (at < 0) {
                return false;
            }
            expiry = c.dedup[at + 1];
        }
        // a key remembered out of order (expiry before the next look) waits for that look, as in DedupAndRoute
        return expiry > watermark || c.dedupWakeMs > watermark;
    }

    /**
     * Remembers a de-duplication key until {@code expiryMs}, as {@link DedupAndRoute} does: the first key of an id
     * that remembers none sets the next look at the keys (its expiry; when that is not ahead of the watermark, the next
     * watermark, where {@link DedupAndRoute}'s timer registered in the past fires).
     */
    private void remember(CorrelationCases c, long key, long expiryMs, long watermark) throws Exception {
        if (c.spilled) {
            spilled.put(key, expiryMs);
            if (c.dedup != null) {
                c.dedup[0] = Math.max(c.dedup[0], expiryMs);
            }
            return;
        }
        if (c.dedup == null) {
            c.dedup = new long[] {key, expiryMs};
            c.dedupWakeMs = expiryMs > watermark || watermark == Long.MAX_VALUE ? expiryMs : watermark + 1;
        } else if (c.dedup.length / 2 < DedupAndRoute.COMPACT_MAX) {
            c.dedup = DedupAndRoute.withKey(c.dedup, key, expiryMs);
        } else {
            long latest = expiryMs;
            for (int i = 0; i < c.dedup.length; i += 2) {
                spilled.put(c.dedup[i], c.dedup[i + 1]);
                latest = Math.max(latest, c.dedup[i + 1]);
            }
            spilled.put(key, expiryMs);
            c.dedup = new long[] {latest};
            c.spilled = true;
        }
    }

    /**
     * After a case has worked: drops it once its retention has passed the watermark, else sets the time it next has
     * work (as {@link MeasureFunction}'s {@code save}).
     */
    private void settle(CorrelationCases c, int at, MeasureMachine m, long watermark) {
        CaseState s = c.state(at);
        long disposable = m.disposableFrom(s, retentionMs);
        if (disposable <= watermark) {
            c.remove(at);
        } else {
            s.timerMs = Math.min(m.nextDueTime(s), disposable);
        }
    }

    /**
     * Drops the cases whose release the watermark has passed without waking the id ({@link CorrelationCases#wakeUpMs}
     * does not wake it for a release alone while later work or keys remain), as the wake would have: for such a case
     * the machine's {@code advanceTo} has nothing to do and {@link #settle} drops it.
     */
    private void dropReleased(CorrelationCases c, long watermark) {
        for (int i = 0; i < c.size; ) {
            if (c.state(i).timerMs <= watermark && onlyRelease(c, i)) {
                c.remove(i);
            } else {
                i++;
            }
        }
    }

    @Override
    public boolean onlyRelease(CorrelationCases c, int i) {
        MeasureMachine m = machines.get(c.measure(i));
        CaseState s = c.state(i);
        return m != null && !s.hasPending() && m.nextDeadline(s) > s.timerMs;
    }

    /**
     * Keeps one wake at the id's earliest work (held on the heap while it is among the earliest {@link #NEAR_WAKES},
     * else a timer), and stores the value or clears the id. With held values the value is held instead of written:
     * written when the id is the least recently used beyond the room for values ({@link #HELD_VALUES} on RocksDB,
     * {@link #HELD_VALUES_HEAP} on the heap backend) and changed since it was read or last written, or before the next
     * barrier or at the end of input ({@link #writeHeld}), not at each event and wake.
     */
    private void save(CorrelationCases c) throws Exception {
        long wakeUp = c.wakeUpMs(this);
        String id = (String) getCurrentKey();
        if (wakeUp != c.timerMs) {
            // one wake per id: held in near at its timerMs, else a Flink timer there
            int moved = near.move(id, wakeUp, this::registerElsewhere);
            if (c.timerMs != Long.MAX_VALUE && (moved & NearWakes.OLD_HELD) == 0) {
                timers.deleteEventTimeTimer(VoidNamespace.INSTANCE, c.timerMs);
            }
            if (wakeUp != Long.MAX_VALUE && (moved & NearWakes.NEW_HELD) == 0) {
                timers.registerEventTimeTimer(VoidNamespace.INSTANCE, wakeUp);
            }
            c.timerMs = wakeUp;
        }
        if (c.isEmpty()) {
            if (values != null) {
                values.remove(id);
            }
            if (!c.notInState) { // else never written: nothing to delete
                state.clear();
            }
        } else if (values == null) {
            write(c);
        } else {
            Map.Entry<String, CorrelationCases> leaving = values.put(id, c);
            if (leaving != null) { // another id's value, no longer held: written now
                setCurrentKey(leaving.getKey());
                write(leaving.getValue());
                setCurrentKey(id);
            }
        }
    }

    /** Registers the wake of another id (one that leaves {@link #near} for the current id's) as a Flink timer. */
    private void registerElsewhere(String other, long timeMs) throws Exception {
        Object key = getCurrentKey();
        setCurrentKey(other);
        timers.registerEventTimeTimer(VoidNamespace.INSTANCE, timeMs);
        setCurrentKey(key);
    }

    /** Writes the current id's value to state; from then on clearing the id has to delete it. */
    private void write(CorrelationCases c) throws Exception {
        state.update(c);
        c.notInState = false;
    }

    @Override
    public void onEventTime(InternalTimer<String, VoidNamespace> timer) throws Exception {
        CorrelationCases c = read(timer.getKey());
        if (c == null || timer.getTimestamp() != c.timerMs) {
            return;
        }
        wake(c, timers.currentWatermark());
    }

    /** The id's wake (a timer's or a near one's) at {@code watermark}: every case whose time has come advances. */
    private void wake(CorrelationCases c, long watermark) throws Exception {
        c.timerMs = Long.MAX_VALUE; // this wake has happened
        if (c.dedupWakeMs <= watermark) {
            forgetKeys(c, watermark);
        }
        for (int i = 0; i < c.size; ) {
            CaseState s = c.state(i);
            if (s.timerMs > watermark) {
                i++;
                continue;
            }
            long wokeAt = s.timerMs;
            s.timerMs = Long.MAX_VALUE;
            MeasureMachine m = machines.get(c.measure(i));
            if (m == null) {
                // restored from a savepoint of a measures file that had this measure: its state goes, counted
                counters.inc(PipelineCounters.STATE_OF_REMOVED_MEASURE);
                c.remove(i);
                continue;
            }
            m.advanceTo(c.caseKey(i), s, watermark, out.at(wokeAt));
            int before = c.size;
            settle(c, i, m, watermark);
            if (c.size == before) {
                i++;
            }
        }
        save(c);
    }

    /**
     * The look at the keys, once it is due: forgets every remembered key whose expiry the watermark has passed; the
     * next look is at the earliest remaining one (as {@link DedupAndRoute}'s clean-up timer, which fires again at once
     * while that is still behind the watermark). Called when the id wakes for any reason and when an event finds the
     * look due, not at a wake of its own: {@link #remembers} already treats those keys as forgotten.
     */
    private void forgetKeys(CorrelationCases c, long watermark) throws Exception {
        long next = Long.MAX_VALUE;
        if (c.spilled) {
            long latest = Long.MIN_VALUE;
            for (Iterator<Map.Entry<Long, Long>> it = spilled.iterator(); it.hasNext(); ) {
                long expiry = it.next().getValue();
                if (expiry <= watermark) {
                    it.remove();
                } else {
                    next = Math.min(next, expiry);
                    latest = Math.max(latest, expiry);
                }
            }
            if (next == Long.MAX_VALUE) {
                spilled.clear(); // releases the key's map on the heap backend
                c.spilled = false;
                c.dedup = null;
            } else {
                c.dedup = new long[] {latest};
            }
        } else if (c.dedup != null) {
            c.dedup = DedupAndRoute.unexpired(c.dedup, watermark);
            next = DedupAndRoute.earliestExpiry(c.dedup);
        }
        c.dedupWakeMs = next;
    }

    /** @return whether values are held ({@link HeldValues}) instead of written through (for tests) */
    boolean holdsValues() {
        return useHeldValues;
    }

    /** @return the id's value held, maybe not yet written, or null (for tests: the current value) */
    CorrelationCases held(String id) {
        return values == null ? null : values.peek(id);
    }

    /** @return the number of ids whose value is held now (for tests) */
    int heldValues() {
        return values == null ? 0 : values.size();
    }

    /** @return whether the id's wake is held on the heap now, not a Flink timer (for tests) */
    boolean wakeHeld(String id) {
        return near.has(id);
    }

    /** @return the number of ids whose wake is a near one now (for tests: with the timers, one wake per id) */
    int nearWakes() {
        return near.size();
    }

    @Override
    public void onProcessingTime(InternalTimer<String, VoidNamespace> timer) {
        // no processing-time timers
    }

    @Override
    public void endInput() throws Exception {
        writeHeld(false); // the values held are read from state below
        org.apache.flink.runtime.state.KeyedStateBackend<String> backend = getKeyedStateBackend();
        backend.applyToAllKeys(
                VoidNamespace.INSTANCE,
                VoidNamespaceSerializer.INSTANCE,
                STATE,
                (String id, ValueState<CorrelationCases> st) -> {
                    CorrelationCases c = st.value();
                    for (int i = 0; c != null && i < c.size; i++) {
                        endOfCase(c.measure(i), c.caseKey(i), c.state(i));
                    }
                });
        output.emitWatermark(Watermark.MAX_WATERMARK);
    }

    /** As {@link MeasureOperator#endInput()} for one case: buffered events applied, then reported if still open. */
    private void endOfCase(String measure, String caseKey, CaseState s) {
        MeasureMachine m = machines.get(measure);
        if (m == null) {
            return;
        }
        if (s.hasPending()) {
            // events beyond the final watermark: a lone jump ahead that nothing corroborated (arrival order) --
            // applied to their own case only, no other case's deadline moves for them
            long last = Long.MIN_VALUE;
            for (ProcessEvent e : s.pending) {
                last = Math.max(last, MeasureMachine.dueAt(e));
            }
            m.advanceTo(caseKey, s, last, out.at(OWN_TIME));
        }
        OpenCase open = m.openCase(caseKey, s, lastWatermark);
        if (open != null) {
            counters.inc(PipelineCounters.OPEN_AT_END);
            output.collect(SideOutputs.OPEN_CASES, new StreamRecord<>(open, lastWatermark));
        }
    }

    /** For {@link Out#at}: each record stamped with its own time, as {@link MeasureOperator}'s end does. */
    private static final long OWN_TIME = Long.MIN_VALUE + 1;

    /** The listener of every machine call; one instance, pointed at the timestamp of the records it emits. */
    private final class Out extends CountingListener {
        private long timestamp;

        Out() {
            super(counters);
        }

        /**
         * @param timestamp the timestamp of the records (epoch ms; {@link Long#MIN_VALUE} for none; {@link #OWN_TIME}
         *     for each record's own time)
         */
        Out at(long timestamp) {
            this.timestamp = timestamp;
            return this;
        }

        private <T> StreamRecord<T> record(T value, long own) {
            long t = timestamp == OWN_TIME ? own : timestamp;
            return t == Long.MIN_VALUE ? new StreamRecord<>(value) : new StreamRecord<>(value, t);
        }

        @Override
        void emit(Measurement m) {
            output.collect(record(m, m.getEndMs()));
        }

        @Override
        void emit(Alert a) {
            output.collect(SideOutputs.ALERTS, record(a, a.getDeadlineMs()));
        }

        @Override
        void emit(Outcome o) {
            output.collect(SideOutputs.OUTCOMES, record(o, o.getTimeMs()));
        }
    }
}
