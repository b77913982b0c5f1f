package io.flightcontroller.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sharding by case keeps every line, each case in one shard, and the file's order within a shard. */
class ShardsTest {
    private static final Pattern CASE = Pattern.compile("case-\\d+");

    @Test
    void everyLineLandsInTheOneShardOfItsCaseInFileOrder(@TempDir Path dir) throws Exception {
        Path single = dir.resolve("events.jsonl");
        WorkloadGenerator.writeJsonLines(
                new WorkloadGenerator.Settings().cases(500).seed(7), single);
        List<String> input = Files.readAllLines(single, StandardCharsets.UTF_8);

        List<Path> shards = Shards.byCase(single, 3);

        assertThat(shards).hasSize(3);
        Map<String, Integer> shardOfCase = new HashMap<>();
        List<String> all = new ArrayList<>();
        for (int i = 0; i < shards.size(); i++) {
            List<String> lines = Files.readAllLines(shards.get(i), StandardCharsets.UTF_8);
            assertThat(lines).as("shard %d", i).isNotEmpty();
            assertThat(input).as("shard %d keeps the file's order", i).containsSubsequence(lines);
            for (String l : lines) {
                Matcher m = CASE.matcher(l);
                if (m.find()) {
                    Integer earlier = shardOfCase.putIfAbsent(m.group(), i);
                    assertThat(earlier == null ? i : earlier)
                            .as("shard of %s", m.group())
                            .isEqualTo(i);
                }
            }
            all.addAll(lines);
        }
        assertThat(all).containsExactlyInAnyOrderElementsOf(input);
    }
}
