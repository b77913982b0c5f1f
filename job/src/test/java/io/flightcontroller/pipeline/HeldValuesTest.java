package io.flightcontroller.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
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

    /** A value as the operator holds it: changed in place, a fresh copy at each read from state. */
    private static final class Box {
        int x;

        Box(int x) {
            this.x = x;
        }
    }

    /**
     * Used as the operator uses it (get, else read a fresh copy from state; change in place; put back or remove; a
     * duplicate gets without putting; flushes and drains) against writing every change through: every read sees the
     * latest value, every flush and drain leaves the state equal to it, and every clean value held equals the state.
     */
    @Test
    void usedAsTheOperatorUsesIt_everyReadFlushAndDrainMatchesWritingThrough_andACleanValueEqualsTheState()
            throws Exception {
        for (long seed = 0; seed < 1000; seed++) {
            SplittableRandom r = new SplittableRandom(seed);
            HeldValues<Box> h = new HeldValues<>(1 + r.nextInt(4));
            Map<String, Integer> state = new HashMap<>();
            Map<String, Integer> through = new HashMap<>();
            for (int step = 0; step < 400; step++) {
                String id = "i" + r.nextInt(6);
                int op = r.nextInt(100);
                if (op < 70) {
                    Box v = h.get(id);
                    if (v == null && state.containsKey(id)) {
                        v = new Box(state.get(id));
                    }
                    assertThat(v == null ? null : v.x)
                            .as("seed %d step %d read", seed, step)
                            .isEqualTo(through.get(id));
                    int kind = r.nextInt(10);
                    if (kind == 0) {
                        continue; // a duplicate: nothing put
                    }
                    if (kind == 1) {
                        h.remove(id);
                        state.remove(id);
                        through.remove(id);
                        continue;
                    }
                    if (v == null) {
                        v = new Box(0);
                    }
                    if (kind >= 3) {
                        v.x = r.nextInt(1000);
                    }
                    Map.Entry<String, Box> out = h.put(id, v);
                    through.put(id, v.x);
                    if (out != null) {
                        state.put(out.getKey(), out.getValue().x);
                    }
                } else if (op < 85) {
                    h.flush((k, v) -> state.put(k, v.x));
                    assertThat(state).as("seed %d step %d flush", seed, step).isEqualTo(through);
                } else if (op < 92) {
                    h.drainTo((k, v) -> state.put(k, v.x));
                    assertThat(state).as("seed %d step %d drain", seed, step).isEqualTo(through);
                } else {
                    for (String k : through.keySet()) {
                        Box held = h.peek(k);
                        if (held != null && !h.dirty(k)) {
                            assertThat(state.get(k))
                                    .as("seed %d step %d clean %s", seed, step, k)
                                    .isEqualTo(held.x);
                        }
                    }
                }
            }
        }
    }

    @Test
    void aCapacityBelowOneIsRefused_namingIt() {
        assertThatThrownBy(() -> new HeldValues<String>(0)).hasMessageContaining("capacity must be at least 1, was 0");
    }
}
