package io.flightcontroller.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import io.flightcontroller.adapters.parse.EventParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sort rows sort what they say (the same lines, out of order) and clean up after themselves. */
class SortScenarioTest {

    @Test
    void shuffleKeepsEveryLineInASeededOtherOrder(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("events.jsonl");
        WorkloadGenerator.writeJsonLines(
                new WorkloadGenerator.Settings().cases(300).seed(3), in);
        List<String> lines = Files.readAllLines(in, StandardCharsets.UTF_8);

        SortScenario.shuffleLines(in, dir.resolve("a"), 9);
        SortScenario.shuffleLines(in, dir.resolve("b"), 9);
        SortScenario.shuffleLines(in, dir.resolve("c"), 10);

        List<String> a = Files.readAllLines(dir.resolve("a"), StandardCharsets.UTF_8);
        assertThat(a).containsExactlyInAnyOrderElementsOf(lines).isNotEqualTo(lines);
        assertThat(Files.readAllLines(dir.resolve("b"), StandardCharsets.UTF_8)).isEqualTo(a);
        assertThat(Files.readAllLines(dir.resolve("c"), StandardCharsets.UTF_8)).isNotEqualTo(a);
    }

    @Test
    void checkPassCopiesNothingAndSortsSpillWithSmallChunksOnTheSameLines(@TempDir Path dir) throws Exception {
        Path single = dir.resolve("events.jsonl");
        long lines = WorkloadGenerator.writeJsonLines(
                new WorkloadGenerator.Settings().cases(3_000).seed(5), single);
        List<Path> shards = Shards.byCase(single, 2);
        Path work = dir.resolve("work");

        try (SortScenario sort = SortScenario.prepare(single, shards, 1, work)) {
            assertThat(inversions(sort.sorted))
                    .as("the check pass's input is in event-time order")
                    .isZero();
            assertThat(inversions(sort.shards))
                    .as("concatenated shards are out of order")
                    .isPositive();
            assertThat(inversions(sort.shuffled))
                    .as("shuffled lines are out of order")
                    .isPositive();

            Row check = sort.check();
            Row inMemory = sort.sort("shuffled", sort.shuffled, SortScenario.IN_MEMORY);
            Row spilled = sort.sort("shuffled", sort.shuffled, 64 << 10);

            assertThat(List.of(check.events, inMemory.events, spilled.events)).containsOnly(lines);
            assertThat(check.notes).contains("already in event-time order");
            assertThat(inMemory.notes).contains("in memory");
            assertThat(spilled.scenario).contains("spilled");
            assertThat(spilled.notes).containsPattern("in \\d+ chunks");
            // the check pass only reads the lines: on a fast run its process CPU time can stay within one tick
            assertThat(check.cpuUsPerEvent).isNotNegative();
            assertThat(List.of(inMemory, spilled))
                    .allSatisfy(r -> assertThat(r.cpuUsPerEvent).isPositive());
            assertThat(List.of(check, inMemory, spilled))
                    .allSatisfy(r -> assertThat(r.peakHeapMiB).isPositive());
            try (Stream<Path> left = Files.list(work)) {
                assertThat(left.collect(Collectors.toList()))
                        .as("sorted copies and chunks are deleted")
                        .isEmpty();
            }
        }
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString()).collect(Collectors.toList()))
                    .as("prepared inputs are deleted, the workload and its shards kept")
                    .containsExactlyInAnyOrder(
                            "events.jsonl", "events.jsonl.shard0of2", "events.jsonl.shard1of2", "work");
        }
    }

    /** @return lines whose event time is earlier than the line before (dead letters count as the earliest time) */
    private static long inversions(Path file) throws Exception {
        EventParser parser = new EventParser();
        long previous = Long.MIN_VALUE;
        long n = 0;
        for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            long t = parser.parse(l).eventTimeOrMin();
            if (t < previous) {
                n++;
            }
            previous = t;
        }
        return n;
    }
}
