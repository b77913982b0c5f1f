package io.flightcontroller.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * {@link HeldValueState} on RocksDB: a key's value is read from the state once and written once, when the key is the
 * least recently used of more than the capacity (with its latest value) or at a flush; an absence is held as well; a
 * value only read is written only when the state's user may change it in place ({@code writesReads}); with capacity 0
 * every call goes to the state.
 */
class HeldValueStateTest {

    /** An operator with one value state, held ({@link #held}) and as stored ({@link #stored}). */
    static final class Holder extends AbstractStreamOperator<String> implements OneInputStreamOperator<String, String> {
        private static final long serialVersionUID = 1L;
        private final int capacity;
        private final boolean writesReads;
        transient ValueState<List<String>> stored;
        transient HeldValueState<List<String>> held;

        Holder(int capacity, boolean writesReads) {
            this.capacity = capacity;
            this.writesReads = writesReads;
        }

        @Override
        public void initializeState(StateInitializationContext context) throws Exception {
            super.initializeState(context);
            stored = context.getKeyedStateStore().getState(new ValueStateDescriptor<>("v", Types.LIST(Types.STRING)));
            held = new HeldValueState<>(stored, getKeyedStateBackend(), capacity, writesReads);
        }

        @Override
        public void processElement(StreamRecord<String> element) {}

        /** @return the key's value as stored (written), read with the key set and set back */
        List<String> storedOf(String key) throws Exception {
            Object current = getCurrentKey();
            setCurrentKey(key);
            try {
                return stored.value();
            } finally {
                setCurrentKey(current);
            }
        }
    }

