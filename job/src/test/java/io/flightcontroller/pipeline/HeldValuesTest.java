package io.flightcontroller.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The values held in front of the per-correlation-id operator's state ({@link HeldValues}): least recently used out. */
class HeldValuesTest {

    @Test
    void beyondTheCapacity_theLeastRecentlyUsedIdLeaves_withItsLatestValue() {
        HeldValues<String> v = new HeldValues<>(2);
        assertThat(v.put("a", "a1")).isNull();
        assertThat(v.put("b", "b1")).isNull();
        assertThat(v.get("a")).isEqualTo("a1"); // a used last now: b leaves next
        assertThat(v.put("a", "a2")).isNull(); // the same id: replaced, nothing leaves
        assertThat(v.put("c", "c1")).isEqualTo(Map.entry("b", "b1"));
        assertThat(v.get("b")).isNull();
        assertThat(v.put("d", "d1")).isEqualTo(Map.entry("a", "a2"));
        assertThat(v.size()).isEqualTo(2);
    }

    @Test
    void peekingDoesNotChangeWhichIdLeavesNext() {
        HeldValues<String> v = new HeldValues<>(2);
        v.put("a", "a1");
        v.put("b", "b1");
        assertThat(v.peek("a")).isEqualTo("a1");
        assertThat(v.peek("x")).isNull();
        assertThat(v.put("c", "c1")).isEqualTo(Map.entry("a", "a1"));
    }

    @Test
    void drainingHandsOverEveryValueOnce_andLeavesNone_aRemovedIdIsNotHandedOver() throws Exception {
        HeldValues<String> v = new HeldValues<>(10);
        v.put("a", "a1");
        v.put("b", "b1");
        v.put("a", "a2");
        v.put("c", "c1");
        v.remove("c");
        Map<String, String> drained = new LinkedHashMap<>();
        v.drainTo((id, value) -> assertThat(drained.put(id, value)).isNull());
        assertThat(drained).containsOnly(Map.entry("a", "a2"), Map.entry("b", "b1"));
        assertThat(v.size()).isZero();
        assertThat(v.get("a")).isNull();
    }

    @Test
    void puttingBackAValueJustRead_holdsIt_evenAfterItWasRemovedDrainedOrLeft() throws Exception {
        String a1 = new String("a1");
        String b1 = new String("b1");
        HeldValues<String> v = new HeldValues<>(1);
        v.put("a", a1);
        assertThat(v.get("a")).isSameAs(a1);
        assertThat(v.put("a", a1)).as("held and used last: nothing changes").isNull();
        v.remove("a");
        assertThat(v.put("a", a1)).isNull();
        assertThat(v.get("a")).as("held again after its removal").isSameAs(a1);
        v.drainTo((id, value) -> {});
        v.put("a", a1);
        assertThat(v.get("a")).as("held again after a drain").isSameAs(a1);
        assertThat(v.put("b", b1)).as("b takes the one place").isEqualTo(Map.entry("a", a1));
        assertThat(v.put("a", a1)).as("a, gone, held again: b leaves").isEqualTo(Map.entry("b", b1));
        assertThat(v.get("a")).isSameAs(a1);
        assertThat(v.size()).isEqualTo(1);
    }

    @Test
    void aFlushWritesOnlyTheChangedValues_andKeepsThemAll_aCleanValueLeavesWithoutAWrite() throws Exception {
        String a1 = new String("a1");
        String b1 = new String("b1");
        HeldValues<String> v = new HeldValues<>(2);
        v.put("a", a1);
        v.put("b", b1);
        Map<String, String> written = new LinkedHashMap<>();
        v.flush(written::put);
        assertThat(written).containsOnly(Map.entry("a", a1), Map.entry("b", b1));
        assertThat(v.size()).as("kept").isEqualTo(2);
        assertThat(v.dirty("a") || v.dirty("b")).isFalse();

        written.clear();
        assertThat(v.get("a")).isSameAs(a1);
        assertThat(v.put("a", a1)).isNull(); // changed in place: the put without a look-up still makes it dirty
        assertThat(v.dirty("a")).isTrue();
        v.flush(written::put);
        assertThat(written).as("only the changed one").containsOnly(Map.entry("a", a1));

        assertThat(v.get("b")).isSameAs(b1); // a is the least recently used now, and clean
        assertThat(v.put("c", new String("c1")))
                .as("a clean value leaves without a write")
                .isNull();
        assertThat(v.peek("a")).isNull();
        assertThat(v.put("d", new String("d1"))).as("b, clean").isNull();
        assertThat(v.put("e", new String("e1"))).as("c, dirty").isEqualTo(Map.entry("c", "c1"));

        written.clear();
        v.drainTo(written::put);
        assertThat(written)
                .as("a drain too writes only the dirty values")
                .containsOnly(Map.entry("d", "d1"), Map.entry("e", "e1"));
        assertThat(v.size()).isZero();
    }

    @Test
    void aCapacityBelowOneIsRefused_namingIt() {
        assertThatThrownBy(() -> new HeldValues<String>(0)).hasMessageContaining("capacity must be at least 1, was 0");
    }
}
