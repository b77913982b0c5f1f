package io.flightcontroller.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.flightcontroller.domain.engine.CasePhase;
import io.flightcontroller.domain.engine.CaseState;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** The per-correlation-id state value: its cases stay findable as they come and go, and its format round-trips. */
class CorrelationCasesTest {

    private static CaseState state(long startMs) {
        CaseState s = new CaseState();
        s.phase = CasePhase.OPEN;
        s.startMs = startMs;
        s.timerMs = startMs + 1;
        return s;
    }

    private static CorrelationCases roundTrip(CorrelationCases c) throws Exception {
        CorrelationCases.Serializer ser = new CorrelationCases.Serializer();
        DataOutputSerializer out = new DataOutputSerializer(64);
        ser.serialize(c, out);
        return ser.deserialize(new DataInputDeserializer(out.getSharedBuffer(), 0, out.length()));
    }

    @Test
    void aRemovedCaseIsReplacedByTheLastAndEveryOtherIsStillFoundUnderItsMeasureAndKey() {
        CorrelationCases c = new CorrelationCases();
        for (int i = 0; i < 5; i++) {
            assertThat(c.add("m" + (i % 2), "k" + i, state(i))).isEqualTo(i);
        }
        c.remove(1);
        assertThat(c.size).isEqualTo(4);
        assertThat(c.indexOf("m1", "k1")).isEqualTo(-1);
        for (int i : new int[] {0, 2, 3, 4}) {
            int at = c.indexOf("m" + (i % 2), "k" + i);
            assertThat(at).as("case %d", i).isNotNegative();
            assertThat(c.state(at).startMs).isEqualTo(i);
        }
        assertThat(c.wakeUpMs()).isEqualTo(1); // case 0's
        c.dedupWakeMs = 0;
        assertThat(c.wakeUpMs()).as("no key remembered: no look").isEqualTo(1);
        c.dedup = new long[] {7, 0};
        assertThat(c.wakeUpMs()).as("later cases wake it").isEqualTo(1);
        c.dedup = null;
        while (c.size > 0) {
            c.remove(0);
        }
        assertThat(c.isEmpty()).isTrue();
        c.dedup = new long[] {7, 8};
        assertThat(c.isEmpty()).isFalse();
    }

    @Test
    void theKeysWakeTheIdOnlyWhenTheLastOfThemExpiresAndNoCaseWakesItLater() {
        CorrelationCases c = new CorrelationCases();
        assertThat(c.dedupDrainedMs()).isEqualTo(Long.MAX_VALUE);
        c.dedupWakeMs = 10;
        c.dedup = new long[] {1, 10, 2, 30, 3, 20};
        assertThat(c.dedupDrainedMs()).isEqualTo(30);
        assertThat(c.wakeUpMs()).as("no case: once, at the last expiry").isEqualTo(30);
        c.add("m", "k", state(24)); // wakes at 25, before the last key expires
        assertThat(c.wakeUpMs()).isEqualTo(25);
        c.add("m", "k2", state(39)); // wakes at 40, after: that wake drops the keys
        assertThat(c.wakeUpMs()).isEqualTo(25);
        c.remove(0);
        assertThat(c.wakeUpMs()).isEqualTo(40);
        c.state(0).timerMs = 29;
        assertThat(c.wakeUpMs()).isEqualTo(29);
        c.state(0).timerMs = Long.MAX_VALUE; // a case with nothing due does not wake the id
        assertThat(c.wakeUpMs()).isEqualTo(30);
        // a first key remembered behind the watermark: the look is the next watermark (wake), after its expiry
        c.dedupWakeMs = 50;
        c.dedup = new long[] {1, 5};
        assertThat(c.wakeUpMs()).isEqualTo(50);
        // spilled: the latest expiry kept in the value; a value written before that kept only the next look
        c.spilled = true;
        c.dedup = new long[] {70};
        assertThat(c.dedupDrainedMs()).isEqualTo(70);
        c.dedup = null;
        assertThat(c.dedupDrainedMs()).isEqualTo(50);
    }

