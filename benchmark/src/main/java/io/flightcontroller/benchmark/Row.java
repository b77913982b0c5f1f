package io.flightcontroller.benchmark;

/**
 * One line of the benchmark's report (console table and CSV).
 *
 * <p>Shape: {@code events} = input lines (or samples, or cases); {@code wallS} in seconds; {@code eventsPerS} is
 * events per second, or the row's value where the notes say so (a ratio, bytes per case, a latency in ms);
 * {@code cpuUsPerEvent} = process CPU time / events in microseconds; {@code peakHeapMiB} = sum of the heap pools' peak
 * usage; {@code load1m} = the machine's 1-minute load average (runnable and running threads, all processes, as
 * {@code /proc/loadavg} and {@code OperatingSystemMXBean#getSystemLoadAverage}) when the row's measurement ended, so a
 * reader sees how shared the cores were; NaN = not measured (an empty cell). {@code counters} and {@code sourceReaders} are not columns: they are what
 * {@link Ratios#rocksdbOverHeap} compares to check that a RocksDB row did its heap twin's work.
 */
final class Row {
    String scenario;
    String parallelism = "";
    String input = "";
    long events;
    double wallS;
    double eventsPerS;
    double cpuUsPerEvent = Double.NaN;
    double peakHeapMiB = Double.NaN;
    double load1m = Double.NaN;
    String notes = "";
    /** The job's counters of a Flight Controller row ({@code records_in}, {@code matched}, ...), in order; else empty. */
    java.util.Map<String, Long> counters = java.util.Map.of();
    /** Source readers of a Flight Controller row (one reader: the outputs at end of input are determined); else 0. */
    int sourceReaders;
}
