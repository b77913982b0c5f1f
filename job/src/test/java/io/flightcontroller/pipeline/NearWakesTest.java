package io.flightcontroller.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The wakes held on the heap ({@link NearWakes}): one per id, polled in time order; when full, refused, or with
 * eviction the latest handed over for an earlier one.
 */
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

    /** Moves with eviction, each wake that leaves recorded as "id@time"; whether the new wake is held. */
    private static boolean put(NearWakes w, String id, long t, List<String> left) throws Exception {
        return (w.move(id, t, (gone, at) -> left.add(gone + "@" + at)) & NearWakes.NEW_HELD) != 0;
    }

    @Test
    void aMoveSaysWhereTheOldWakeWasAndWhereTheNewOneIs_soTheCallerOwnsExactlyTheOthers() throws Exception {
        NearWakes w = new NearWakes(2, true);
        List<String> left = new ArrayList<>();
        NearWakes.Drain none = (id, t) -> left.add(id + "@" + t);
        assertThat(w.move("a", 10, none)).as("none before, held now").isEqualTo(NearWakes.NEW_HELD);
        assertThat(w.move("a", 20, none)).as("held before and now").isEqualTo(NearWakes.OLD_HELD | NearWakes.NEW_HELD);
        assertThat(w.move("b", 30, none)).isEqualTo(NearWakes.NEW_HELD);
        assertThat(w.move("c", 40, none))
                .as("full, none later: the caller's timer")
                .isZero();
        assertThat(w.move("c", 50, none)).as("still the caller's").isZero();
        assertThat(w.move("c", 25, none)).as("earlier than b's: b leaves").isEqualTo(NearWakes.NEW_HELD);
        assertThat(left).containsExactly("b@30");
        assertThat(w.move("a", Long.MAX_VALUE, none)).as("gone, it was held").isEqualTo(NearWakes.OLD_HELD);
        assertThat(w.move("b", Long.MAX_VALUE, none))
                .as("gone, it was the caller's")
                .isZero();
        assertThat(w.size()).isEqualTo(1);
        assertThat(due(w, Long.MAX_VALUE)).containsExactly("c@25");
    }

    @Test
    void aFullSetWithEvictionHandsOverItsLatestWakeForAnEarlierOne_andRefusesOneAtOrAfterAllItHolds() throws Exception {
        NearWakes w = new NearWakes(2, true);
        List<String> left = new ArrayList<>();
        assertThat(put(w, "a", 10, left)).isTrue();
        assertThat(put(w, "b", 30, left)).isTrue();
        assertThat(put(w, "c", 20, left)).isTrue();
        assertThat(left).containsExactly("b@30");
        assertThat(put(w, "d", 20, left)).as("not earlier than the latest held").isFalse();
        assertThat(put(w, "e", 40, left)).isFalse();
        assertThat(put(w, "a", 50, left))
                .as("an id held moves without evicting")
                .isTrue();
        assertThat(left).containsExactly("b@30");
        assertThat(w.holds("d", 20) || w.holds("e", 40)).isFalse();
        assertThat(due(w, Long.MAX_VALUE)).containsExactly("c@20", "a@50");
    }

    @Test
    void aMovedOrRemovedWakeIsNeverEvictedAtItsOldTime() throws Exception {
        NearWakes w = new NearWakes(2, true);
        List<String> left = new ArrayList<>();
        put(w, "a", 100, left);
        put(w, "a", 10, left); // moved earlier: its entry at 100 is stale
        put(w, "b", 90, left);
        w.remove("b"); // its entry at 90 is stale
        put(w, "c", 20, left);
        assertThat(put(w, "d", 15, left)).isTrue();
        assertThat(left).as("the live latest, not a stale entry").containsExactly("c@20");
        assertThat(due(w, Long.MAX_VALUE)).containsExactly("a@10", "d@15");
    }

    @Test
    void wakesPolledWithoutEvictionKeepTheLatestFirstQueueBounded() throws Exception {
        NearWakes w = new NearWakes(10, true);
        List<String> left = new ArrayList<>();
        for (int i = 0; i < 10 * NearWakes.SLACK; i++) {
            put(w, "id" + (i % 5), i, left);
            assertThat(w.queued()).isLessThanOrEqualTo(2 * w.size() + NearWakes.SLACK);
            due(w, i - 3);
        }
        assertThat(left).isEmpty();
    }

    @Test
    void theExtremeTimesKeepTheirOrder_earliestPolledFirst_latestEvictedFirst() throws Exception {
        NearWakes w = new NearWakes(3, true);
        List<String> left = new ArrayList<>();
        put(w, "max", Long.MAX_VALUE - 1, left); // a move to Long.MAX_VALUE is to no wake
        put(w, "min", Long.MIN_VALUE, left);
        put(w, "zero", 0, left);
        assertThat(put(w, "minus", -1, left)).isTrue();
        assertThat(left).containsExactly("max@" + (Long.MAX_VALUE - 1));
        assertThat(due(w, Long.MAX_VALUE)).containsExactly("min@" + Long.MIN_VALUE, "minus@-1", "zero@0");
    }

    @Test
    void equalTimesArePolledEachOnceAtThatWatermark_andAFullSetKeepsItsWakeAgainstAnEqualOne() throws Exception {
        NearWakes w = new NearWakes(3, true);
        List<String> left = new ArrayList<>();
        for (String id : new String[] {"a", "b", "c"}) {
            assertThat(put(w, id, Long.MIN_VALUE, left)).isTrue();
        }
        assertThat(put(w, "d", Long.MIN_VALUE, left))
                .as("no wake here is later: d's is the caller's")
                .isFalse();
        assertThat(left).isEmpty();
        assertThat(w.has("d")).isFalse();
        assertThat(due(w, Long.MIN_VALUE))
                .containsExactlyInAnyOrder("a@" + Long.MIN_VALUE, "b@" + Long.MIN_VALUE, "c@" + Long.MIN_VALUE);
        assertThat(w.size()).isZero();

        for (String id : new String[] {"a", "b", "c"}) {
            put(w, id, Long.MAX_VALUE - 1, left);
        }
        assertThat(due(w, Long.MAX_VALUE - 2)).isEmpty();
        assertThat(put(w, "d", Long.MAX_VALUE - 1, left)).isFalse();
        assertThat(put(w, "d", Long.MAX_VALUE - 2, left)).isTrue();
        assertThat(left).hasSize(1).allMatch(l -> l.endsWith("@" + (Long.MAX_VALUE - 1)));
        assertThat(due(w, Long.MAX_VALUE - 2)).containsExactly("d@" + (Long.MAX_VALUE - 2));
        assertThat(due(w, Long.MAX_VALUE)).hasSize(2).allMatch(l -> l.endsWith("@" + (Long.MAX_VALUE - 1)));
    }

    @Test
    void aSetOfCapacityZeroHoldsNothing_everyWakeIsTheCallers() throws Exception {
        NearWakes plain = new NearWakes(0);
        assertThat(put(plain, "a", 5)).isFalse();
        assertThat(plain.size()).isZero();
        NearWakes evicting = new NearWakes(0, true);
        List<String> left = new ArrayList<>();
        assertThat(evicting.move("a", Long.MIN_VALUE, (id, t) -> left.add(id))).isZero();
        assertThat(evicting.move("a", Long.MAX_VALUE, (id, t) -> left.add(id))).isZero();
        assertThat(left).isEmpty();
        assertThat(due(evicting, Long.MAX_VALUE)).isEmpty();
    }

    /**
     * Against a model (a map of each held id's time, the latest evicted by a scan): random moves, removals, polls and
     * drains over a few ids, with distinct times so that the order is the model's alone; enough steps that the queues
     * drop their stale entries many times over.
     */
    @Test
    void randomMovesPollsAndDrains_matchAModelOfTheEarliestWakesHeld() throws Exception {
        SplittableRandom r = new SplittableRandom(16);
        for (int capacity = 0; capacity <= 24; capacity += 3) {
            NearWakes w = new NearWakes(capacity, true);
            Map<String, Long> model = new HashMap<>();
            long[] times = r.longs(60_000).distinct().toArray();
            int next = 0;
            int evictions = 0;
            for (int step = 0; step < 50_000; step++) {
                String id = "id" + r.nextInt(40);
                int op = r.nextInt(100);
                if (op < 80) {
                    long t = r.nextInt(20) == 0 ? Long.MAX_VALUE : times[next++];
                    List<String> left = new ArrayList<>();
                    int got = w.move(id, t, (gone, at) -> left.add(gone + "@" + at));
                    Long old = t == Long.MAX_VALUE ? model.remove(id) : model.get(id);
                    int want = old != null ? NearWakes.OLD_HELD : 0;
                    List<String> leftWant = new ArrayList<>();
                    if (t != Long.MAX_VALUE) {
                        if (old != null || model.size() < capacity) {
                            model.put(id, t);
                            want |= NearWakes.NEW_HELD;
                        } else {
                            Map.Entry<String, Long> last = model.entrySet().stream()
                                    .max(Map.Entry.comparingByValue())
                                    .orElse(null);
                            if (last != null && last.getValue() > t) {
                                model.remove(last.getKey());
                                leftWant.add(last.getKey() + "@" + last.getValue());
                                model.put(id, t);
                                want |= NearWakes.NEW_HELD;
                            }
                        }
                    }
                    assertThat(got).as("step %d, move %s to %d", step, id, t).isEqualTo(want);
                    assertThat(left).as("step %d, evicted", step).isEqualTo(leftWant);
                    evictions += left.size();
                } else if (op < 88) {
                    assertThat(w.remove(id)).isEqualTo(model.remove(id) != null);
                } else if (op < 99) {
                    long watermark = times[r.nextInt(Math.max(1, next))];
                    List<String> want = model.entrySet().stream()
                            .filter(e -> e.getValue() <= watermark)
                            .sorted(Map.Entry.comparingByValue())
                            .map(e -> e.getKey() + "@" + e.getValue())
                            .collect(Collectors.toList());
                    assertThat(due(w, watermark))
                            .as("step %d, due at %d", step, watermark)
                            .isEqualTo(want);
                    model.values().removeIf(t -> t <= watermark);
                } else {
                    Map<String, Long> drained = new HashMap<>();
                    w.drainTo(drained::put);
                    assertThat(drained).isEqualTo(model);
                    model.clear();
                }
                assertThat(w.size()).isEqualTo(model.size());
                assertThat(w.queued()).isLessThanOrEqualTo(2 * w.size() + NearWakes.SLACK + 1);
            }
            if (capacity > 0) {
                assertThat(evictions).as("capacity %d: evictions", capacity).isGreaterThan(100);
            }
        }
    }

    @Test
    void aSetWithoutEvictionRefusesToEvict() {
        NearWakes w = new NearWakes(1);
        w.add("a", 10);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> w.move("b", 5, (id, t) -> {}))
                .isInstanceOf(IllegalStateException.class);
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
