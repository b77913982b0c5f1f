package io.flightcontroller.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The near wakes of the per-correlation-id operator ({@link NearWakes}): one per id, polled in time order. */
class NearWakesTest {

    /** Puts the id's wake at {@code t}. */
    private static boolean put(NearWakes w, String id, long t) {
        return w.add(id, t);
    }

    /** Polls every wake due at {@code watermark}, as "id@time". */
    private static List<String> due(NearWakes w, long watermark) {
        List<String> out = new ArrayList<>();
        String id;
        while ((id = w.pollDue(watermark)) != null) {
            out.add(id + "@" + w.polledAt());
        }
        return out;
    }

    @Test
    void wakesArePolledInTimeOrder_onlyThoseAtOrBeforeTheWatermark_andEachOnce() {
        NearWakes w = new NearWakes(10);
        put(w, "b", 20);
        put(w, "a", 10);
        put(w, "c", 30);
        assertThat(due(w, 20)).containsExactly("a@10", "b@20");
        assertThat(due(w, 20)).isEmpty();
        assertThat(w.size()).isEqualTo(1);
        assertThat(due(w, Long.MAX_VALUE)).containsExactly("c@30");
        assertThat(w.size()).isZero();
    }

    @Test
    void anIdHasOneWake_aMovedOrRemovedWakeNeverFiresAtItsOldTime() {
        NearWakes w = new NearWakes(10);
        put(w, "a", 10);
        put(w, "a", 40); // moved later
        put(w, "b", 30);
        w.remove("b");
        put(w, "b", 30); // removed, then back at the same time: once
        put(w, "c", 50);
        w.remove("c");
        assertThat(w.holds("a", 10)).isFalse();
        assertThat(w.holds("a", 40)).isTrue();
        assertThat(due(w, 100)).containsExactly("b@30", "a@40");
    }

    @Test
    void aFullSetRefusesANewId_butMovesTheWakeOfAnIdItHolds() {
        NearWakes w = new NearWakes(2);
        assertThat(put(w, "a", 10)).isTrue();
        assertThat(put(w, "b", 20)).isTrue();
        assertThat(put(w, "c", 30)).isFalse();
        assertThat(w.holds("c", 30)).isFalse();
        assertThat(put(w, "a", 15)).isTrue();
        assertThat(due(w, 100)).containsExactly("a@15", "b@20");
    }

    @Test
    void manyMovesOfOneIdKeepTheQueueBounded_andTheLatestWakeStands() {
        NearWakes w = new NearWakes(10);
        for (int i = 0; i < 100 * NearWakes.SLACK; i++) {
            put(w, "a", i);
            assertThat(w.queued()).isLessThanOrEqualTo(2 + NearWakes.SLACK);
        }
        put(w, "b", 5);
        assertThat(due(w, Long.MAX_VALUE)).containsExactly("b@5", "a@" + (100 * NearWakes.SLACK - 1));
    }

    @Test
    void drainingHandsOverEveryLiveWakeOnce_atItsLatestTime_andLeavesNone() throws Exception {
        NearWakes w = new NearWakes(10);
        put(w, "a", 10);
        put(w, "b", 20);
        put(w, "a", 30);
        put(w, "c", 40);
        w.remove("c");
        Map<String, Long> drained = new TreeMap<>();
        w.drainTo((id, t) -> assertThat(drained.put(id, t)).isNull());
        assertThat(drained).containsExactly(Map.entry("a", 30L), Map.entry("b", 20L));
        assertThat(w.size()).isZero();
        assertThat(due(w, Long.MAX_VALUE)).isEmpty();
    }
}
