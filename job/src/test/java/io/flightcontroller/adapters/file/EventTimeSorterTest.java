package io.flightcontroller.adapters.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flightcontroller.adapters.eventlog.ConversionStats;
import io.flightcontroller.adapters.eventlog.EventLogConverter;
import io.flightcontroller.adapters.eventlog.EventLogOptions;
import io.flightcontroller.testing.SharedData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The expected order is computed here, independently of the sorter and its parser: each generated line carries the
 * instant it was written from (or none for a line that is not a valid event), and a stable in-memory sort by that
 * instant gives the order. Times are written with mixed offsets and as epoch seconds, so text order is not instant
 * order.
 */
class EventTimeSorterTest {
    private static final Instant BASE = Instant.parse("2024-03-01T08:00:00Z");

    @TempDir
    Path tmp;

    @Test
    void shuffledFileComesOutInStableEventTimeOrder() throws IOException {
        List<Generated> lines = generate(new Random(1), 500, 40);
        Collections.shuffle(lines, new Random(2));
        Path in = write(tmp.resolve("in.jsonl"), lines);
        Path work = Files.createDirectory(tmp.resolve("work"));

        EventTimeSorter.Result result = new EventTimeSorter().sort(List.of(in), work);

        assertThat(result.sorted()).isTrue();
        assertThat(result.lines()).isEqualTo(500);
        assertThat(result.chunksSpilled()).isZero();
        assertThat(result.paths()).hasSize(1);
        assertThat(result.paths().get(0).getParent()).isEqualTo(work);
        assertThat(Files.readAllBytes(result.paths().get(0))).isEqualTo(joined(stableSorted(lines)));
        assertThat(result.outputBytes()).isEqualTo(Files.size(result.paths().get(0)));
    }

    @Test
    void tiesKeepFileOrderAcrossTwoInputs() throws IOException {
        Instant t = BASE.plusSeconds(60);
        List<Generated> first = List.of(event("a1", BASE.plusSeconds(120), 0), event("a2", t, 1), event("a3", t, -5));
        List<Generated> second = List.of(event("b1", t, 2), event("b2", BASE, 0), event("b3", t, 0));
        Path a = write(tmp.resolve("a.jsonl"), first);
        Path b = write(tmp.resolve("b.jsonl"), second);

        EventTimeSorter.Result result = new EventTimeSorter().sort(List.of(a, b), tmp);

        List<String> ids = Files.readAllLines(result.paths().get(0), StandardCharsets.UTF_8).stream()
                .map(l -> l.replaceAll(".*\"correlation_id\":\"([^\"]+)\".*", "$1"))
                .collect(Collectors.toList());
        assertThat(ids).containsExactly("b2", "a2", "a3", "b1", "b3", "a1");
    }

    @Test
    void linesWithoutValidTimeAndInvalidUtf8SurviveByteExactAndComeFirst() throws IOException {
        List<Generated> lines = new ArrayList<>();
        lines.add(event("late", BASE.plusSeconds(30), 0));
        lines.add(raw(null, bytes("{\"correlation_id\":\"x\",\"event_type\":\"no-time\"}")));
        lines.add(event("early", BASE, 0));
        // an event whose payload holds invalid UTF-8 (0xFF, a lone 0xC3) and whose line ends in \r: the strict
        // parser refuses it (bad_encoding), so it has no time and keeps its file order among the dead letters
        lines.add(raw(
                null,
                concat(
                        bytes("{\"correlation_id\":\"bin\",\"event_type\":\"e\","
                                + "\"time\":\"2024-03-01T08:00:10Z\",\"payload\":{\"v\":\""),
                        new byte[] {(byte) 0xFF, 'a', (byte) 0xC3},
                        bytes("\"}}\r"))));
        lines.add(raw(null, new byte[] {'n', 'o', 't', ' ', (byte) 0xFE, (byte) 0x80, 'j', 's', 'o', 'n'}));
        lines.add(raw(null, bytes("{\"correlation_id\":\"y\",\"event_type\":\"e\",\"time\":\"yesterday\"}")));
        Path in = tmp.resolve("in.jsonl");
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        for (Generated g : lines) {
            file.write(g.bytes);
            file.write("\n  \n\n".getBytes(StandardCharsets.US_ASCII)); // blank lines are dropped
        }
        Files.write(in, file.toByteArray());

        EventTimeSorter.Result result = new EventTimeSorter().sort(List.of(in), tmp);

        assertThat(result.lines()).isEqualTo(6);
        assertThat(Files.readAllBytes(result.paths().get(0)))
                .isEqualTo(joined(
                        List.of(lines.get(1), lines.get(3), lines.get(4), lines.get(5), lines.get(2), lines.get(0))));
    }