    static KeyedOneInputStreamOperatorTestHarness<String, String, String> harness(Holder op) throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, String, String> h =
                new KeyedOneInputStreamOperatorTestHarness<>(op, s -> s, Types.STRING);
        h.setStateBackend(SequenceStateUpgradeTest.backend("rocksdb"));
        h.open();
        return h;
    }

    static List<String> list(String... items) {
        return new ArrayList<>(List.of(items));
    }

    @Test
    void aChangeIsWrittenOnlyWhenItsKeyIsTheLeastRecentlyUsedOfMoreThanTheCapacity_withItsLatestValue()
            throws Exception {
        Holder op = new Holder(2, false);
        try (KeyedOneInputStreamOperatorTestHarness<String, String, String> h = harness(op)) {
            op.setCurrentKey("a");
            op.held.update(list("a1"));
            op.held.update(list("a2"));
            op.setCurrentKey("b");
            op.held.update(list("b1"));
            assertThat(op.storedOf("a")).as("a held, not written").isNull();
            op.setCurrentKey("a");
            assertThat(op.held.value()).containsExactly("a2"); // a is now the most recently used
            op.setCurrentKey("c");
            op.held.update(list("c1")); // b, the least recently used, leaves
            assertThat(op.storedOf("b")).containsExactly("b1");
            assertThat(op.storedOf("a")).isNull();
            assertThat(op.held.size()).isEqualTo(2);
            op.setCurrentKey("b");
            assertThat(op.held.value()).as("read back from the state").containsExactly("b1");
            assertThat(op.storedOf("a")).as("a left for b").containsExactly("a2");
        }
    }

    @Test
    void aFlushWritesEveryChangedValue_aClearAsAClear_andKeepsThemHeld_unchanged() throws Exception {
        Holder op = new Holder(8, false);
        try (KeyedOneInputStreamOperatorTestHarness<String, String, String> h = harness(op)) {
            op.setCurrentKey("gone");
            op.stored.update(list("old"));
            op.held.clear();
            op.setCurrentKey("new");
            op.held.update(list("n1"));
            assertThat(op.storedOf("gone")).containsExactly("old");
            op.held.flush();
            assertThat(op.storedOf("gone")).isNull();
            assertThat(op.storedOf("new")).containsExactly("n1");
            assertThat(op.getCurrentKey()).as("the key set back").isEqualTo("new");
            assertThat(op.held.size()).as("still held").isEqualTo(2);
            op.stored.update(list("behind its back"));
            assertThat(op.held.value()).as("read from what is held").containsExactly("n1");
            op.held.flush();
            assertThat(op.storedOf("new"))
                    .as("unchanged since the flush: not written again")
                    .containsExactly("behind its back");
        }
    }

    @Test
    void aValueOnlyRead_isWrittenWhenItsUserMayChangeItInPlace_only() throws Exception {
        for (boolean writesReads : new boolean[] {false, true}) {
            Holder op = new Holder(1, writesReads);
            try (KeyedOneInputStreamOperatorTestHarness<String, String, String> h = harness(op)) {
                op.setCurrentKey("a");
                op.stored.update(list("a1"));
                op.held.value().add("changed in place"); // as flink-cep changes its NFA state
                op.setCurrentKey("b");
                op.held.value(); // a leaves
                assertThat(op.storedOf("a"))
                        .as("writesReads %s", writesReads)
                        .isEqualTo(writesReads ? List.of("a1", "changed in place") : List.of("a1"));
            }
        }
    }

    @Test
    void anAbsenceIsHeld_notReadAgain_andNotWrittenWhenOnlyRead() throws Exception {
        Holder op = new Holder(4, true);
        try (KeyedOneInputStreamOperatorTestHarness<String, String, String> h = harness(op)) {
            op.setCurrentKey("a");
            assertThat(op.held.value()).isNull();
            op.stored.update(list("behind its back")); // the held absence is what the user sees
            assertThat(op.held.value()).isNull();
            op.held.flush();
            assertThat(op.storedOf("a"))
                    .as("an absence only read is not written")
                    .containsExactly("behind its back");
        }
    }

    /**
     * A key read absent whose value came and went while held writes nothing as it leaves or at a flush (on RocksDB a
     * {@code delete} spared: what was written behind its back stays), and a key whose value was written since (at a
     * flush, or as it left and was read back), or whose absence was never read, is deleted.
     */
    @Test
    void aValueThatCameAndWentWhileHeld_isNotDeleted_oneWrittenSinceOrNeverRead_is() throws Exception {
        Holder op = new Holder(2, false);
        try (KeyedOneInputStreamOperatorTestHarness<String, String, String> h = harness(op)) {
            op.setCurrentKey("came and went");
            assertThat(op.held.value()).isNull();
            op.held.update(list("v"));
            op.held.clear();
            op.stored.update(list("behind its back"));
            op.setCurrentKey("flushed");
            assertThat(op.held.value()).isNull();
            op.held.update(list("f1"));
            op.held.flush();
            assertThat(op.storedOf("flushed")).containsExactly("f1");
            op.held.clear();
            op.held.flush();
            assertThat(op.storedOf("flushed"))
                    .as("written at the flush: deleted")
                    .isNull();
            assertThat(op.storedOf("came and went"))
                    .as("nothing written at the flush")
                    .containsExactly("behind its back");

            op.setCurrentKey("left");
            op.held.update(list("l1")); // "came and went" leaves, unwritten
            op.setCurrentKey("x");
            op.held.update(list("x1")); // "flushed" leaves
            op.setCurrentKey("y");
            op.held.update(list("y1")); // "left" leaves, written
            assertThat(op.storedOf("came and went"))
                    .as("nothing written as it left")
                    .containsExactly("behind its back");
            assertThat(op.storedOf("left")).containsExactly("l1");
            op.setCurrentKey("left");
            assertThat(op.held.value()).as("read back").containsExactly("l1");
            op.held.clear();
            op.setCurrentKey("never read");
            op.stored.update(list("there"));
            op.held.update(list("n1")); // its absence never read: what the state has is unknown
            op.held.clear();
            op.held.flush();
            assertThat(op.storedOf("left"))
                    .as("written as it left, read back: deleted")
                    .isNull();
            assertThat(op.storedOf("never read")).as("deleted").isNull();
        }
    }

    @Test
    void withCapacityZero_everyCallGoesToTheState() throws Exception {
        Holder op = new Holder(0, true);
        try (KeyedOneInputStreamOperatorTestHarness<String, String, String> h = harness(op)) {
            op.setCurrentKey("a");
            op.held.update(list("a1"));
            assertThat(op.storedOf("a")).containsExactly("a1");
            op.held.clear();
            assertThat(op.storedOf("a")).isNull();
            assertThat(op.held.size()).isZero();
        }
    }

    @Test
    void aNegativeCapacityIsRefused_named() {
        assertThatThrownBy(() -> new HeldValueState<String>(null, null, -1, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("capacity must be at least 0, was -1");
    }
}
