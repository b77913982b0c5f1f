package io.flightcontroller.domain.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A frozen payload: equal to what it was, in the same order, and no one can change it or anything within it. */
class FrozenPayloadTest {

    private static Map<String, Object> payload() {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("ids", new ArrayList<>(Arrays.asList(1, 2L, "three", null, 4.5, 1.5f, true)));
        inner.put("big", new BigDecimal("12.3400"));
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("z_first", "c-1");
        p.put("nested", inner);
        p.put("huge", new BigInteger("123456789012345678901234567890"));
        p.put("a_last", null);
        return p;
    }

    @Test
    void aFrozenPayloadEqualsTheMapItWasInTheSameOrder() {
        Map<String, Object> before = payload();
        Map<String, Object> frozen = FrozenPayload.freeze(payload());
        assertThat(frozen).isEqualTo(before);
        assertThat(before).isEqualTo(frozen);
        assertThat(frozen.hashCode()).isEqualTo(before.hashCode());
        assertThat(frozen.toString()).isEqualTo(before.toString());
        assertThat(frozen.keySet()).containsExactly("z_first", "nested", "huge", "a_last");
        assertThat(frozen.get("a_last")).isNull();
        assertThat(frozen.containsKey("a_last")).isTrue();
        assertThat(frozen).hasSize(4);
        assertThat(FrozenPayload.isFrozen(frozen)).isTrue();
        assertThat(FrozenPayload.isFrozen(frozen.get("nested"))).isTrue();
        assertThat(FrozenPayload.isFrozen(((Map<?, ?>) frozen.get("nested")).get("ids")))
                .isTrue();
        assertThat(FrozenPayload.isFrozen(before)).isFalse();
        assertThat(FrozenPayload.freeze(frozen)).isSameAs(frozen);
        assertThat(FrozenPayload.freeze(null)).isNull();
    }

    @Test
    @SuppressWarnings("unchecked")
    void noOneCanChangeAFrozenPayloadAtAnyDepth() {
        Map<String, Object> frozen = FrozenPayload.freeze(payload());
        Map<String, Object> nested = (Map<String, Object>) frozen.get("nested");
        List<Object> ids = (List<Object>) nested.get("ids");
        List<Runnable> changes = List.of(
                () -> frozen.put("x", 1),
                () -> frozen.remove("z_first"),
                () -> frozen.clear(),
                () -> frozen.putAll(Map.of("x", 1)),
                () -> frozen.entrySet().iterator().next().setValue("changed"),
                () -> {
                    Iterator<String> it = frozen.keySet().iterator();
                    it.next();
                    it.remove();
                },
                () -> frozen.values().removeIf(v -> v == null),
                () -> nested.put("x", 1),
                () -> nested.replaceAll((k, v) -> "changed"),
                () -> ids.add("more"),
                () -> ids.set(0, 9),
                () -> ids.remove(0),
                () -> ids.sort((x, y) -> 0));
        for (Runnable change : changes) {
            assertThatThrownBy(change::run).isInstanceOf(UnsupportedOperationException.class);
        }
        assertThat(frozen).isEqualTo(payload());
    }

    @Test
    void theImmutableScalarsAreTheJsonScalarsTheParserMakes() {
        for (Object v : Arrays.asList(null, "s", 1, 2L, 1.5, 1.5f, true, new BigInteger("1"), new BigDecimal("1.0"))) {
            assertThat(FrozenPayload.isImmutableScalar(v)).as("%s", v).isTrue();
        }
        for (Object v : List.of(new StringBuilder("s"), new LinkedHashMap<>(), new ArrayList<>(), new int[0])) {
            assertThat(FrozenPayload.isImmutableScalar(v)).as("%s", v).isFalse();
        }
    }

    @Test
    void aLeafThatIsNotAnImmutableJsonValueIsRefusedNamingItsType() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("buffer", new StringBuilder("mutable"));
        assertThatThrownBy(() -> FrozenPayload.freeze(p))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.lang.StringBuilder");
    }
}
