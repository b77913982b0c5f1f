package io.flightcontroller.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The near wakes of the per-correlation-id operator ({@link NearWakes}): one per id, polled in time order. */
class NearWakesTest {

    /** Polls every wake due at {@code watermark}, as "id@time". */
    private static List<String> due(NearWakes<String> w, long watermark) {
        List<String> out = new ArrayList<>();
        String id;
        while ((id = w.pollDue(watermark)) != null) {
            out.add(id + "@" + w.polledAt());
            assertThat(w.polledValue()).startsWith(id);
        }
        return out;
    }

    @Test
    void wakesArePolledInTimeOrder_onlyThoseAtOrBeforeTheWatermark_andEachOnce() {
        NearWakes<String> w = new NearWakes<>(10);
        w.add("b", 20, "b");
        w.add("a", 10, "a");
        w.add("c", 30, "c");
        assertThat(due(w, 20)).containsExactly("a@10", "b@20");
        assertThat(due(w, 20)).isEmpty();
        assertThat(w.size()).isEqualTo(1);
        assertThat(due(w, Long.MAX_VALUE)).containsExactly("c@30");
        assertThat(w.size()).isZero();
    }

    @Test
    void anIdHasOneWake_aMovedOrRemovedWakeNeverFiresAtItsOldTime() {
        NearWakes<String> w = new NearWakes<>(10);
        w.add("a", 10, "a");
        w.add("a", 40, "a"); // moved later
        w.add("b", 30, "b");
        w.remove("b");
        w.add("b", 30, "b"); // removed, then back at the same time: once
        w.add("c", 50, "c");
        w.remove("c");
        assertThat(w.holds("a", 10)).isFalse();
        assertThat(w.holds("a", 40)).isTrue();
        assertThat(due(w, 100)).containsExactly("b@30", "a@40");
    }

    @Test
    void aFullSetRefusesANewId_butMovesTheWakeOfAnIdItHolds() {
        NearWakes<String> w = new NearWakes<>(2);
        assertThat(w.add("a", 10, "a")).isTrue();
        assertThat(w.add("b", 20, "b")).isTrue();
        assertThat(w.add("c", 30, "c")).isFalse();
        assertThat(w.holds("c", 30)).isFalse();
        assertThat(w.add("a", 15, "a")).isTrue();
        assertThat(due(w, 100)).containsExactly("a@15", "b@20");
    }

    @Test
    void manyMovesOfOneIdKeepTheQueueBounded_andTheLatestWakeStands() {
        NearWakes<String> w = new NearWakes<>(10);
        for (int i = 0; i < 100 * NearWakes.SLACK; i++) {
            w.add("a", i, "a");
            assertThat(w.queued()).isLessThanOrEqualTo(2 + NearWakes.SLACK);
        }
        w.add("b", 5, "b");
        assertThat(due(w, Long.MAX_VALUE)).containsExactly("b@5", "a@" + (100 * NearWakes.SLACK - 1));
    }

    @Test
    void drainingHandsOverEveryWakeOnce_andLeavesNone() {
        NearWakes<String> w = new NearWakes<>(10);
        w.add("a", 10, "a");
        w.add("b", 20, "b");
        w.add("a", 30, "a");
        Map<String, Long> drained = new TreeMap<>();
        w.drainTo((id, t) -> assertThat(drained.put(id, t)).isNull());
        assertThat(drained).containsExactly(Map.entry("a", 30L), Map.entry("b", 20L));
        assertThat(w.size()).isZero();
        assertThat(due(w, Long.MAX_VALUE)).isEmpty();
    }

    @Test
    void aWakeCarriesTheValueLastHeldForItsId_untilItIsPolled() {
        NearWakes<String> w = new NearWakes<>(10);
        w.add("a", 10, "a-first");
        w.hold("a", "a-second");
        w.hold("b", "b-none"); // no wake here: nothing held
        assertThat(w.value("a")).isEqualTo("a-second");
        assertThat(w.value("b")).isNull();
        assertThat(w.pollDue(10)).isEqualTo("a");
        assertThat(w.polledValue()).isEqualTo("a-second");
        assertThat(w.value("a")).isNull();
        assertThat(w.pollDue(10)).isNull();
        assertThat(w.polledValue()).isNull();
    }
}
