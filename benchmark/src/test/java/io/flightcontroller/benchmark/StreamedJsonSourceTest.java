package io.flightcontroller.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import io.flightcontroller.adapters.parse.EventParser;
import io.flightcontroller.domain.event.ParsedRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streamed source yields exactly the workload's file: at one shard the lines {@code WorkloadGenerator} writes for
 * the same seed and count, at two shards the lines of each of {@code Shards}' files, parsed as the file format parses
 * them.
 */
class StreamedJsonSourceTest {

    @Test
    void oneShardYieldsExactlyTheLinesWrittenToAFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("events.jsonl");
        WorkloadGenerator.writeJsonLines(
                new WorkloadGenerator.Settings().cases(3_000).seed(5), file);

        List<String> streamed = drain(new StreamedJsonSource.Lines(3_000, 5, 0, 1));

        assertThat(streamed).isEqualTo(Files.readAllLines(file, StandardCharsets.UTF_8));
    }

    @Test
    void eachShardYieldsExactlyTheLinesOfItsShardFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("events.jsonl");
        WorkloadGenerator.writeJsonLines(
                new WorkloadGenerator.Settings().cases(3_000).seed(5), file);
        List<Path> shards = Shards.byCase(file, 2);

        for (int i = 0; i < 2; i++) {
            List<String> expected = Files.readAllLines(shards.get(i), StandardCharsets.UTF_8);
            assertThat(expected).as("shard %d is not empty", i).isNotEmpty();
            assertThat(drain(new StreamedJsonSource.Lines(3_000, 5, i, 2)))
                    .as("shard %d", i)
                    .isEqualTo(expected);
        }
    }

    @Test
    void splitsParseEveryLineAsTheFileFormatDoes() {
        StreamedJsonSource source = new StreamedJsonSource(500, 9, 2, new EventParser());
        List<String> lines = drain(new StreamedJsonSource.Lines(500, 9, 0, 1));
        long malformed = lines.stream()
                .filter(l -> !new EventParser().parse(l).isEvent())
                .count();

        long records = 0;
        long events = 0;
        for (StreamedJsonSource.Split split : source.splits()) {
            StreamedJsonSource.Records it = split.getIterator();
            while (it.hasNext()) {
                ParsedRecord r = it.next();
                records++;
                events += r.isEvent() ? 1 : 0;
            }
        }

        assertThat(records).isEqualTo(lines.size());
        assertThat(events).isEqualTo(lines.size() - malformed);
    }

    private static List<String> drain(StreamedJsonSource.Lines lines) {
        List<String> out = new ArrayList<>();
        while (lines.hasNext()) {
            out.add(lines.next());
        }
        return out;
    }
}
