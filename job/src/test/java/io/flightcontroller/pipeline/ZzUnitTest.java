package io.flightcontroller.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.*;
import org.junit.jupiter.api.Test;

class ZzUnitTest {
    static final class V {
        int x;

        V(int x) {
            this.x = x;
        }

        V copy() {
            return new V(x);
        }
    }

    /** Operator-like use of HeldValues against a write-through model; invariant: clean held == state. */
    @Test
    void heldValuesModel() throws Exception {
        int runs = 0;
        for (long seed = 0; seed < 3000; seed++) {
            SplittableRandom r = new SplittableRandom(seed);
            int cap = 1 + r.nextInt(4);
            HeldValues<V> h = new HeldValues<>(cap);
            Map<String, Integer> state = new HashMap<>(); // stored copy
            Map<String, Integer> truth = new HashMap<>(); // write-through reference
            for (int step = 0; step < 400; step++) {
                String id = "i" + r.nextInt(6);
                int op = r.nextInt(100);
                if (op < 70) {
                    V v = h.get(id);
                    if (v == null && state.containsKey(id)) v = new V(state.get(id)); // fresh object per read
                    assertThat(v == null ? null : v.x)
                            .as("seed %d step %d read", seed, step)
                            .isEqualTo(truth.get(id));
                    int kind = r.nextInt(10);
                    if (kind == 0) continue; // duplicate: no put
                    if (v == null) v = new V(0);
                    if (kind == 1) {
                        h.remove(id);
                        state.remove(id);
                        truth.remove(id);
                        continue;
                    }
                    if (kind >= 3) v.x = r.nextInt(1000);
                    Map.Entry<String, V> out = h.put(id, v);
                    truth.put(id, v.x);
                    if (out != null) state.put(out.getKey(), out.getValue().x);
                } else if (op < 85) {
                    h.flush((k, v) -> state.put(k, v.x));
                    assertThat(state).as("seed %d flush", seed).isEqualTo(truth);
                } else if (op < 92) {
                    h.drainTo((k, v) -> state.put(k, v.x));
                    assertThat(state).as("seed %d drain", seed).isEqualTo(truth);
                } else {
                    // a clean value must equal state
                    for (String k : truth.keySet()) {
                        V p = h.peek(k);
                        if (p != null && !h.dirty(k))
                            assertThat(state.get(k))
                                    .as("seed %d clean %s", seed, k)
                                    .isEqualTo(p.x);
                    }
                }
            }
            runs++;
        }
        System.out.println("ZZ heldValuesModel runs " + runs);
    }

    @Test
    void nearWakesExtremes() throws Exception {
        for (int cap = 0; cap <= 3; cap++) {
            NearWakes w = new NearWakes(cap, true);
            List<String> ev = new ArrayList<>();
            int a = w.move("a", Long.MIN_VALUE, (i, t) -> ev.add(i + "@" + t));
            int b = w.move("b", Long.MIN_VALUE, (i, t) -> ev.add(i + "@" + t));
            int c = w.move("c", Long.MAX_VALUE - 1, (i, t) -> ev.add(i + "@" + t));
            int d = w.move("d", Long.MIN_VALUE + 1, (i, t) -> ev.add(i + "@" + t));
            System.out.println("ZZ cap " + cap + " " + a + b + c + d + " " + ev + " size " + w.size());
            List<String> polled = new ArrayList<>();
            String id;
            while ((id = w.pollDue(Long.MAX_VALUE)) != null) polled.add(id + "@" + w.polledAt());
            System.out.println("ZZ   polled " + polled);
            assertThat(polled.size() + ev.size() + (cap == 0 ? 4 : 0)).isLessThanOrEqualTo(4);
        }
    }
}
