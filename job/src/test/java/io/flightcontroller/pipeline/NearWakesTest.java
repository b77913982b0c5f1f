package io.flightcontroller.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The near wakes of the per-correlation-id operator ({@link NearWakes}): one per id, polled in time order. */
class NearWakesTest {

    /** Puts the id's wake at {@code t} with a value held, as the operator does. */
    private static boolean put(NearWakes<String> w, String id, long t, String value) {
        if (!w.add(id, t)) {
            return false;
        }
        w.hold(id, value);
        return true;
    }

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
        put(w, "b", 20, "b");
        put(w, "a", 10, "a");
        put(w, "c", 30, "c");
        assertThat(due(w, 20)).containsExactly("a@10", "b@20");
        assertThat(due(w, 20)).isEmpty();
        assertThat(w.size()).isEqualTo(1);
        assertThat(due(w, Long.MAX_VALUE)).containsExactly("c@30");
        assertThat(w.size()).isZero();
    }

    @Test
    void anIdHasOneWake_aMovedOrRemovedWakeNeverFiresAtItsOldTime() {
        NearWakes<String> w = new NearWakes<>(10);
        put(w, "a", 10, "a");
        put(w, "a", 40, "a"); // moved later
        put(w, "b", 30, "b");
        w.remove("b");
        put(w, "b", 30, "b"); // removed, then back at the same time: once
        put(w, "c", 50, "c");
        w.remove("c");
        assertThat(w.holds("a", 10)).isFalse();
        assertThat(w.holds("a", 40)).isTrue();
        assertThat(due(w, 100)).containsExactly("b@30", "a@40");
    }

    @Test
    void aFullSetRefusesANewId_butMovesTheWakeOfAnIdItHolds() {
        NearWakes<String> w = new NearWakes<>(2);
        assertThat(put(w, "a", 10, "a")).isTrue();
        assertThat(put(w, "b", 20, "b")).isTrue();
        assertThat(put(w, "c", 30, "c")).isFalse();
        assertThat(w.holds("c", 30)).isFalse();
        assertThat(put(w, "a", 15, "a")).isTrue();
        assertThat(due(w, 100)).containsExactly("a@15", "b@20");
    }

    @Test
    void manyMovesOfOneIdKeepTheQueueBounded_andTheLatestWakeStands() {
        NearWakes<String> w = new NearWakes<>(10);
        for (int i = 0; i < 100 * NearWakes.SLACK; i++) {
            put(w, "a", i, "a");
            assertThat(w.queued()).isLessThanOrEqualTo(2 + NearWakes.SLACK);
        }
        put(w, "b", 5, "b");
        assertThat(due(w, Long.MAX_VALUE)).containsExactly("b@5", "a@" + (100 * NearWakes.SLACK - 1));
    }

    @Test
    void drainingHandsOverEveryWakeOnce_withTheValueHeld_andLeavesNone() throws Exception {
        NearWakes<String> w = new NearWakes<>(10);
        put(w, "a", 10, "a-old");
        put(w, "b", 20, "b");
        put(w, "a", 30, "a-new");
        w.add("c", 40); // a wake without a value held (the changelog backend's case)
        Map<String, String> drained = new TreeMap<>();
        w.drainTo((id, t, held) -> assertThat(drained.put(id, t + " " + held)).isNull());
        assertThat(drained)
                .containsExactly(Map.entry("a", "30 a-new"), Map.entry("b", "20 b"), Map.entry("c", "40 null"));
        assertThat(w.size()).isZero();
        assertThat(due(w, Long.MAX_VALUE)).isEmpty();
    }

    @Test
    void aWakeCarriesTheValueLastHeldForItsId_untilItIsPolled_andAMovedOrRemovedWakeDropsIt() {
        NearWakes<String> w = new NearWakes<>(10);
        put(w, "a", 10, "a-first");
        w.hold("a", "a-second");
        assertThat(w.value("a")).isEqualTo("a-second");
        assertThat(w.value("b")).isNull();
        put(w, "b", 5, "b");
        w.add("b", 6); // moved: the caller writes or holds the value anew
        assertThat(w.value("b")).isNull();
        put(w, "c", 7, "c");
        w.remove("c");
        assertThat(w.value("c")).isNull();
        assertThat(w.pollDue(10)).isEqualTo("b");
        assertThat(w.polledValue()).isNull();
        assertThat(w.pollDue(10)).isEqualTo("a");
        assertThat(w.polledValue()).isEqualTo("a-second");
        assertThat(w.value("a")).isNull();
        assertThat(w.pollDue(10)).isNull();
        assertThat(w.polledValue()).isNull();
    }
}
