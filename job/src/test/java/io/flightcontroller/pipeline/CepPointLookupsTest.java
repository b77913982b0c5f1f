package io.flightcontroller.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.api.common.state.KeyedStateStore;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.base.LongSerializer;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * flink-cep's four map states as one value per key ({@link CepPointLookups}), on the heap and on RocksDB: each key
 * sees only its own entries, every change (put, remove, an iterator's remove, an entry's setValue) is in the state on
 * the next read, on RocksDB the changes kept for the last key are written when another key reads and in a snapshot, an
 * emptied set of maps leaves no entry, and a map state CEP does not own is Flink's own.
 */
class CepPointLookupsTest {

    /** An operator that asks for CEP's four map states and one other, through the wrapped store, as CEP does. */
    static final class Holder extends AbstractStreamOperator<String> implements OneInputStreamOperator<String, String> {
        private static final long serialVersionUID = 1L;
        /** Keep the maps of one key (the last; SequenceOperator keeps more), except on the heap. */
        private final boolean keepReads;

        transient CepPointLookups lookups;
        transient MapState<Long, String> counts;
        transient MapState<Long, String> queue;
        transient MapState<Long, String> other;
        /** flink-cep's NFA state and the operator's case: the other two fields of a key's value. */
        transient ValueState<String> nfa;

        transient ValueState<String> cases;

        Holder(String backend) {
            this.keepReads = !backend.equals("hashmap");
        }

        @Override
        public void initializeState(StateInitializationContext context) throws Exception {
            super.initializeState(context);
            lookups = new CepPointLookups(
                    getKeyedStateBackend(),
                    keepReads ? 1 : 0,
                    new ValueStateDescriptor<>("sequence-case", StringSerializer.INSTANCE));
            KeyedStateStore wrapped = lookups.wrap(context).getKeyedStateStore();
            nfa = wrapped.getState(new ValueStateDescriptor<>(CepPointLookups.NFA_STATE, StringSerializer.INSTANCE));
            for (String name : CepPointLookups.CEP_MAP_STATES) {
                MapState<Long, String> m = wrapped.getMapState(
                        new MapStateDescriptor<>(name, LongSerializer.INSTANCE, StringSerializer.INSTANCE));
                if (name.equals("sharedBuffer-events-count")) {
                    counts = m;
                } else if (name.equals("eventQueuesStateName")) {
                    queue = m;
                }
            }
            other = wrapped.getMapState(
                    new MapStateDescriptor<>("not-cep", LongSerializer.INSTANCE, StringSerializer.INSTANCE));
            lookups.bind(context.getKeyedStateStore());
            cases = lookups.cases();
        }

        @Override
        public void snapshotState(StateSnapshotContext context) throws Exception {
            lookups.flush();
            super.snapshotState(context);
        }

        @Override
        public void processElement(StreamRecord<String> element) {}
    }

