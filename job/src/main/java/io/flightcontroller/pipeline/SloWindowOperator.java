package io.flightcontroller.pipeline;

import io.flightcontroller.domain.Outcome;
import io.flightcontroller.domain.result.WindowAggregate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.runtime.state.internal.InternalListState;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * The SLO aggregates of one window length ({@link SloAggregates#aggregate}), keyed by measure: tumbling event-time
 * windows by each outcome's OWN time ({@link Outcome#getTimeMs()}: the end event's time for a completed lead, the
 * deadline for a breach or timeout), not by the time of the timer that happened to produce it, each emitted once when
 * the watermark passes its end, with the timestamp of its last millisecond.
 *
 * <p>It does what Flink's {@code WindowOperator} with an event-time trigger, no allowed lateness and a
 * {@code ProcessWindowFunction} did here before, with the same state and timers: the window's outcomes in the list
 * state {@value #CONTENTS} (namespace: the {@link TimeWindow}; the outcomes' own serializer), one timer per measure
 * and window at its last millisecond in the timer service {@value #TIMERS}. So a savepoint of that operator restores
 * into this one under the same uid ({@code SloWindowOperatorTest}), and the reverse. What differs is when it writes:
 * the outcomes that arrive between two watermarks are kept on the heap and appended to each window's list once, when
 * the next watermark comes (before its timers fire), before each checkpoint's barrier, and in {@code snapshotState};
 * and a window's timer is registered once, not at every outcome. On RocksDB, the backend Managed Flink runs, each
 * append is a {@code merge} and each registration a write to the timer queue, per outcome before; in the benchmark's
 * profile of 2026-12-02, late evening, the two aggregate tasks took 22 % of the RocksDB row's samples against 7 % on
 * the heap.
 *
 * <p>An outcome whose window the watermark has already passed is dropped, and counted in
 * {@code numLateRecordsDropped} when its record's timestamp is behind the watermark too, as the {@code WindowOperator}
 * did. None is: the measuring operators emit each outcome before the watermark that passes its time.
 *
 * <p>Shape: per outcome one hash lookup and a list append on the heap; per measure, window and watermark interval one
 * append to the state (every outcome of the interval serialized in it); per measure and window one timer. At most
 * {@value #MAX_PENDING} outcomes held before they are appended regardless (a replay whose watermark rarely moves).
 */
final class SloWindowOperator extends AbstractStreamOperator<WindowAggregate>
        implements OneInputStreamOperator<Outcome, WindowAggregate>, Triggerable<String, TimeWindow> {
    private static final long serialVersionUID = 1L;

    /** The list state's name, as Flink's {@code WindowOperator} names it. */
    static final String CONTENTS = "window-contents";
    /** The timer service's name, as Flink's {@code WindowOperator} names it. */
    static final String TIMERS = "window-timers";
    /** The most outcomes held before they are appended to the state without waiting for a watermark. */
    static final int MAX_PENDING = 16_384;

    private final long sizeMs;
    private final String window;

    private transient InternalListState<String, TimeWindow, Outcome> contents;
    private transient InternalTimerService<TimeWindow> timers;
    /** Per measure, the window start and the outcomes not yet appended to its list. */
    private transient Map<String, Map<Long, List<Outcome>>> pending;
    /** Per measure, the starts of the windows whose timer this instance registered (and which have not fired). */
    private transient Map<String, Set<Long>> registered;

    /** The most outcomes held before they are appended without waiting for a watermark ({@link #MAX_PENDING}). */
    private int maxPending = MAX_PENDING;

    private transient int pendingCount;
    private transient Counter lateDropped;

    /** @param size the windows' length */
    SloWindowOperator(Duration size) {
        this.sizeMs = size.toMillis();
        this.window = size.toString();
    }

    /**
     * For tests: appends the outcomes held whenever {@code outcomes} are, so that appends within a watermark interval
     * happen often.
     *
     * @return this
     */
    SloWindowOperator appendingEvery(int outcomes) {
        maxPending = outcomes;
        return this;
    }

    @Override
    public void open() throws Exception {
        super.open();
        TimeWindow.Serializer windows = new TimeWindow.Serializer();
        contents = (InternalListState<String, TimeWindow, Outcome>)
                // the POJO serializer in state, as savepoints hold it (between tasks: DomainSerializers.OUTCOME)
                getOrCreateKeyedState(windows, new ListStateDescriptor<>(CONTENTS, TypeInformation.of(Outcome.class)));
        timers = getInternalTimerService(TIMERS, windows, this);
        pending = new HashMap<>();
        registered = new HashMap<>();
        pendingCount = 0;
        lateDropped = getMetricGroup().counter("numLateRecordsDropped");
    }

    @Override
    public void processElement(StreamRecord<Outcome> element) throws Exception {
        Outcome o = element.getValue();
        String measure = (String) getCurrentKey();
        long start = TimeWindow.getWindowStartWithOffset(o.getTimeMs(), 0, sizeMs);
        long watermark = timers.currentWatermark();
        if (start + sizeMs - 1 <= watermark) {
            if (element.hasTimestamp() && element.getTimestamp() <= watermark) {
                lateDropped.inc(); // as the WindowOperator counts a dropped record: by its timestamp
            }
            return;
        }
        pending.computeIfAbsent(measure, m -> new HashMap<>())
                .computeIfAbsent(start, s -> new ArrayList<>())
                .add(o);
        if (registered.computeIfAbsent(measure, m -> new HashSet<>()).add(start)) {
            // a window of a restored savepoint has its timer already: registered again, it is the same timer
            timers.registerEventTimeTimer(new TimeWindow(start, start + sizeMs), start + sizeMs - 1);
        }
        if (++pendingCount >= maxPending) {
            append();
        }
    }

    /** Appends the outcomes held to their windows' lists, one append per measure and window. */
    private void append() throws Exception {
        if (pendingCount == 0) {
            return;
        }
        Object current = getCurrentKey();
        for (Map.Entry<String, Map<Long, List<Outcome>>> m : pending.entrySet()) {
            setCurrentKey(m.getKey());
            for (Map.Entry<Long, List<Outcome>> w : m.getValue().entrySet()) {
                contents.setCurrentNamespace(new TimeWindow(w.getKey(), w.getKey() + sizeMs));
                contents.addAll(w.getValue());
            }
        }
        pending.clear();
        pendingCount = 0;
        if (current != null) {
            setCurrentKey(current);
        }
    }

    /** Appends the outcomes held, then lets the timers of the windows the watermark passes fire. */
    @Override
    public void processWatermark(Watermark mark) throws Exception {
        append();
        super.processWatermark(mark);
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        append();
    }

    /** None held here after {@link #prepareSnapshotPreBarrier} (only a test harness snapshots without it). */
    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        append();
        super.snapshotState(context);
    }

    @Override
    public void onEventTime(InternalTimer<String, TimeWindow> timer) throws Exception {
        TimeWindow w = timer.getNamespace();
        Set<Long> starts = registered.get(timer.getKey());
        if (starts != null) {
            starts.remove(w.getStart());
        }
        if (timer.getTimestamp() != w.maxTimestamp()) {
            return; // not a window's end (no such timer is registered)
        }
        contents.setCurrentNamespace(w);
        Iterable<Outcome> outcomes = contents.get();
        if (outcomes != null) {
            output.collect(new StreamRecord<>(
                    SloAggregates.aggregate(timer.getKey(), window, w.getStart(), w.getEnd(), outcomes),
                    w.maxTimestamp()));
        }
        contents.clear();
    }

    @Override
    public void onProcessingTime(InternalTimer<String, TimeWindow> timer) {
        // no processing-time timers
    }
}
