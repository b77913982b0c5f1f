package io.flightcontroller.pipeline;

import io.flightcontroller.domain.Outcome;
import io.flightcontroller.domain.engine.CasePhase;
import io.flightcontroller.domain.engine.MeasureMachine;
import io.flightcontroller.domain.engine.SequenceCase;
import io.flightcontroller.domain.engine.SequenceMachine;
import io.flightcontroller.domain.event.ProcessEvent;
import io.flightcontroller.domain.measure.MeasureDefinition;
import io.flightcontroller.domain.result.Alert;
import io.flightcontroller.domain.result.Measurement;
import io.flightcontroller.domain.result.OpenCase;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.cep.EventComparator;
import org.apache.flink.cep.nfa.ComputationState;
import org.apache.flink.cep.nfa.NFAState;
import org.apache.flink.cep.nfa.compiler.NFACompiler;
import org.apache.flink.cep.nfa.sharedbuffer.EventId;
import org.apache.flink.cep.nfa.sharedbuffer.SharedBuffer;
import org.apache.flink.cep.nfa.sharedbuffer.SharedBufferAccessor;
import org.apache.flink.cep.operator.CepOperator;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.InternalTimerServiceImpl;
import org.apache.flink.streaming.api.operators.TimerHeapInternalTimer;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;

/**
 * Runs one sequence measure on Flink CEP: flink-cep's own {@link CepOperator} with the measure's pattern
 * ({@link SequencePattern}) and {@link SequenceMatchFunction}, keyed by case key, plus what a measure needs beyond
 * matching. Flink CEP decides which event is which step and when a {@code within} has passed; this operator hands the
 * results to {@link SequenceMachine} with the case's keyed {@link SequenceCase} and emits what it decides.
 *
 * <p>What it adds to flink-cep 1.20, each for a public failure mode of CEP pipelines:
 * <ul>
 *   <li><b>Hops as they complete.</b> CEP reports only complete matches and timeouts; after each event-time step the
 *       case's partial match (the earliest, read from CEP's state) is handed over when it has reached a new step, so
 *       a hop's lead row is written when the hop completes, also if the sequence never does.</li>
 *   <li><b>Quiet keys.</b> flink-cep registers an event-time timer only for the first-to-last window; a hop's
 *       {@code PREVIOUS_AND_CURRENT} window would time out only when the key receives another event. A timer at the
 *       case's next deadline makes it fire when the key is quiet: CEP sees every event up to the watermark first
 *       (a step at exactly the limit is matched), then the machine decides; a watermark past the deadline has CEP
 *       prune the partial match itself and report it to {@link SequenceMatchFunction}.</li>
 *   <li><b>One sequence per case, no state after it.</b> When the case completes or times out, its CEP state (NFA,
 *       shared buffer, buffered events) and timers are released; later events of the key bypass CEP (a repeated
 *       first step starts nothing; after a timeout the missing steps become corrections). The case's small marker is
 *       kept for {@code caseRetentionMs}, then cleared.</li>
 *   <li><b>Late events.</b> Events flagged late upstream (already dead-lettered and counted) never enter CEP, which
 *       would drop them; they go to the correction rules, judged at the watermark they arrived behind. Anything CEP
 *       still finds late goes to {@link #LATE}.</li>
 *   <li><b>Any watermark granularity.</b> flink-cep processes everything up to the watermark in one call. Where that
 *       would decide differently from smaller steps (a late step held for a watermark the input channels then jump
 *       past; a case that could close and be released within the step), the key is taken through CEP in stages: the
 *       timer service's watermark is set to each stage for its duration (see {@link #staged}). A closed case is
 *       released at its close plus the retention, in event time ({@link SequenceMachine#releasedAt}).</li>
 *   <li><b>End of input.</b> Cases still open are reported on {@link SideOutputs#OPEN_CASES} (a limit at
 *       exactly the last event time still fires), then a final watermark releases downstream windows.</li>
 * </ul>
 * Outputs: {@link Measurement}s (lead rows); {@link SideOutputs#ALERTS},
 * {@link SideOutputs#OUTCOMES}, {@link SideOutputs#OPEN_CASES}, {@link #LATE}.
 *
 * <p>CEP's state is read through three private fields of {@link CepOperator} (its NFA state, event queue and shared
 * buffer), checked when the operator starts: this class is written against flink-cep 1.20. The case, CEP's NFA state
 * and CEP's map states are kept as one value per key ({@link CepPointLookups}): on RocksDB every access is then a
 * point lookup rather than a seek over the deletes of earlier cases, and a key coming back is one read and one write.
 * On RocksDB the values of the keys worked on last are held on the heap ({@link HeldValueState},
 * {@link #HELD_KEYS}), and CEP's timer for each event it holds is a near wake
 * ({@link NearWakes}): a key's event and that timer come seconds of event time apart, and each look at the key's state
 * was a RocksDB read (benchmark README, "Results: 2026-12-02, late afternoon": 30 % less CPU per event on RocksDB).
 */