    @Test
    void casesWithOnlyTheirReleaseLeft_wakeTheIdOnceAtTheLatestUnlessWorkComesAtOrAfterIt() {
        CorrelationCases c = new CorrelationCases();
        c.add("a", "k", state(99)); // released at 100
        c.add("b", "k", state(199)); // released at 200
        c.add("c", "k", state(149)); // work (a deadline) at 150
        CorrelationCases.Releases releases = (cc, i) -> !cc.measure(i).equals("c");
        assertThat(c.wakeUpMs(releases))
                .as("the work first; releases ride on later wakes")
                .isEqualTo(150);
        assertThat(c.wakeUpMs()).as("every case timer as work").isEqualTo(100);
        c.state(2).timerMs = 300; // the work after every release: its wake drops them
        assertThat(c.wakeUpMs(releases)).isEqualTo(300);
        c.remove(2);
        assertThat(c.wakeUpMs(releases))
                .as("releases only: once, at the latest")
                .isEqualTo(200);
        c.dedupWakeMs = 250;
        c.dedup = new long[] {1, 250};
        assertThat(c.wakeUpMs(releases)).as("or at the last key's expiry").isEqualTo(250);
    }

    @Test
    void aVersion1ValueReadsAsItWasWritten() throws Exception {
        CorrelationCases c = new CorrelationCases();
        c.timerMs = 42;
        c.dedupWakeMs = 3_600_042;
        c.spilled = true;
        c.add("assigned", "p-1", state(10));
        CorrelationCases.Serializer ser = new CorrelationCases.Serializer();
        DataOutputSerializer out = new DataOutputSerializer(64);
        ser.serialize(c, out);
        byte[] bytes = out.getCopyOfBuffer();
        assertThat(bytes[0]).isEqualTo((byte) 2);
        bytes[0] = 1; // v1 had the same fields; a spilled id's value never carried its latest expiry
        CorrelationCases back = ser.deserialize(new DataInputDeserializer(bytes));
        assertThat(back.spilled).isTrue();
        assertThat(back.dedup).isNull();
        assertThat(back.dedupWakeMs).isEqualTo(3_600_042);
        assertThat(back.dedupDrainedMs()).isEqualTo(3_600_042);
        assertThat(back.timerMs).isEqualTo(42);
        assertThat(back.caseKey(0)).isEqualTo("p-1");
    }

    @Test
    void theFormatCarriesTimersKeysSpillMarkAndEveryCase() throws Exception {
        CorrelationCases c = new CorrelationCases();
        c.timerMs = 42;
        c.dedupWakeMs = 3_600_042;
        c.dedup = new long[] {-5, 3_600_042, 9, 3_600_100};
        c.add("assigned", "p-1", state(10));
        c.add("created", "p-1|x", state(20));
        CorrelationCases back = roundTrip(c);
        assertThat(back.timerMs).isEqualTo(42);
        assertThat(back.dedupWakeMs).isEqualTo(3_600_042);
        assertThat(back.dedup).containsExactly(-5, 3_600_042, 9, 3_600_100);
        assertThat(back.spilled).isFalse();
        assertThat(back.size).isEqualTo(2);
        assertThat(back.measure(1)).isEqualTo("created");
        assertThat(back.caseKey(1)).isEqualTo("p-1|x");
        assertThat(back.state(1).startMs).isEqualTo(20);
        assertThat(back.state(0).phase).isEqualTo(CasePhase.OPEN);

        CorrelationCases spilled = new CorrelationCases();
        spilled.spilled = true;
        spilled.dedup = new long[] {3_600_900};
        CorrelationCases spilledBack = roundTrip(spilled);
        assertThat(spilledBack.spilled).isTrue();
        assertThat(spilledBack.dedup).containsExactly(3_600_900);
        assertThat(spilledBack.isEmpty()).isFalse();
    }
}
