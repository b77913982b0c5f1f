package io.flightcontroller.domain.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The identity hash is stored in de-duplication state (checkpoints and savepoints): a duplicate that straddles an
 * upgrade is only recognised if the new code gives the old value. These tests hold {@link ProcessEvent#identityHash()}
 * to the definition it had when it built the text: FNV-1a over the chars of {@code "id:" + eventId}, else of
 * {@code eventType + '\u0001' + timeMs + '\u0001' + payload}.
 */
class ProcessEventIdentityTest {

    /** The definition, as it was computed until 2026-12-02: from the text. */
    private static long fromText(ProcessEvent e) {
        String s = e.getEventId() != null
                ? "id:" + e.getEventId()
                : e.getEventType() + '\u0001' + e.getTimeMs() + '\u0001' + e.getPayload();
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= 0x100000001b3L;
        }
        return h;
    }

    private static final String[] TEXTS = {
        "", "a", "team-0", "ü", "日本", "\uD83D\uDE00 emoji", "with, comma", "k=v", "{x}", "[y]", "null", "\u0001"
    };

    private static Object randomValue(SplittableRandom r, int depth) {
        switch (r.nextInt(depth > 2 ? 9 : 11)) {
            case 0:
                return null;
            case 1:
                return (long) r.nextInt();
            case 2:
                return r.nextInt(1000);
            case 3:
                return r.nextBoolean();
            case 4:
                return r.nextDouble() * 1e6;
            case 5:
                return new BigDecimal("12345678901234567890.125");
            case 6:
                return new BigInteger("-123456789012345678901234567890");
            case 7:
            case 8:
                return TEXTS[r.nextInt(TEXTS.length)];
            case 9:
                return randomMap(r, depth + 1);
            default:
                List<Object> l = new ArrayList<>();
                for (int i = r.nextInt(4); i > 0; i--) {
                    l.add(randomValue(r, depth + 1));
                }
                return l;
        }
    }

    private static Map<String, Object> randomMap(SplittableRandom r, int depth) {
        Map<String, Object> m = r.nextBoolean() ? new LinkedHashMap<>() : new HashMap<>();
        for (int i = r.nextInt(5); i > 0; i--) {
            m.put(TEXTS[r.nextInt(TEXTS.length)] + i, randomValue(r, depth));
        }
        return m;
    }

    @Test
    void theHashOfEveryParsersPayloadShapeEqualsTheHashOfItsText() {
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < 20_000; i++) {
            Map<String, Object> payload = r.nextInt(10) == 0 ? null : randomMap(r, 0);
            ProcessEvent e = ProcessEvent.of(
                    null,
                    "case-" + i,
                    "type-" + r.nextInt(3),
                    r.nextLong(-5_000_000_000_000L, 5_000_000_000_000L),
                    payload);
            assertThat(e.identityHash()).as("payload %s", payload).isEqualTo(fromText(e));
        }
    }

    @Test
    void anEventIdAloneMakesTheIdentity() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("team", "a");
        ProcessEvent a = ProcessEvent.of("ev-1", "case-1", "project_requested", 1L, p);
        ProcessEvent b = ProcessEvent.of("ev-1", "case-1", "project_created", 2L, null);
        assertThat(a.identityHash()).isEqualTo(fromText(a)).isEqualTo(b.identityHash());
    }

    @Test
    void aPayloadTheWalkDoesNotKnowIsHashedFromItsText() {
        Map<String, Object> sorted = new TreeMap<>();
        sorted.put("b", 1.5f);
        sorted.put("a", List.of("x", 2));
        Map<String, Object> self = new LinkedHashMap<>();
        self.put("me", self);
        self.put("n", Collections.unmodifiableList(new ArrayList<>(List.of(1L))));
        Map<String, Object> floats = new LinkedHashMap<>();
        floats.put("f", 0.1f);
        for (Map<String, Object> p : List.of(sorted, self, floats, Collections.unmodifiableMap(floats))) {
            ProcessEvent e = ProcessEvent.of(null, "case-1", "project_requested", 42L, p);
            assertThat(e.identityHash()).as("payload %s", p).isEqualTo(fromText(e));
        }
    }

    @Test
    void aKnownEventKeepsTheIdentityTheReleasedCodeGaveIt() {
        // computed by the job of 5fd6266 (identity from the text), for a payload with every kind of part
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("team", "team-0");
        Map<String, Object> n = new LinkedHashMap<>();
        n.put("ids", new ArrayList<>(List.of(1L, "x", 2.5)));
        n.put("ok", true);
        n.put("none", null);
        p.put("nested", n);
        ProcessEvent e = ProcessEvent.of(null, "case-0", "project_requested", 1_767_225_600_000L, p);
        assertThat(e.identityHash()).isEqualTo(-786_716_356_170_183_339L);
    }
}