class SequenceOperator extends CepOperator<RoutedEvent, String, Measurement> implements BoundedOneInput {
    private static final long serialVersionUID = 1L;

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SequenceOperator.class);

    /** Events flink-cep found at or behind its own watermark (never dropped silently: dead-lettered downstream). */
    static final OutputTag<RoutedEvent> LATE = new OutputTag<>("sequence-late", RoutedEvent.TYPE);

    /**
     * The case's name and type; its state is a field of the key's one value ({@link CepPointLookups}). The earlier
     * layout's state of this name (one entry per key) is moved into that value on restore.
     */
    static final ValueStateDescriptor<SequenceCase> CASES = new ValueStateDescriptor<>(
            "sequence-case", io.flightcontroller.serialization.DomainSerializers.SEQUENCE_CASE);

    /**
     * The name of flink-cep's timer service in {@link CepOperator}. The case's own timers go to the same service: a
     * second service could fire before CEP's has seen the watermark, and CEP would judge the case at the old one.
     */
    private static final String CEP_TIMERS = "watermark-callbacks";

    private static final Comparator<ProcessEvent> BY_TIME =
            Comparator.comparingLong(ProcessEvent::getTimeMs).thenComparingLong(ProcessEvent::getSeq);

    /**
     * The most keys per subtask whose value (case, NFA state and CEP maps) is held on the heap on RocksDB
     * ({@link HeldValueState}): a key's event and the timer CEP sets at its time come seconds of event time apart, its
     * next step minutes to hours later. Each key held costs the deserialized copy of its value (a few hundred bytes to
     * a few KiB: the events CEP holds for it), so up to about 30 MiB of heap per subtask at the cap.
     */
    static final int HELD_KEYS = 16_384;

    /** The most keys whose CEP timer {@link NearWakes} holds per subtask; beyond it they are Flink timers. */
    static final int NEAR_WAKES = 32_768;

    private final MeasureDefinition def;
    private final long retentionMs;
    /** The most keys whose values are held on RocksDB, 0 for {@link #HELD_KEYS} (smaller in tests). */
    private int heldKeys;
    /** The most keys whose CEP timer is a near wake ({@link #NEAR_WAKES}; in tests fewer, or 0 for none). */
    private int nearCapacity = NEAR_WAKES;

    private final boolean hasLimits;
    private final SequenceMatchFunction function;

    private long lastWatermark = Long.MIN_VALUE;
    /** The greatest event time this subtask has been given (epoch ms): a CEP timer at or before it is a near wake. */
    private transient long maxEventTime;
    /**
     * The timers flink-cep registers for the events it holds (one at each event's time, which the watermark passes
     * within the out-of-orderness bound), held on the heap rather than in Flink's timer service; moved into it before
     * each checkpoint's barrier.
     */
    private transient NearWakes near;

    private transient SequenceMachine machine;
    private transient PipelineCounters counters;
    /** The case: a field of the key's one value ({@link CepPointLookups#cases}). */
    private transient ValueState<SequenceCase> cases;
    /** Late events that arrived before this operator's watermark reached the one they were late behind. */
    private transient org.apache.flink.api.common.state.ListState<RoutedEvent> lateHeld;

    private transient CepPointLookups pointLookups;
    /** Whether flink-cep is processing the events of a timer ({@link #withoutWindowTimers}). */
    private transient boolean inCepStep;

    private transient ValueState<NFAState> nfaStates;
    private transient MapState<Long, List<RoutedEvent>> queue;
    private transient SharedBuffer<RoutedEvent> buffer;
    private transient InternalTimerService<VoidNamespace> timers;
    private transient List<Callback> callbacks;
    /** The watermark field of the timer service CEP and the case share, set for a stage ({@link #onEventTime}). */
    private transient Field stagedWatermark;

    /** Ties in event time are taken in input order, as {@link MeasureMachine} does. */
    static final class InputOrder implements EventComparator<RoutedEvent> {
        private static final long serialVersionUID = 1L;

        @Override
        public int compare(RoutedEvent a, RoutedEvent b) {
            return Long.compare(a.event.getSeq(), b.event.getSeq());
        }
    }

    /** A match or timeout reported by CEP during one event-time step. */
    private static final class Callback {
        final List<ProcessEvent> steps;
        final boolean matched;

        Callback(List<ProcessEvent> steps, boolean matched) {
            this.steps = steps;
            this.matched = matched;
        }
    }

    /**
     * @param def a sequence measure
     * @param caseRetentionMs how long a closed case's marker is kept (event time)
     * @param serializerConfig the job's serializer configuration (for CEP's buffered events)
     * @return the operator
     */
    static SequenceOperator of(MeasureDefinition def, long caseRetentionMs, SerializerConfig serializerConfig) {
        Pattern<RoutedEvent, RoutedEvent> pattern = SequencePattern.of(def);
        return new SequenceOperator(
                def,
                caseRetentionMs,
                pattern,
                new SequenceMatchFunction(),
                RoutedEvent.TYPE.createSerializer(serializerConfig));
    }

    private SequenceOperator(
            MeasureDefinition def,
            long retentionMs,
            Pattern<RoutedEvent, RoutedEvent> pattern,
            SequenceMatchFunction function,
            org.apache.flink.api.common.typeutils.TypeSerializer<RoutedEvent> serializer) {
        super(
                serializer,
                false,
                NFACompiler.compileFactory(pattern, true),
                new InputOrder(),
                pattern.getAfterMatchSkipStrategy(),
                function,
                LATE);
        this.def = def;
        this.retentionMs = retentionMs;
        this.hasLimits = def.getWithin() != null || def.getSteps().stream().anyMatch(step -> step.getWithin() != null);
        this.function = function;
    }

    /**
     * Fires every timer due at a watermark in one go, as {@link #processWatermark} assumes (it fires the near wakes
     * first and counts the watermark as the operator's own once the timer service has fired): flink-cep 1.20 opts into
     * timers that the mailbox may split across several calls.
     *
     * @return false
     */
    @SuppressWarnings("MissingOverride") // overrides in Flink 1.20; in Flink 2.x the method is useInterruptibleTimers
    public boolean useSplittableTimers() {
        return false;
    }

    /**
     * As {@link #useSplittableTimers()}, in Flink 2.x (where flink-cep opts into interruptible timers).
     *
     * @return false
     */
    @SuppressWarnings("MissingOverride") // overrides in Flink 2.x only
    public boolean useInterruptibleTimers() {
        return false;
    }

    /**
     * For tests: on RocksDB holds the values of at most {@code keys} keys, so that keys leave them (and are written)
     * often.
     *
     * @return this
     */
    SequenceOperator holdingKeysOfAtMost(int keys) {
        heldKeys = keys;
        return this;
    }

    /**
     * For tests: holds the CEP timers of at most {@code keys} keys as near wakes (0: every timer is Flink's).
     *
     * @return this
     */
    SequenceOperator nearWakesOfAtMost(int keys) {
        nearCapacity = keys;
        return this;
    }

    /** Writes the values held for the keys worked on last (RocksDB): before a snapshot and the end of input's scan. */
    private void flushHeld() throws Exception {
        pointLookups.flush();
    }

    /** @return the number of keys whose value (case, NFA state, CEP's maps) is held now (for tests) */
    int heldCases() {
        return pointLookups.heldKeys();
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        org.apache.flink.runtime.state.KeyedStateBackend<String> backend = getKeyedStateBackend();
        // the values of the keys worked on last kept only on RocksDB, where a read deserializes and a write serializes;
        // elsewhere (the heap, or the changelog backend, whose snapshots of the heap run without snapshotState) every
        // change written through
        boolean rocksDb = backend.getClass().getSimpleName().equals("RocksDBKeyedStateBackend");
        int held = !rocksDb ? 0 : heldKeys > 0 ? heldKeys : HELD_KEYS;
        pointLookups = new CepPointLookups(
                backend,
                held,
                new ValueStateDescriptor<>(
                        CASES.getName(),
                        io.flightcontroller.serialization.DomainSerializers.SEQUENCE_CASE.createSerializer(
                                getExecutionConfig().getSerializerConfig())));
        super.initializeState(pointLookups.wrap(context));
        try {
            pointLookups.bind(context.getKeyedStateStore());
        } catch (IllegalStateException e) {
            throw new IllegalStateException(
                    "sequence measure '" + def.getName() + "': " + e.getMessage()
                            + "; SequenceOperator is written against flink-cep 1.20 and 2.2",
                    e);
        }
        if (context.isRestored()) {
            java.util.Map<String, Integer> moved = pointLookups.moveEarlierLayout(context.getKeyedStateStore());
            if (!moved.isEmpty()) {
                LOG.info(
                        "sequence measure '{}': moved the state of an earlier layout to one value per key (keys per"
                                + " state: {})",
                        def.getName(),
                        moved);
            }
        }
        cases = pointLookups.cases();
        lateHeld = context.getKeyedStateStore()
                .getListState(new org.apache.flink.api.common.state.ListStateDescriptor<>(
                        "sequence-late-held", RoutedEvent.TYPE));
        nfaStates = cepField("computationStates");
        queue = cepField("elementQueueState");
        buffer = cepField("partialMatches");
    }

    @Override
    public void snapshotState(org.apache.flink.runtime.state.StateSnapshotContext context) throws Exception {
        flushHeld(); // the values kept for the keys worked on last (RocksDB) are in the snapshot
        drainNear(); // none: prepareSnapshotPreBarrier moved them (only a harness snapshots without it)
        super.snapshotState(context);
    }

    @Override
    public void open() throws Exception {
        super.open();
        machine = new SequenceMachine(def);
        counters = new PipelineCounters(getRuntimeContext());
        callbacks = new ArrayList<>();
        timers = getInternalTimerService(CEP_TIMERS, VoidNamespaceSerializer.INSTANCE, this);
        near = new NearWakes(nearCapacity);
        maxEventTime = Long.MIN_VALUE;
        stagedWatermark = timerWatermark();
        setCepField("timerService", withoutWindowTimers(timers));
        function.handTo(new SequenceMatchFunction.Matches() {
            @Override
            public void matched(List<ProcessEvent> steps) {
                callbacks.add(new Callback(steps, true));
            }

            @Override
            public void timedOut(List<ProcessEvent> steps) {
                callbacks.add(new Callback(steps, false));
            }
        });
    }

    /**
     * The timer service as CEP sees it: the same service, except that a timer CEP registers while it processes the
     * events a timer made due ({@link #stepOfCase}) is not registered, and the timer it registers for an event it holds
     * (at the event's time) is a near wake ({@link #near}) when the key has none and {@link NearWakes} has room: on
     * RocksDB every timer registered and fired is a write to RocksDB and a change to its cached head. flink-cep 1.20
     * registers only one kind there: a first-to-last window timer at {@code t + window} for a new first step, and, within the same call, for every
     * event it processes after one ({@code isNewStartPartialMatch} is reset only at the end of the call), timers that
     * would outlive the case by up to the window. The case's own timer ({@link #save}) fires at its earliest limit,
     * and an event CEP holds has its own timer (registered when it arrived), so a window timer would add nothing; on
     * RocksDB each would be a write and a delete.
     */
    @SuppressWarnings("unchecked")
    private InternalTimerService<VoidNamespace> withoutWindowTimers(InternalTimerService<VoidNamespace> service) {
        return (InternalTimerService<VoidNamespace>) java.lang.reflect.Proxy.newProxyInstance(
                InternalTimerService.class.getClassLoader(),
                new Class<?>[] {InternalTimerService.class},
                (p, method, args) -> {
                    if (method.getName().equals("registerEventTimeTimer")) {
                        if (inCepStep) {
                            return null;
                        }
                        String key = (String) getCurrentKey();
                        long t = (Long) args[1];
                        if (near.holds(key, t) || (t <= maxEventTime && !near.has(key) && near.add(key, t))) {
                            return null;
                        }
                    }
                    try {
                        return method.invoke(service, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private void setCepField(String name, Object value) {
        try {
            Field f = CepOperator.class.getDeclaredField(name);
            f.setAccessible(true);
            if (f.get(this) == null) {
                throw new IllegalStateException("is null after open");
            }
            f.set(this, value);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException(
                    "sequence measure '" + def.getName() + "': cannot set flink-cep's " + name + " (CepOperator." + name
                            + "); SequenceOperator is written against flink-cep 1.20 and 2.2",
                    e);
        }
    }

    @SuppressWarnings("unchecked")
    private <T> T cepField(String name) {
        try {
            Field f = CepOperator.class.getDeclaredField(name);
            f.setAccessible(true);
            Object v = f.get(this);
            if (v == null) {
                throw new IllegalStateException("is null after initializeState");
            }
            return (T) v;
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException(
                    "sequence measure '" + def.getName() + "': cannot read flink-cep's state" + " (CepOperator." + name
                            + "); SequenceOperator is written against flink-cep 1.20",
                    e);
        }
    }

    /**
     * The field that holds the watermark of the timer service: CEP reads the watermark from the service, so a stage
     * at an earlier watermark is the field set for its duration (single-threaded: the task's own thread, inside a
     * timer callback).
     */
    private Field timerWatermark() {
        try {
            if (!(timers instanceof InternalTimerServiceImpl)) {
                throw new IllegalStateException(
                        "the timer service is a " + timers.getClass().getName());
            }
            Field f = InternalTimerServiceImpl.class.getDeclaredField("currentWatermark");
            f.setAccessible(true);
            return f;
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException(
                    "sequence measure '" + def.getName() + "': cannot stage the watermark of Flink's timer service"
                            + " (InternalTimerServiceImpl.currentWatermark); SequenceOperator is written against"
                            + " Flink 1.20 and 2.2",
                    e);
        }
    }

    @Override
    public void processElement(StreamRecord<RoutedEvent> element) throws Exception {
        RoutedEvent r = element.getValue();
        maxEventTime = Math.max(maxEventTime, element.hasTimestamp() ? element.getTimestamp() : r.event.getTimeMs());
        if (r.late && timers.currentWatermark() < r.event.getLateWatermark()) {
            // this operator has not yet seen the case as it stood at the watermark the event was late behind (another
            // channel holds its watermark back): judge it when it has, so the result does not depend on timing
            lateHeld.add(r);
            timers.registerEventTimeTimer(VoidNamespace.INSTANCE, r.event.getLateWatermark());
            return;
        }
        applyLate(r, element);
    }

    private void applyLate(RoutedEvent r, StreamRecord<RoutedEvent> element) throws Exception {
        SequenceCase c = cases.value();
        if (r.late) {
            // dead-lettered and counted where lateness was decided (ParseSplitter); CEP would drop it. The step a case
            // is missing becomes a correction once the case has timed out: now, judged as the case stood at the
            // watermark the event arrived behind, or when it times out
            if (c != null && machine.buffer(c, r.event)) {
                if (c.phase == CasePhase.TIMED_OUT) {
                    long behind = r.event.getLateWatermark();
                    machine.advanceTo(r.caseKey, c, behind, listener(behind + 1));
                    completedByCorrection(CasePhase.TIMED_OUT, c);
                }
                save(r.caseKey, c);
            }
            return;
        }
        if (c != null && c.isClosed() && r.event.getTimeMs() <= machine.releasedAt(c, retentionMs)) {
            if (machine.buffer(c, r.event)) { // after a timeout: a correction once the watermark passes it
                save(r.caseKey, c);
            }
            return; // a completed case ignores the key's further events: one sequence per case
        }
        // no case, an open one, or after the closed case's release: CEP's (the marker goes when its timer fires,
        // before CEP's timer for this event)
        super.processElement(element);
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        if (mark.getTimestamp() == Long.MAX_VALUE) {
            return; // the end of input (see MeasureOperator#processWatermark): endInput reports, then sends it on
        }
        wakeNear(mark.getTimestamp());
        super.processWatermark(mark); // timers fire inside, while lastWatermark is still the previous one
        lastWatermark = Math.max(lastWatermark, mark.getTimestamp());
    }

    /**
     * Fires the near wakes the watermark has passed, as Flink's timer service fires timers: the key set, the service's
     * watermark at the new one (the service takes it only inside {@code super.processWatermark}). A key's first wake
     * at a watermark brings it up to that watermark, whichever wake it is, so its Flink timers that fire after these
     * find nothing more to do, as with several timers of one key at one watermark.
     */
    private void wakeNear(long watermark) throws Exception {
        if (near.size() == 0) {
            return;
        }
        staged(watermark, () -> {
            String key;
            while ((key = near.pollDue(watermark)) != null) {
                setCurrentKey(key);
                onEventTime(new TimerHeapInternalTimer<>(near.polledAt(), key, VoidNamespace.INSTANCE));
            }
        });
    }

    /**
     * Moves every near wake into Flink's timer service (before each checkpoint's barrier, and at the end of input), so
     * a snapshot holds the timers flink-cep registered, as without near wakes, and a restore finds them there.
     */
    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        drainNear();
    }

    private void drainNear() throws Exception {
        near.drainTo((key, timeMs) -> {
            setCurrentKey(key);
            timers.registerEventTimeTimer(VoidNamespace.INSTANCE, timeMs);
        });
    }

    /** @return the number of keys whose CEP timer is a near wake now (for tests) */
    int nearWakes() {
        return near.size();
    }

    /**
     * A key's first timer at a watermark brings its case up to that watermark. When late events were held for
     * watermarks this one has passed, the case is first brought up to each of those in turn and the events held for
     * it are applied there, in input order: judged against the case as it stood at the watermark they arrived behind
     * (flink-cep has matched every on-time step up to it, nothing after it), as at parallelism 1, where the operator
     * is at that watermark when they arrive. The input channels may carry the operator's watermark past it in one
     * step; without the stages a deadline or a later on-time step between the two would have been decided first.
     */
    @Override
    public void onEventTime(InternalTimer<String, VoidNamespace> timer) throws Exception {
        Iterable<RoutedEvent> held = lateHeld.get();
        if (held != null && held.iterator().hasNext()) {
            long watermark = timers.currentWatermark();
            List<RoutedEvent> keep = new ArrayList<>();
            TreeMap<Long, List<RoutedEvent>> stages = new TreeMap<>();
            for (RoutedEvent r : held) {
                long behind = r.event.getLateWatermark();
                if (behind <= watermark) {
                    stages.computeIfAbsent(behind, b -> new ArrayList<>()).add(r);
                } else {
                    keep.add(r);
                }
            }
            if (!stages.isEmpty()) {
                lateHeld.update(keep);
                long previous = lastWatermark;
                boolean atWatermark = false;
                for (Map.Entry<Long, List<RoutedEvent>> stage : stages.entrySet()) {
                    long behind = stage.getKey();
                    if (behind < watermark) {
                        staged(behind, () -> onEventTimeOfCase(timer));
                        lastWatermark = Math.max(lastWatermark, behind);
                    } else {
                        onEventTimeOfCase(timer); // the case up to this watermark first, then what was late behind it
                        atWatermark = true;
                    }
                    List<RoutedEvent> due = stage.getValue();
                    due.sort(Comparator.comparingLong(r -> r.event.getSeq()));
                    for (RoutedEvent r : due) {
                        applyLate(r, new StreamRecord<>(r, r.event.getTimeMs()));
                    }
                }
                if (!atWatermark) {
                    onEventTimeOfCase(timer);
                }
                lastWatermark = previous; // the operator's, for the other keys' timers of this watermark
                return;
            }
        }
        onEventTimeOfCase(timer);
    }

    /**
     * Brings the key's case up to the watermark. When the watermark has moved further since the last one than the
     * retention, a case could close, be released and a new one start within this step, so the key is taken through
     * it in stages, at each time it has work (an event CEP holds, a deadline), as if the watermark had stopped at
     * each: the same cases at any watermark granularity (periodic watermarks, channels merged at parallelism above
     * 1, a reader catching up). Otherwise, the usual case with retentions of days, one step.
     */
    private void onEventTimeOfCase(InternalTimer<String, VoidNamespace> timer) throws Exception {
        long watermark = timers.currentWatermark();
        if (lastWatermark == Long.MIN_VALUE || watermark - retentionMs > lastWatermark) {
            long previous = Long.MIN_VALUE;
            long stage;
            while ((stage = nextStage(watermark)) < watermark && stage > previous) {
                staged(stage, () -> stepOfCase(timer));
                previous = stage;
            }
        }
        stepOfCase(timer);
    }

    /**
     * The key's next time with work before the watermark, when a case could close and be released before it: the
     * earliest event CEP holds, deadline of the open case or release of the closed one; else the watermark (one step
     * is enough).
     */
    private long nextStage(long watermark) throws Exception {
        SequenceCase c = cases.value();
        long earliest = c == null
                ? Long.MAX_VALUE
                : c.phase == CasePhase.OPEN ? machine.nextTimeout(c) : machine.releasedAt(c, retentionMs);
        for (Long t : queue.keys()) {
            earliest = Math.min(earliest, t);
        }
        return earliest == Long.MAX_VALUE || watermark - retentionMs <= earliest ? watermark : earliest;
    }

    /** A part of a timer's work that must see the watermark at {@code stage}: CEP and the case both read it. */
    private interface Stage {
        void run() throws Exception;
    }

    /** Runs {@code work} with the timer service's watermark at {@code stage}, then puts it back. */
    private void staged(long stage, Stage work) throws Exception {
        long watermark = timers.currentWatermark();
        stagedWatermark.setLong(timers, stage);
        try {
            work.run();
        } finally {
            stagedWatermark.setLong(timers, watermark);
        }
    }

    private void stepOfCase(InternalTimer<String, VoidNamespace> timer) throws Exception {
        String key = timer.getKey();
        long watermark = timers.currentWatermark();
        MeasureMachine.Listener out = listener(lastWatermark == Long.MIN_VALUE ? Long.MIN_VALUE : lastWatermark + 1);
        SequenceCase c = cases.value();
        if (c != null && c.isClosed()) {
            CasePhase before = c.phase;
            machine.advanceTo(key, c, watermark, out);
            completedByCorrection(before, c);
            // no CEP while the marker is kept: the events CEP holds are after the release, the key's next case
            if (save(key, c) || !holdsDue(watermark)) {
                return;
            }
            // released, with events of the key's next case due: CEP takes them now, whichever of the key's wakes came
            // first (CEP's timer for them may be a near wake, which fires before Flink's timers)
            c = null;
        }
        callbacks.clear();
        List<RoutedEvent> due = hasLimits ? due(watermark) : Collections.emptyList();
        inCepStep = true; // no window timers (withoutWindowTimers)
        try {
            super.onEventTime(timer); // flink-cep: events up to the watermark through the NFA, windows pruned
        } finally {
            inCepStep = false;
        }
        c = decide(key, c, out);
        callbacks.clear();
        if (c == null) {
            return;
        }
        if (c.phase == CasePhase.TIMED_OUT) { // it was not before this call (closed cases bypass CEP)
            // CEP pruned the case at its deadline and went on with the later events of this call: the events after
            // the deadline are the case's corrections
            for (RoutedEvent r : due) {
                if (r.event.getTimeMs() > c.closedAtMs) {
                    machine.buffer(c, r.event);
                }
            }
        }
        machine.advanceTo(key, c, watermark, out);
        if (c.isClosed()) {
            releaseCep(c);
        }
        save(key, c);
    }

    /**
     * A correction that completed a timed-out case moved its close, and so its release, later: the events CEP holds up
     * to the new release are the closed case's, as if they had arrived after it (events kept for the key's next case
     * were all after the old release).
     */
    private void completedByCorrection(CasePhase before, SequenceCase c) throws Exception {
        if (before == CasePhase.TIMED_OUT && c.phase == CasePhase.DONE) {
            releaseCep(c);
        }
    }

    /** @return whether CEP holds an event the watermark has reached */
    private boolean holdsDue(long watermark) throws Exception {
        for (Long t : queue.keys()) {
            if (t <= watermark) {
                return true;
            }
        }
        return false;
    }

    /** The events CEP holds that the watermark has reached: CEP processes them now. */
    private List<RoutedEvent> due(long watermark) throws Exception {
        List<RoutedEvent> due = new ArrayList<>();
        for (Map.Entry<Long, List<RoutedEvent>> e : queue.entries()) {
            if (e.getKey() <= watermark) {
                due.addAll(e.getValue());
            }
        }
        return due;
    }

    /**
     * Hands CEP's results of this event-time step to the machine: the case is the earliest first step CEP has taken
     * (repeats start partial matches of their own, which are not the case); its match or timeout closes it, else its
     * partial match, when it reached a new step, writes the new hops.
     */
    private SequenceCase decide(String key, SequenceCase c, MeasureMachine.Listener out) throws Exception {
        NFAState nfa = nfaStates.value();
        ComputationState head = earliestPartialMatch(nfa);
        List<ProcessEvent> headSteps = null;
        if (c == null || c.phase == CasePhase.IDLE) {
            ProcessEvent first = null;
            for (Callback cb : callbacks) {
                first = earlier(first, cb.steps.get(0));
            }
            if (head != null) {
                headSteps = steps(head);
                first = headSteps.isEmpty() ? first : earlier(first, headSteps.get(0));
            }
            if (first == null) {
                return c;
            }
            if (c == null) {
                c = new SequenceCase();
            }
            machine.progress(key, c, Collections.singletonList(first), out);
        }
        for (Callback cb : callbacks) {
            if (isCase(c, cb.steps.get(0))) {
                if (cb.matched) {
                    machine.progress(key, c, cb.steps, out);
                } else {
                    machine.timedOut(key, c, cb.steps, out);
                }
                return c;
            }
        }
        if (head != null && SequencePattern.stepOf(head.getCurrentStateName()) - 1 > c.reached) {
            if (headSteps == null) {
                headSteps = steps(head);
            }
            if (!headSteps.isEmpty() && isCase(c, headSteps.get(0))) {
                machine.progress(key, c, headSteps, out);
            }
        }
        return c;
    }

    private static ProcessEvent earlier(ProcessEvent a, ProcessEvent b) {
        return a == null || BY_TIME.compare(b, a) < 0 ? b : a;
    }

    private static boolean isCase(SequenceCase c, ProcessEvent first) {
        return c.phase == CasePhase.OPEN && first.getTimeMs() == c.startMs && first.getSeq() == c.firstSeq;
    }

    /** The earliest-started partial match that has taken a step (CEP's own order), or null. */
    private static ComputationState earliestPartialMatch(NFAState nfa) {
        if (nfa == null) {
            return null;
        }
        ComputationState best = null;
        for (ComputationState cs : nfa.getPartialMatches()) {
            if (cs.getStartEventID() != null
                    && (best == null || NFAState.COMPUTATION_STATE_COMPARATOR.compare(cs, best) < 0)) {
                best = cs;
            }
        }
        return best;
    }

    /** The events of a partial match, read from CEP's shared buffer. */
    private List<ProcessEvent> steps(ComputationState cs) throws Exception {
        try (SharedBufferAccessor<RoutedEvent> a = buffer.getAccessor()) {
            List<Map<String, List<EventId>>> paths = a.extractPatterns(cs.getPreviousBufferEntry(), cs.getVersion());
            return paths.isEmpty() ? Collections.emptyList() : SequencePattern.steps(a.materializeMatch(paths.get(0)));
        }
    }

    /**
     * Releases every piece of CEP state of the key once its case is closed: partial matches (repeats of the first
     * step) and their buffer entries, the NFA state, the events CEP holds for later times up to the case's release
     * (kept as corrections of a timed-out case) and CEP's timers for them. Events after the release stay: they are
     * the key's next case.
     */
    private void releaseCep(SequenceCase c) throws Exception {
        NFAState nfa = nfaStates.value();
        if (nfa != null) {
            try (SharedBufferAccessor<RoutedEvent> a = buffer.getAccessor()) {
                for (java.util.Queue<ComputationState> q :
                        java.util.Arrays.asList(nfa.getPartialMatches(), nfa.getCompletedMatches())) {
                    for (ComputationState cs : q) {
                        if (cs.getStartEventID() == null) {
                            continue;
                        }
                        a.releaseNode(cs.getPreviousBufferEntry(), cs.getVersion());
                    }
                }
                a.advanceTime(Long.MAX_VALUE);
            }
            nfaStates.clear();
        }
        if (!queue.isEmpty()) {
            long released = machine.releasedAt(c, retentionMs);
            List<Long> taken = new ArrayList<>();
            for (Map.Entry<Long, List<RoutedEvent>> e : queue.entries()) {
                if (e.getKey() > released) {
                    continue; // after the release: CEP keeps it (and its timer) for the key's next case
                }
                taken.add(e.getKey());
                if (near.holds((String) getCurrentKey(), e.getKey())) {
                    near.remove((String) getCurrentKey());
                } else if (e.getKey() != c.timerMs) { // else the case's own timer too: a wake with nothing to do
                    timers.deleteEventTimeTimer(VoidNamespace.INSTANCE, e.getKey());
                }
                for (RoutedEvent r : e.getValue()) {
                    machine.buffer(c, r.event);
                }
            }
            for (Long t : taken) {
                queue.remove(t);
            }
        }
    }

    /**
     * Stores or clears the case and keeps one timer of its own per key at the earliest time the case has work: its
     * SLO threshold, its next limit, its next buffered correction, or the end of its retention.
     *
     * @return whether the case is kept (false: its retention has passed, cleared)
     */
    private boolean save(String key, SequenceCase c) throws Exception {
        long watermark = timers.currentWatermark();
        long disposable = machine.disposableFrom(c, retentionMs);
        if (disposable <= watermark) {
            reschedule(key, c, Long.MAX_VALUE);
            cases.clear();
            return false;
        }
        long due = Math.min(
                Math.min(machine.nextBreach(c), machine.nextTimeout(c)), Math.min(machine.nextPending(c), disposable));
        reschedule(key, c, due);
        cases.update(c);
        return true;
    }

    private void reschedule(String key, SequenceCase c, long wakeUpMs) throws Exception {
        if (wakeUpMs == c.timerMs) {
            return;
        }
        // CEP's timer for its events at the same time is the same Flink timer, and stays; not when it is a near wake
        if (c.timerMs != Long.MAX_VALUE && (!queue.contains(c.timerMs) || near.holds(key, c.timerMs))) {
            timers.deleteEventTimeTimer(VoidNamespace.INSTANCE, c.timerMs);
        }
        if (wakeUpMs != Long.MAX_VALUE) {
            timers.registerEventTimeTimer(VoidNamespace.INSTANCE, wakeUpMs);
        }
        c.timerMs = wakeUpMs;
    }

    @Override
    public void endInput() throws Exception {
        flushHeld(); // the cases are read from the state below
        drainNear();
        MeasureMachine.Listener out = listener(lastWatermark == Long.MIN_VALUE ? Long.MIN_VALUE : lastWatermark + 1);
        org.apache.flink.runtime.state.KeyedStateBackend<String> backend = getKeyedStateBackend();
        backend.applyToAllKeys(
                VoidNamespace.INSTANCE,
                VoidNamespaceSerializer.INSTANCE,
                pointLookups.descriptor(),
                (String key, ValueState<org.apache.flink.api.java.tuple.Tuple3<Object, Object, Object>> state) -> {
                    org.apache.flink.api.java.tuple.Tuple3<Object, Object, Object> value = state.value();
                    SequenceCase c = value == null ? null : (SequenceCase) value.f0; // null: CEP's state alone
                    OpenCase open = c == null ? null : machine.endOfInput(key, c, lastWatermark, out);
                    if (open != null) {
                        counters.inc(PipelineCounters.OPEN_AT_END);
                        output.collect(SideOutputs.OPEN_CASES, new StreamRecord<>(open, lastWatermark));
                    }
                });
        output.emitWatermark(Watermark.MAX_WATERMARK);
    }

    /**
     * @param outcomesNotBefore outcomes are timestamped no earlier than this (epoch ms), so they are never behind the
     *     downstream watermark
     */
    private MeasureMachine.Listener listener(long outcomesNotBefore) {
        return new CountingListener(counters) {
            @Override
            public void measurement(Measurement m) {
                super.measurement(m);
                if (m.isLate() && !m.getMeasure().equals(def.getName())) { // the hop a late step completed
                    counters().inc(PipelineCounters.LATE_APPLIED);
                }
            }

            @Override
            void emit(Measurement m) {
                output.collect(new StreamRecord<>(m, m.getEndMs()));
            }

            @Override
            void emit(Alert a) {
                output.collect(SideOutputs.ALERTS, new StreamRecord<>(a, a.getDeadlineMs()));
            }

            @Override
            void emit(Outcome o) {
                if (o.getTimeMs() < outcomesNotBefore) {
                    o.setTimeMs(outcomesNotBefore);
                }
                output.collect(SideOutputs.OUTCOMES, new StreamRecord<>(o, o.getTimeMs()));
            }
        };
    }
}
