package io.flightcontroller.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.base.LongSerializer;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * flink-cep's map states as one value per key ({@link CepPointLookups}), on the heap and on RocksDB: each key sees
 * only its own entries, every change (put, remove, an iterator's remove, an entry's setValue) is in the state on the
 * next read (on RocksDB, where the last read of a key is kept, also after another key's), an emptied map leaves no
 * entry, and a map state CEP does not own
 * is Flink's own.
 */
class CepPointLookupsTest {

    /** An operator that asks for one of CEP's map states and one other, through the wrapped store. */
    static final class Holder extends AbstractStreamOperator<String> implements OneInputStreamOperator<String, String> {
        private static final long serialVersionUID = 1L;
        /** As {@link SequenceOperator} sets it: keep the last read of a key, except on the heap. */
        private final boolean keepReads;

        transient CepPointLookups lookups;
        transient MapState<Long, String> cep;
        transient MapState<Long, String> other;

        Holder(String backend) {
            this.keepReads = !backend.equals("hashmap");
        }

        @Override
        public void initializeState(StateInitializationContext context) throws Exception {
            super.initializeState(context);
            lookups = new CepPointLookups(keepReads ? this::getCurrentKey : null);
            StateInitializationContext wrapped = lookups.wrap(context);
            cep = wrapped.getKeyedStateStore()
                    .getMapState(new MapStateDescriptor<>(
                            "sharedBuffer-events-count", LongSerializer.INSTANCE, StringSerializer.INSTANCE));
            other = wrapped.getKeyedStateStore()
                    .getMapState(
                            new MapStateDescriptor<>("not-cep", LongSerializer.INSTANCE, StringSerializer.INSTANCE));
        }

        @Override
        public void processElement(StreamRecord<String> element) {}
    }

    static KeyedOneInputStreamOperatorTestHarness<String, String, String> harness(Holder op, String backend)
            throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, String, String> h =
                new KeyedOneInputStreamOperatorTestHarness<>(op, s -> s, Types.STRING);
        h.setStateBackend(SequenceStateUpgradeTest.backend(backend));
        h.open();
        return h;
    }

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
    void cepsMapIsOneValuePerKey_eachKeySeesOnlyItsOwnEntries_andAnEmptiedMapLeavesNoEntry(String backend)
            throws Exception {
        Holder op = new Holder(backend);
        try (KeyedOneInputStreamOperatorTestHarness<String, String, String> h = harness(op, backend)) {
            op.setCurrentKey("a");
            op.cep.put(1L, "one");
            op.cep.putAll(Map.of(2L, "two", 3L, "three"));
            op.setCurrentKey("b");
            assertThat(op.cep.isEmpty()).isTrue();
            op.cep.put(1L, "b-one");

            op.setCurrentKey("a");
            assertThat(op.cep.get(2L)).isEqualTo("two");
            assertThat(op.cep.contains(3L)).isTrue();
            assertThat(op.cep.contains(9L)).isFalse();
            assertThat(entries(op.cep)).containsExactly("1=one", "2=two", "3=three");
            op.cep.remove(2L);
            op.cep.remove(9L);
            assertThat(entries(op.cep)).containsExactly("1=one", "3=three");
            assertThat(keysWith(op, CepPointLookups.valueName("sharedBuffer-events-count")))
                    .containsExactly("a", "b");
            // one value per key: no entries in a map state of that name
            assertThat(keysWith(op, "sharedBuffer-events-count")).isEmpty();

            op.cep.remove(1L);
            op.cep.remove(3L);
            assertThat(op.cep.isEmpty()).isTrue();
            assertThat(keysWith(op, CepPointLookups.valueName("sharedBuffer-events-count")))
                    .containsExactly("b");
            op.setCurrentKey("b");
            op.cep.clear();
            assertThat(keysWith(op, CepPointLookups.valueName("sharedBuffer-events-count")))
                    .isEmpty();
            assertThat(op.lookups.replacedStates()).containsExactly("sharedBuffer-events-count");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"hashmap", "rocksdb"})
    void anIteratorsRemoveAndAnEntrysSetValueAreWrittenToTheState(String backend) throws Exception {
        Holder op = new Holder(backend);
        try (KeyedOneInputStreamOperatorTestHarness<String, String, String> h = harness(op, backend)) {
            op.setCurrentKey("a");
            op.cep.putAll(Map.of(1L, "one", 2L, "two", 3L, "three", 4L, "four"));
            // as flink-cep's SharedBuffer.advanceTime drops the counters of earlier timestamps
            for (Iterator<Long> it = op.cep.keys().iterator(); it.hasNext(); ) {
                if (it.next() < 3L) {
                    it.remove();
                }
            }
            assertThat(entries(op.cep)).containsExactly("3=three", "4=four");
            for (Map.Entry<Long, String> e : op.cep.entries()) {
                e.setValue(e.getValue().toUpperCase(java.util.Locale.ROOT));
            }
            assertThat(entries(op.cep)).containsExactly("3=THREE", "4=FOUR");
            for (Iterator<Map.Entry<Long, String>> it = op.cep.iterator(); it.hasNext(); ) {
                it.next();
                it.remove();
            }
            assertThat(op.cep.isEmpty()).isTrue();
            assertThat(keysWith(op, CepPointLookups.valueName("sharedBuffer-events-count")))
                    .isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"hashmap", "rocksdb"})
    void aMapStateCepDoesNotOwnIsFlinksOwnMapState(String backend) throws Exception {
        Holder op = new Holder(backend);
        try (KeyedOneInputStreamOperatorTestHarness<String, String, String> h = harness(op, backend)) {
            op.setCurrentKey("a");
            op.other.put(1L, "one");
            assertThat(keysWith(op, "not-cep")).containsExactly("a");
            assertThat(op.other).isNotInstanceOf(CepPointLookups.OneValueMapState.class);
            assertThat(op.cep).isInstanceOf(CepPointLookups.OneValueMapState.class);
        }
    }
}