    static KeyedOneInputStreamOperatorTestHarness<String, String, String> harness(
            Holder op, String backend, OperatorSubtaskState restore) throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, String, String> h =
                new KeyedOneInputStreamOperatorTestHarness<>(op, s -> s, Types.STRING);
        h.setStateBackend(SequenceStateUpgradeTest.backend(backend));
        if (restore != null) {
            h.initializeState(restore);
        }
        h.open();
        return h;
    }

    /** @return the keys with an entry in the state {@code state}, as stored (on RocksDB: written) */
    static List<String> keysWith(Holder op, String state) {
        org.apache.flink.runtime.state.KeyedStateBackend<Object> backend = op.getKeyedStateBackend();
        try (Stream<Object> s = backend.getKeys(state, VoidNamespace.INSTANCE)) {
            return s.map(Object::toString).sorted().collect(Collectors.toList());
        }
    }

    static List<String> entries(MapState<Long, String> m) throws Exception {
        List<String> out = new ArrayList<>();
        for (Map.Entry<Long, String> e : m.entries()) {
            out.add(e.getKey() + "=" + e.getValue());
        }
        out.sort(null);
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"hashmap", "rocksdb"})
    void cepsMapsAreOneValuePerKey_eachKeySeesOnlyItsOwnEntries_andEmptiedMapsLeaveNoEntry(String backend)
            throws Exception {
        Holder op = new Holder(backend);
        try (KeyedOneInputStreamOperatorTestHarness<String, String, String> h = harness(op, backend, null)) {
            op.setCurrentKey("a");
            op.counts.put(1L, "one");
            op.counts.putAll(Map.of(2L, "two", 3L, "three"));
            op.queue.put(7L, "queued");
            op.setCurrentKey("b");
            assertThat(op.counts.isEmpty()).isTrue();
            op.counts.put(1L, "b-one");

            op.setCurrentKey("a");
            assertThat(op.counts.get(2L)).isEqualTo("two");
            assertThat(op.counts.contains(3L)).isTrue();
            assertThat(op.counts.contains(9L)).isFalse();
            assertThat(entries(op.counts)).containsExactly("1=one", "2=two", "3=three");
            assertThat(entries(op.queue)).containsExactly("7=queued");
            op.counts.remove(2L);
            op.counts.remove(9L);
            assertThat(entries(op.counts)).containsExactly("1=one", "3=three");
            op.lookups.flush();
            assertThat(keysWith(op, CepPointLookups.VALUE_NAME)).containsExactly("a", "b");
            // one value per key: no entries in CEP's map states of those names
            for (String name : CepPointLookups.CEP_MAP_STATES) {
                assertThat(keysWith(op, name)).as(name).isEmpty();
            }

            op.counts.remove(1L);
            op.counts.remove(3L);
            assertThat(op.counts.isEmpty()).isTrue();
            op.lookups.flush();
            assertThat(keysWith(op, CepPointLookups.VALUE_NAME))
                    .as("a still has its queue")
                    .containsExactly("a", "b");
            op.queue.clear();
            op.lookups.flush();
            assertThat(keysWith(op, CepPointLookups.VALUE_NAME)).containsExactly("b");
            op.setCurrentKey("b");
            op.counts.clear();
            op.lookups.flush();
            assertThat(keysWith(op, CepPointLookups.VALUE_NAME)).isEmpty();
            assertThat(op.lookups.replacedStates()).containsExactlyElementsOf(CepPointLookups.CEP_MAP_STATES);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"hashmap", "rocksdb"})
    void aKeysCaseNfaStateAndMapsAreOneEntry_eachFieldItsOwn_andAValueWithNoFieldLeftIsNoEntry(String backend)
            throws Exception {
        Holder op = new Holder(backend);
        OperatorSubtaskState snapshot;
        try (KeyedOneInputStreamOperatorTestHarness<String, String, String> h = harness(op, backend, null)) {
            op.setCurrentKey("a");
            op.cases.update("case-a");
            op.nfa.update("nfa-a");
            op.counts.put(1L, "one");
            op.setCurrentKey("b");
            op.cases.update("case-b"); // a case alone: CEP released the key
            op.setCurrentKey("c");
            op.queue.put(7L, "queued"); // CEP's state alone: an event held for the key's next case
            op.lookups.flush();
            assertThat(keysWith(op, CepPointLookups.VALUE_NAME)).containsExactly("a", "b", "c");
            for (String other : new String[] {CepPointLookups.NFA_STATE, "sequence-case"}) {
                assertThat(keysWith(op, other)).as(other).isEmpty();
            }

            op.setCurrentKey("a");
            assertThat(op.cases.value()).isEqualTo("case-a");
            assertThat(op.nfa.value()).isEqualTo("nfa-a");
            op.nfa.clear();
            op.counts.clear();
            assertThat(op.cases.value()).as("the case outlives CEP's state").isEqualTo("case-a");
            op.setCurrentKey("b");
            assertThat(op.nfa.value()).isNull();
            assertThat(op.counts.isEmpty()).isTrue();
            op.cases.clear();
            op.lookups.flush();
            assertThat(keysWith(op, CepPointLookups.VALUE_NAME)).containsExactly("a", "c");
            op.setCurrentKey("c");
            op.nfa.update("nfa-c");
            snapshot = h.snapshot(1, 1);
        }
        Holder restored = new Holder(backend);
        try (KeyedOneInputStreamOperatorTestHarness<String, String, String> h = harness(restored, backend, snapshot)) {
            restored.setCurrentKey("a");
            assertThat(restored.cases.value()).isEqualTo("case-a");
            assertThat(restored.nfa.value()).isNull();
            assertThat(restored.counts.isEmpty()).isTrue();
            restored.setCurrentKey("c");
            assertThat(restored.cases.value()).isNull();
            assertThat(restored.nfa.value()).isEqualTo("nfa-c");
            assertThat(entries(restored.queue)).containsExactly("7=queued");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"hashmap", "rocksdb"})
    void anIteratorsRemoveAndAnEntrysSetValueAreWrittenToTheState(String backend) throws Exception {
        Holder op = new Holder(backend);
        try (KeyedOneInputStreamOperatorTestHarness<String, String, String> h = harness(op, backend, null)) {
            op.setCurrentKey("a");
            op.counts.putAll(Map.of(1L, "one", 2L, "two", 3L, "three", 4L, "four"));
            // as flink-cep's SharedBuffer.advanceTime drops the counters of earlier timestamps
            for (Iterator<Long> it = op.counts.keys().iterator(); it.hasNext(); ) {
                if (it.next() < 3L) {
                    it.remove();
                }
            }
            op.setCurrentKey("b"); // another key's read: on RocksDB the changes of a are written, then read again
            assertThat(op.counts.isEmpty()).isTrue();
            op.setCurrentKey("a");
            assertThat(entries(op.counts)).containsExactly("3=three", "4=four");
            for (Map.Entry<Long, String> e : op.counts.entries()) {
                e.setValue(e.getValue().toUpperCase(java.util.Locale.ROOT));
            }
            op.setCurrentKey("b");
            assertThat(op.counts.isEmpty()).isTrue();
            op.setCurrentKey("a");
            assertThat(entries(op.counts)).containsExactly("3=THREE", "4=FOUR");
            for (Iterator<Map.Entry<Long, String>> it = op.counts.iterator(); it.hasNext(); ) {
                it.next();
                it.remove();
            }
            assertThat(op.counts.isEmpty()).isTrue();
            op.lookups.flush();
            assertThat(keysWith(op, CepPointLookups.VALUE_NAME)).isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"hashmap", "rocksdb"})
    void theChangesOfTheLastKeyAreWrittenWhenAnotherKeyReads_andAreInASnapshot(String backend) throws Exception {
        Holder op = new Holder(backend);
        OperatorSubtaskState snapshot;
        try (KeyedOneInputStreamOperatorTestHarness<String, String, String> h = harness(op, backend, null)) {
            op.setCurrentKey("a");
            op.counts.put(1L, "one");
            op.setCurrentKey("b");
            op.counts.isEmpty(); // b reads: a's change is written
            assertThat(keysWith(op, CepPointLookups.VALUE_NAME)).containsExactly("a");
            op.counts.put(2L, "two"); // kept for b (on RocksDB) until the snapshot
            snapshot = h.snapshot(1, 1);
        }
        Holder restored = new Holder(backend);
        try (KeyedOneInputStreamOperatorTestHarness<String, String, String> h = harness(restored, backend, snapshot)) {
            assertThat(keysWith(restored, CepPointLookups.VALUE_NAME)).containsExactly("a", "b");
            restored.setCurrentKey("b");
            assertThat(entries(restored.counts)).containsExactly("2=two");
            restored.setCurrentKey("a");
            assertThat(entries(restored.counts)).containsExactly("1=one");
        }
    }

    @org.junit.jupiter.api.Test
    void onRocksDB_aChangeThroughAnotherKeysRead_failsRatherThanLandingOnTheWrongKey() throws Exception {
        Holder op = new Holder("rocksdb");
        try (KeyedOneInputStreamOperatorTestHarness<String, String, String> h = harness(op, "rocksdb", null)) {
            op.setCurrentKey("a");
            op.counts.putAll(Map.of(1L, "one", 2L, "two"));
            Iterator<Long> ofA = op.counts.keys().iterator();
            ofA.next();
            op.setCurrentKey("b");
            op.counts.put(5L, "five"); // b's maps are now the ones kept
            org.assertj.core.api.Assertions.assertThatThrownBy(ofA::remove).hasMessageContaining("read of another key");
            op.setCurrentKey("a");
            assertThat(entries(op.counts)).containsExactly("1=one", "2=two");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"hashmap", "rocksdb"})
    void aMapStateCepDoesNotOwnIsFlinksOwnMapState(String backend) throws Exception {
        Holder op = new Holder(backend);
        try (KeyedOneInputStreamOperatorTestHarness<String, String, String> h = harness(op, backend, null)) {
            op.setCurrentKey("a");
            op.other.put(1L, "one");
            assertThat(keysWith(op, "not-cep")).containsExactly("a");
            assertThat(op.other).isNotInstanceOf(CepPointLookups.OneValueMapState.class);
            assertThat(op.counts).isInstanceOf(CepPointLookups.OneValueMapState.class);
        }
    }
}