    @Test
    void inputAlreadyInOrderIsReturnedAsIsWithoutACopy() throws IOException {
        List<Generated> lines = new ArrayList<>();
        lines.add(raw(null, bytes("not json"))); // no time: sorts first, so this is in order
        lines.addAll(stableSorted(generate(new Random(3), 300, 50)));
        Path a = write(tmp.resolve("a.jsonl"), lines.subList(0, 150));
        Path b = write(tmp.resolve("b.jsonl"), lines.subList(150, lines.size()));
        Path work = tmp.resolve("work");

        EventTimeSorter.Result result = new EventTimeSorter().sort(List.of(a, b), work);

        assertThat(result.sorted()).isFalse();
        assertThat(result.paths()).containsExactly(a, b);
        assertThat(result.lines()).isEqualTo(301);
        assertThat(result.firstInversionLine()).isZero();
        assertThat(work).doesNotExist();
        assertThat(result.toString())
                .isEqualTo(String.format(
                        java.util.Locale.ROOT,
                        "input already in event-time order: 301 lines, %.1f s",
                        result.elapsedMs() / 1000.0));
    }

    @Test
    void inversionAcrossTheBoundaryOfTwoInputsIsSorted() throws IOException {
        Path a = write(tmp.resolve("a.jsonl"), List.of(event("a", BASE.plusSeconds(5), 0)));
        Path b = write(tmp.resolve("b.jsonl"), List.of(event("b", BASE, 0)));

        EventTimeSorter.Result result = new EventTimeSorter().sort(List.of(a, b), tmp.resolve("work"));

        assertThat(result.sorted()).isTrue();
        assertThat(result.firstInversionLine()).isEqualTo(2);
        assertThat(Files.readAllLines(result.paths().get(0), StandardCharsets.UTF_8)
                        .get(0))
                .contains("\"b\"");
    }

    @Test
    void inputLargerThanAChunkSpillsAndMatchesTheInMemorySort() throws IOException {
        List<Generated> lines = generate(new Random(4), 2_000, 300);
        Collections.shuffle(lines, new Random(5));
        Path in = write(tmp.resolve("in.jsonl"), lines);
        Path work = Files.createDirectory(tmp.resolve("work"));
        Path memoryWork = Files.createDirectory(tmp.resolve("memory"));

        EventTimeSorter.Result spilled = new EventTimeSorter(4 * 1024).sort(List.of(in), work);
        EventTimeSorter.Result inMemory = new EventTimeSorter().sort(List.of(in), memoryWork);

        assertThat(spilled.chunksSpilled()).isGreaterThan(1);
        assertThat(inMemory.chunksSpilled()).isZero();
        byte[] expected = joined(stableSorted(lines));
        assertThat(Files.readAllBytes(spilled.paths().get(0))).isEqualTo(expected);
        assertThat(Files.readAllBytes(inMemory.paths().get(0))).isEqualTo(expected);
        assertThat(spilled.toString())
                .startsWith(String.format(
                        java.util.Locale.ROOT,
                        "input sorted by event time: 2,000 lines in %d chunks, ",
                        spilled.chunksSpilled()));
        // the chunk files are gone: only the output is left
        try (Stream<Path> left = Files.list(work)) {
            assertThat(left.collect(Collectors.toList()))
                    .containsExactly(spilled.paths().get(0));
        }
    }

    @Test
    void aFailedSortLeavesNoChunkOrPartialOutputBehind() throws IOException {
        List<Generated> lines = generate(new Random(6), 400, 100);
        Collections.shuffle(lines, new Random(7));
        Path in = write(tmp.resolve("in.jsonl"), lines);
        Path work = Files.createDirectory(tmp.resolve("work"));

        // the inversion in the first file starts the sort; the second file is missing, after chunks were spilled
        assertThatThrownBy(() -> new EventTimeSorter(4 * 1024).sort(List.of(in, tmp.resolve("missing.jsonl")), work))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("missing.jsonl");
        try (Stream<Path> left = Files.list(work)) {
            assertThat(left.collect(Collectors.toList())).isEmpty();
        }
    }

