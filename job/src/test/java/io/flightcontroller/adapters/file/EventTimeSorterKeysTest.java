package io.flightcontroller.adapters.file;

import static org.assertj.core.api.Assertions.assertThat;

import io.flightcontroller.adapters.parse.EventParser;
import io.flightcontroller.domain.event.EventTimes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sorter's packed primitive keys (time and index in one {@code long}) at the ends of the accepted time range, with
 * ties and dead letters: the output equals a stable sort of the lines by {@code EventParser.parse(bytes)}'s
 * {@code eventTimeOrMin()}, in memory and spilled.
 */
class EventTimeSorterKeysTest {
    @TempDir
    Path tmp;

    private static String line(long timeMs, int n) {
        return "{\"correlation_id\":\"c-" + n + "\",\"event_type\":\"t\",\"time\":" + timeMs + ",\"payload\":{\"n\":"
                + n + "}}";
    }

    @Test
    void extremeTimesTiesAndDeadLettersSortLikeAStableSortByTheParsersTime() throws IOException {
        Random r = new Random(11);
        long[] times = {
            EventTimes.MIN_EPOCH_MS + 100_000_000_000L, // the smallest time read as milliseconds
            EventTimes.END_EPOCH_MS - 1,
            EventTimes.END_EPOCH_MS - 2,
            1_767_225_600_000L,
            100_000_000_000L
        };
        List<byte[]> lines = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            int k = r.nextInt(12);
            String l;
            if (k < times.length) {
                l = line(times[k], i);
            } else if (k == 5) {
                l = "{\"correlation_id\":\"c-" + i + "\",\"event_type\":\"t\",\"time\":\"1970-01-01T00:00:00Z\"}";
            } else if (k == 6) {
                l = "not json " + i;
            } else if (k == 7) {
                l = line(EventTimes.END_EPOCH_MS, i); // outside the range: a dead letter
            } else {
                l = line(1_767_225_600_000L + r.nextInt(5) * 1000L, i);
            }
            lines.add(l.getBytes(StandardCharsets.UTF_8));
        }
        EventParser parser = new EventParser();
        List<byte[]> expected = new ArrayList<>(lines);
        expected.sort(Comparator.comparingLong(b -> parser.parse(b).eventTimeOrMin())); // List.sort is stable
        ByteArrayOutputStream in = new ByteArrayOutputStream();
        ByteArrayOutputStream want = new ByteArrayOutputStream();
        for (int i = 0; i < lines.size(); i++) {
            in.write(lines.get(i));
            in.write('\n');
            want.write(expected.get(i));
            want.write('\n');
        }
        Path input = Files.write(tmp.resolve("in.jsonl"), in.toByteArray());
        for (int chunkBytes : new int[] {EventTimeSorter.DEFAULT_CHUNK_BYTES, 16 * 1024}) {
            EventTimeSorter.Result result = new EventTimeSorter(chunkBytes).sort(List.of(input), tmp.resolve("w"));
            assertThat(result.sorted()).isTrue();
            assertThat(result.chunksSpilled() > 0).as("spilled").isEqualTo(chunkBytes < 1 << 20);
            assertThat(Files.readAllBytes(result.paths().get(0)))
                    .as("chunk bytes %d", chunkBytes)
                    .isEqualTo(want.toByteArray());
        }
    }
}
