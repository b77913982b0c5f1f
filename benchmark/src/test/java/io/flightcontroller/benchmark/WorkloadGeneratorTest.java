package io.flightcontroller.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import io.flightcontroller.adapters.parse.EventParser;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Shape and reproducibility of the workload (no timing assertions). */
class WorkloadGeneratorTest {

    private static List<WorkloadGenerator.Line> all(long cases, long seed) {
        WorkloadGenerator g = new WorkloadGenerator(
                new WorkloadGenerator.Settings().cases(cases).seed(seed), true);
        List<WorkloadGenerator.Line> out = new ArrayList<>();
        while (g.hasNext()) {
            out.add(g.next());
        }
        return out;
    }

    @Test
    void sameSeedSameLinesOtherSeedOtherLines() {
        List<String> a = new ArrayList<>();
        List<String> b = new ArrayList<>();
        List<String> c = new ArrayList<>();
        all(2_000, 1).forEach(l -> a.add(l.json));
        all(2_000, 1).forEach(l -> b.add(l.json));
        all(2_000, 2).forEach(l -> c.add(l.json));
        assertThat(a).isEqualTo(b).isNotEqualTo(c);
    }

    @Test
    void outOfOrderWithinBoundDuplicatesMalformedAndIncompleteCases() {
        WorkloadGenerator.Settings s = new WorkloadGenerator.Settings();
        List<WorkloadGenerator.Line> lines = all(10_000, 3);
        EventParser parser = new EventParser();
        long max = Long.MIN_VALUE;
        long maxBehind = 0;
        int malformed = 0;
        Set<String> seen = new HashSet<>();
        int dup = 0;
        Map<String, Integer> perCase = new HashMap<>();
        for (WorkloadGenerator.Line l : lines) {
            if (l.event == null) {
                malformed++;
                assertThat(parser.parse(l.json).isEvent()).isFalse();
                continue;
            }
            assertThat(parser.parse(l.json).getEvent()).isEqualTo(l.event);
            long t = l.event.getTimeMs();
            if (max != Long.MIN_VALUE) {
                maxBehind = Math.max(maxBehind, max - t);
            }
            max = Math.max(max, t);
            if (!seen.add(l.json)) {
                dup++;
            } else {
                perCase.merge(l.event.getCorrelationId(), 1, Integer::sum);
            }
        }
        assertThat(maxBehind).isPositive().isLessThan(s.outOfOrderMs);
        assertThat(malformed).isBetween(1, 50);
        assertThat(dup).isBetween(300, 900); // ~2% of ~29k events
        assertThat(perCase).hasSize(10_000);
        long incomplete = perCase.values().stream().filter(n -> n == 1).count();
        assertThat(incomplete).isBetween(350L, 650L); // ~5%
    }
}
