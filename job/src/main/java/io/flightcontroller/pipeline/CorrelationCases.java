package io.flightcontroller.pipeline;

import io.flightcontroller.domain.engine.CaseState;
import io.flightcontroller.serialization.DomainSerializers;
import io.flightcontroller.serialization.Fields;
import io.flightcontroller.serialization.VersionedSerializer;
import java.io.IOException;
import java.util.Arrays;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Everything the per-correlation-id layout ({@link PipelineOptions.StateLayout#PER_CORRELATION_ID}) keeps for one
 * correlation id, in one value: the de-duplication keys it remembers and the {@link CaseState} of every measure case
 * under it, so an event costs one state read, one write and at most one timer change, however many measures use it.
 *
 * <p>Shape: {@code dedup} is {@code [key, expiry, key, expiry, ...]} (expiry = event time + dedup retention, epoch ms)
 * or null, as {@link DedupAndRoute} keeps it; when {@code spilled} the keys are in the operator's map state instead and
 * {@code dedup} is {@code [latest expiry]} (odd length: never pairs; null in a value written before it was kept).
 * {@code dedupWakeMs} is the time the remembered keys are next looked at (the first key's expiry, then the earliest
 * remaining one: the clean-up timer of {@link DedupAndRoute}); once it is behind the watermark, keys whose expiry is too
 * count as forgotten even before the look drops them from storage. Cases: {@code size} of them, each a measure name, a
 * case key and a state, where each state's {@link CaseState#timerMs} is the time the case next has work (as
 * {@link MeasureFunction} keeps it). {@code timerMs} is the id's one wake (an event-time timer, or a near wake held on
 * the heap until the next checkpoint: {@link NearWakes}): the least of
 * every case's {@code timerMs} that is work (a deadline, a buffered event) and, unless some such one comes at or after
 * it, the time everything else is gone: every remembered key ({@link #dedupDrainedMs}) and every case with only its
 * release left ({@link #wakeUpMs(Releases)}); so keys and releases never wake an id whose cases will wake it later
 * (that wake drops them) and wake any other once, not at each distinct expiry or release. Bytes on a state backend: a
 * 25-byte header (after the format version) plus 16 per remembered key (a spilled id: 8, its keys in the map state)
 * plus per case its two names and its {@link DomainSerializers.CaseStateSerializer} record.
 */
final class CorrelationCases {
    long[] dedup;
    boolean spilled;
    long dedupWakeMs = Long.MAX_VALUE;
    int size;
    /** Per case three slots: measure name, case key, state (one array, not three: 32 bytes less per id on the heap). */
    private Object[] entries = NONE;

    long timerMs = Long.MAX_VALUE;

    /**
     * Not part of the value: true while this object was made when the id had no value in state and has not been
     * written since, so that clearing the id writes nothing (on RocksDB a {@code delete} spared). False for every
     * object read from state or copied; the operator sets it false wherever it writes the value.
     */
    transient boolean notInState;

    private static final Object[] NONE = {};

    /** @return the measure name of case {@code i} */
    String measure(int i) {
        return (String) entries[3 * i];
    }

    /** @return the case key of case {@code i} */
    String caseKey(int i) {
        return (String) entries[3 * i + 1];
    }

    /** @return the state of case {@code i} */
    CaseState state(int i) {
        return (CaseState) entries[3 * i + 2];
    }

    /** @return the index of the case, or -1 */
    int indexOf(String measure, String caseKey) {
        for (int i = 0; i < size; i++) {
            if (measure(i).equals(measure) && caseKey(i).equals(caseKey)) {
                return i;
            }
        }
        return -1;
    }

    /** Adds a case and returns its index. */
    int add(String measure, String caseKey, CaseState s) {
        if (3 * size == entries.length) {
            entries = Arrays.copyOf(entries, 3 * Math.max(2, size * 2));
        }
        entries[3 * size] = measure;
        entries[3 * size + 1] = caseKey;
        entries[3 * size + 2] = s;
        return size++;
    }

    /** Removes the case at {@code i}; the last case takes its place. */
    void remove(int i) {
        int last = --size;
        System.arraycopy(entries, 3 * last, entries, 3 * i, 3);
        Arrays.fill(entries, 3 * last, 3 * last + 3, null);
    }

    /** @return whether the id keeps nothing: no remembered key, no case */
    boolean isEmpty() {
        return size == 0 && dedup == null && !spilled;
    }

    /** Tells which cases have nothing left but their release (the operator knows the machines). */
    interface Releases {
        /**
         * @param c the id's value
         * @param i a case of it
         * @return whether the case's {@link CaseState#timerMs} is only its release: no deadline and no buffered event
         *     at or before it, so dropping it later changes no result (the machine judges a later event by the release
         *     time, not by whether the state is still stored)
         */
        boolean onlyRelease(CorrelationCases c, int i);
    }

    private static final Releases NO_RELEASES = (c, i) -> false;

    /** @return {@link #wakeUpMs(Releases)} with every case timer counted as work */
    long wakeUpMs() {
        return wakeUpMs(NO_RELEASES);
    }

    /**
     * @param releases which cases have only their release left
     * @return the earliest time the id has to wake: a case to advance, or, when no case has such work at or after
     *     it, the time everything else is gone: every remembered key and every case that has only its release left
     *     (those are dropped at whatever wakes the id once they are due, or by the next event: a stale key costs 16
     *     bytes, a released case its record, until then)
     */
    long wakeUpMs(Releases releases) {
        long t = Long.MAX_VALUE;
        long lastCase = Long.MIN_VALUE;
        long drained = dedupDrainedMs();
        for (int i = 0; i < size; i++) {
            long caseTimer = state(i).timerMs;
            if (caseTimer == Long.MAX_VALUE) {
                continue;
            }
            if (releases.onlyRelease(this, i)) {
                drained = drained == Long.MAX_VALUE ? caseTimer : Math.max(drained, caseTimer);
            } else {
                t = Math.min(t, caseTimer);
                lastCase = Math.max(lastCase, caseTimer);
            }
        }
        return lastCase >= drained ? t : Math.min(t, drained);
    }

    /**
     * @return the time a look at the keys forgets them all: the latest expiry, at or after the next look
     *     ({@code dedupWakeMs}); {@link Long#MAX_VALUE} when none is remembered; the next look for a spilled value
     *     written before the latest expiry was kept
     */
    long dedupDrainedMs() {
        if (spilled) {
            return dedup == null ? dedupWakeMs : Math.max(dedupWakeMs, dedup[0]);
        }
        if (dedup == null) {
            return Long.MAX_VALUE;
        }
        long latest = dedupWakeMs;
        for (int i = 1; i < dedup.length; i += 2) {
            latest = Math.max(latest, dedup[i]);
        }
        return latest;
    }

    /** Its type, with its own serializer. */
    static final TypeInformation<CorrelationCases> TYPE =
            new VersionedSerializer.Info<>(CorrelationCases.class, Serializer::new);

    /**
     * v1: timerMs, dedupWakeMs (longs), spilled (boolean), dedup (count of longs, -1 for none, then the longs), size
     * (int), then per case measure name, case key (strings) and a {@link DomainSerializers.CaseStateSerializer}
     * record. v2 (the fields of v1): a spilled id's dedup holds its latest expiry; in v1 it is always none (-1), so a
     * v1 record reads as it was written (its keys then drain by the next look, as before), and a job that reads only
     * v1 refuses v2 instead of taking the latest expiry for a key.
     */
    public static final class Serializer extends VersionedSerializer<CorrelationCases> {
        private static final long serialVersionUID = 1L;
        private final DomainSerializers.CaseStateSerializer caseStates = new DomainSerializers.CaseStateSerializer();

        @Override
        protected int version() {
            return 2;
        }

        @Override
        protected String typeName() {
            return "CorrelationCases";
        }

        @Override
        public CorrelationCases createInstance() {
            return new CorrelationCases();
        }

        @Override
        protected void write(CorrelationCases c, DataOutputView out) throws IOException {
            out.writeLong(c.timerMs);
            out.writeLong(c.dedupWakeMs);
            out.writeBoolean(c.spilled);
            out.writeInt(c.dedup == null ? -1 : c.dedup.length);
            if (c.dedup != null) {
                for (long v : c.dedup) {
                    out.writeLong(v);
                }
            }
            out.writeInt(c.size);
            for (int i = 0; i < c.size; i++) {
                Fields.string(c.measure(i), out);
                Fields.string(c.caseKey(i), out);
                caseStates.serialize(c.state(i), out);
            }
        }

        @Override
        protected CorrelationCases read(int version, DataInputView in) throws IOException {
            CorrelationCases c = new CorrelationCases();
            c.timerMs = in.readLong();
            c.dedupWakeMs = in.readLong();
            c.spilled = in.readBoolean();
            int n = in.readInt();
            if (n >= 0) {
                c.dedup = new long[n];
                for (int i = 0; i < n; i++) {
                    c.dedup[i] = in.readLong();
                }
            }
            int size = in.readInt();
            for (int i = 0; i < size; i++) {
                String measure = Fields.string(in);
                String caseKey = Fields.string(in);
                c.add(measure, caseKey, caseStates.deserialize(in));
            }
            return c;
        }

        @Override
        public TypeSerializerSnapshot<CorrelationCases> snapshotConfiguration() {
            return new Snapshot();
        }
    }

    /** Snapshot of {@link Serializer}. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<CorrelationCases> {
        public Snapshot() {
            super(Serializer::new);
        }
    }
}