    @Test
    void chunkBytesMustBePositive() {
        assertThatThrownBy(() -> new EventTimeSorter(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("chunkBytes");
    }

    /**
     * The real BPIC 2013 log converted by the project's converter (a stable event-time merge) is recognised as
     * sorted; its lines, permuted with a fixed seed so that lines of the same instant keep their relative order
     * (the only order a stable sort can restore), sort back to exactly the converter's bytes, in memory and with
     * spilled chunks.
     */
    @Test
    void convertedBpic2013LogIsAlreadySortedAndItsShuffleSortsBackToTheSameBytes() throws IOException {
        Path converted = tmp.resolve("bpic2013.jsonl");
        ConversionStats stats = EventLogConverter.convert(
                SharedData.path("bpic2013_incidents_volvo_ibm.csv.gz"),
                converted,
                EventLogOptions.builder()
                        .caseColumn("SR Number")
                        .activityColumn("Activity")
                        .timeColumn("Change Date+Time")
                        .build());
        Path work = Files.createDirectory(tmp.resolve("work"));

        EventTimeSorter.Result check = new EventTimeSorter().sort(List.of(converted), work);

        assertThat(check.sorted()).isFalse();
        assertThat(check.paths()).containsExactly(converted);
        assertThat(check.lines()).isEqualTo(stats.eventsWritten());

        byte[] original = Files.readAllBytes(converted);
        List<byte[]> lines = splitLines(original);
        assertThat(lines).hasSize((int) stats.eventsWritten());
        Path shuffled = writeRaw(tmp.resolve("shuffled.jsonl"), shuffleKeepingTies(lines, new Random(2013)));

        EventTimeSorter.Result inMemory = new EventTimeSorter().sort(List.of(shuffled), work);
        EventTimeSorter.Result spilled = new EventTimeSorter(1 << 20).sort(List.of(shuffled), work);

        assertThat(inMemory.sorted()).isTrue();
        assertThat(spilled.chunksSpilled()).isGreaterThan(1);
        assertThat(Files.readAllBytes(inMemory.paths().get(0))).isEqualTo(original);
        assertThat(Files.readAllBytes(spilled.paths().get(0))).isEqualTo(original);
    }

    /**
     * A random permutation in which lines with the same {@code "time"} text keep their order: shuffle, then give
     * each time's positions back to that time's lines in their original order.
     */
    private static List<byte[]> shuffleKeepingTies(List<byte[]> lines, Random random) {
        List<byte[]> shuffled = new ArrayList<>(lines);
        Collections.shuffle(shuffled, random);
        Map<String, List<byte[]>> byTime = new HashMap<>();
        for (byte[] l : lines) {
            byTime.computeIfAbsent(timeText(l), k -> new ArrayList<>()).add(l);
        }
        Map<String, Integer> next = new HashMap<>();
        List<byte[]> out = new ArrayList<>(shuffled.size());
        for (byte[] l : shuffled) {
            String t = timeText(l);
            int i = next.merge(t, 1, Integer::sum) - 1;
            out.add(byTime.get(t).get(i));
        }
        assertThat(out).isNotEqualTo(lines);
        return out;
    }

    private static String timeText(byte[] line) {
        String s = new String(line, StandardCharsets.UTF_8);
        int i = s.indexOf("\"time\":\"");
        return s.substring(i + 8, s.indexOf('"', i + 8));
    }

    private static List<byte[]> splitLines(byte[] all) {
        List<byte[]> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < all.length; i++) {
            if (all[i] == '\n') {
                out.add(Arrays.copyOfRange(all, start, i));
                start = i + 1;
            }
        }
        assertThat(start).isEqualTo(all.length);
        return out;
    }

    /** {@code n} events at one of {@code distinctSeconds} instants, written with varied offsets or as epoch seconds. */
    private static List<Generated> generate(Random random, int n, int distinctSeconds) {
        List<Generated> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Instant t = BASE.plusSeconds(random.nextInt(distinctSeconds) * 7L);
            out.add(event("c" + i, t, random.nextInt(25) - 12));
        }
        return out;
    }

    /** An event at {@code t}, written with offset {@code offsetHours}; offset 0 writes epoch seconds as a number. */
    private static Generated event(String id, Instant t, int offsetHours) {
        String time = offsetHours == 0
                ? Long.toString(t.getEpochSecond())
                : "\"" + OffsetDateTime.ofInstant(t, ZoneOffset.ofHours(offsetHours)) + "\"";
        return raw(
                t,
                bytes("{\"correlation_id\":\"" + id + "\",\"event_type\":\"step\",\"time\":" + time
                        + ",\"payload\":{\"n\":\"" + id + "\"}}"));
    }

    private static Generated raw(Instant time, byte[] bytes) {
        return new Generated(time == null ? Long.MIN_VALUE : time.toEpochMilli(), bytes);
    }

    private static List<Generated> stableSorted(List<Generated> lines) {
        List<Generated> sorted = new ArrayList<>(lines);
        sorted.sort(Comparator.comparingLong(g -> g.timeMs)); // List.sort is stable
        return sorted;
    }

    private static Path write(Path file, List<Generated> lines) throws IOException {
        return writeRaw(file, lines.stream().map(g -> g.bytes).collect(Collectors.toList()));
    }

    private static Path writeRaw(Path file, List<byte[]> lines) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] l : lines) {
            out.write(l);
            out.write('\n');
        }
        return Files.write(file, out.toByteArray());
    }

    private static byte[] joined(List<Generated> lines) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Generated g : lines) {
            out.write(g.bytes);
            out.write('\n');
        }
        return out.toByteArray();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.write(p);
        }
        return out.toByteArray();
    }

    /** A line and the instant it was generated from (epoch ms; {@link Long#MIN_VALUE} when it has no valid time). */
    private static final class Generated {
        final long timeMs;
        final byte[] bytes;

        Generated(long timeMs, byte[] bytes) {
            this.timeMs = timeMs;
            this.bytes = bytes;
        }
    }
}
