package io.flightcontroller.benchmark;

import io.flightcontroller.adapters.file.EventTimeSorter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The file replay's sort by event time ({@code EventTimeSorter}, what the job's {@code run} does before a replay
 * unless {@code --arrival-order}) on the throughput workload: the check pass over a file already in event-time order
 * (nothing copied) and the sort of files out of order, in memory (one chunk) and spilled (small chunks, merged).
 *
 * <p>Shape: four inputs with the same lines. {@code generator}: the workload file (every event up to 2 s late, so out
 * of order only locally); {@code shards}: its shards by case ({@link Shards}) concatenated, N runs each in event-time
 * order (like exports concatenated); {@code shuffled}: its lines in a seeded random order (the worst case); and, for
 * the check pass, the workload sorted by the sorter itself (untimed preparation). Events/s = lines / wall time of one
 * {@code EventTimeSorter.sort} (check, sort, write; the sorted copy is deleted afterwards, untimed); CPU µs per line =
 * process CPU time / lines; peak heap = the heap pools' peak from the start of the sort, garbage included (after a
 * {@code System.gc()} whose result is in the notes as "heap before"). The notes carry the sorter's own summary.
 */
final class SortScenario implements AutoCloseable {
    /** Chunk size that keeps any input of this benchmark in one chunk: an in-memory sort. */
    static final int IN_MEMORY = Integer.MAX_VALUE;

    final Path generator;
    final Path shards;
    final Path shuffled;
    final Path sorted;
    private final Path workDir;
    private final long lines;

    private SortScenario(Path generator, Path shards, Path shuffled, Path sorted, Path workDir, long lines) {
        this.generator = generator;
        this.shards = shards;
        this.shuffled = shuffled;
        this.sorted = sorted;
        this.workDir = workDir;
        this.lines = lines;
    }

    /**
     * Writes the inputs beside the workload file (deleted by {@link #close}; the workload and its shards are kept).
     *
     * @param single the workload file
     * @param shardFiles its shards by case
     * @param seed seed of the shuffle
     * @param workDir where the sorter's output and chunk files go
     * @return the scenario
     * @throws IOException when a file cannot be read or written
     */
    static SortScenario prepare(Path single, List<Path> shardFiles, long seed, Path workDir) throws IOException {
        String base = single.getFileName().toString();
        Path concatenated = single.resolveSibling(base + ".shards-concatenated");
        concatenate(shardFiles, concatenated);
        Path shuffled = single.resolveSibling(base + ".shuffled");
        shuffleLines(single, shuffled, seed);
        EventTimeSorter.Result r = new EventTimeSorter(IN_MEMORY).sort(List.of(single), workDir);
        Path sorted = single.resolveSibling(base + ".sorted");
        if (r.sorted()) {
            Files.move(r.paths().get(0), sorted, StandardCopyOption.REPLACE_EXISTING);
        } else {
            Files.copy(single, sorted, StandardCopyOption.REPLACE_EXISTING);
        }
        return new SortScenario(single, concatenated, shuffled, sorted, workDir, r.lines());
    }

    /**
     * The check pass alone: the sorter over the file already in event-time order.
     *
     * @return the row
     * @throws IOException when the file cannot be read
     * @throws InterruptedException when interrupted while waiting for the garbage collector
     * @throws IllegalStateException when the sorter copied the file although it is in order
     */
    Row check() throws IOException, InterruptedException {
        return measure("sort check pass, already sorted", sorted, EventTimeSorter.DEFAULT_CHUNK_BYTES, false);
    }

    /**
     * One sort.
     *
     * @param what the input's name in the row ({@code generator}, {@code shards}, {@code shuffled})
     * @param input one of {@link #generator}, {@link #shards}, {@link #shuffled}
     * @param chunkBytes the sorter's chunk size ({@link #IN_MEMORY} for one chunk)
     * @return the row
     * @throws IOException when a file cannot be read or written
     * @throws InterruptedException when interrupted while waiting for the garbage collector
     * @throws IllegalStateException when the sorter did not sort (the input was in order)
     */
    Row sort(String what, Path input, int chunkBytes) throws IOException, InterruptedException {
        String how = chunkBytes == IN_MEMORY
                ? "in memory"
                : chunkBytes >= 1 << 20
                        ? "spilled, " + (chunkBytes >> 20) + " MiB chunks"
                        : "spilled, " + (chunkBytes >> 10) + " KiB chunks";
        return measure("sort " + what + ", " + how, input, chunkBytes, true);
    }

    private Row measure(String name, Path input, int chunkBytes, boolean expectSorted)
            throws IOException, InterruptedException {
        long before = Meter.usedHeapAfterGc();
        Meter m = new Meter();
        EventTimeSorter.Result r = new EventTimeSorter(chunkBytes).sort(List.of(input), workDir);
        Row row = new Row();
        row.scenario = name;
        row.parallelism = "1";
        row.input = Files.size(input) / (1 << 20) + " MiB, 1 file";
        row.notes = String.format(Locale.ROOT, "%s; heap before %d MiB", r, before >> 20);
        m.finish(row, r.lines());
        if (r.sorted()) {
            Files.deleteIfExists(r.paths().get(0));
        }
        if (r.sorted() != expectSorted || r.lines() != lines) {
            throw new IllegalStateException(name + ": expected " + (expectSorted ? "a sorted copy" : "no copy") + " of "
                    + lines + " lines, sorter says: " + r);
        }
        System.out.println("  " + name + ": " + Report.fmt(row.eventsPerS) + " lines/s; " + row.notes);
        return row;
    }

    /**
     * Writes the lines of {@code in} to {@code out} in a seeded random order (all lines held in memory).
     *
     * @param in a text file
     * @param out the shuffled copy
     * @param seed seed of the permutation
     * @throws IOException when a file cannot be read or written
     */
    static void shuffleLines(Path in, Path out, long seed) throws IOException {
        List<String> all = Files.readAllLines(in, StandardCharsets.UTF_8);
        Collections.shuffle(all, new Random(seed));
        Files.write(out, all, StandardCharsets.UTF_8);
    }

    private static void concatenate(List<Path> files, Path out) throws IOException {
        try (OutputStream o = Files.newOutputStream(out)) {
            for (Path f : files) {
                Files.copy(f, o);
            }
        }
    }

    @Override
    public void close() throws IOException {
        Files.deleteIfExists(shards);
        Files.deleteIfExists(shuffled);
        Files.deleteIfExists(sorted);
    }
}
