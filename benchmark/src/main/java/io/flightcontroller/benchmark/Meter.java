package io.flightcontroller.benchmark;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;

/**
 * Measures one run from its construction to {@link #finish}: wall time, process CPU time, GC time and peak heap.
 *
 * <p>Shape: events/s = events / wall seconds; CPU µs per event = process CPU time (all threads: GC, JIT, mini-cluster
 * included, from {@code com.sun.management.OperatingSystemMXBean}) / events; peak heap = sum of the heap pools' peak
 * usage since construction (peaks are reset then), in MiB; GC = sum of the collectors' collection time, appended to
 * the row's notes.
 */
final class Meter {
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private final long wall0 = System.nanoTime();
    private final long cpu0 = OS.getProcessCpuTime();
    private final long gc0 = gcMillis();

    /** Starts measuring (and resets the heap pools' peaks). */
    Meter() {
        resetPeaks();
    }

    /**
     * Fills the row's measured columns.
     *
     * @param r the row
     * @param events events (lines) the run processed
     * @return {@code r}
     */
    Row finish(Row r, long events) {
        r.wallS = (System.nanoTime() - wall0) / 1e9;
        r.events = events;
        r.eventsPerS = events / r.wallS;
        r.cpuUsPerEvent = (OS.getProcessCpuTime() - cpu0) / 1e3 / events;
        r.peakHeapMiB = peakHeapMiB();
        r.load1m = loadAverage();
        r.notes = (r.notes.isEmpty() ? "" : r.notes + "; ") + "gc " + (gcMillis() - gc0) + " ms";
        return r;
    }

    /**
     * Heap in use after garbage collection: {@code System.gc()} until two readings 300 ms apart differ by less than
     * 256 KiB or 0.5 % (at most 8 rounds).
     *
     * @return bytes
     * @throws InterruptedException when interrupted while waiting
     */
    static long usedHeapAfterGc() throws InterruptedException {
        long prev = -1;
        long used = 0;
        for (int i = 0; i < 8; i++) {
            System.gc();
            Thread.sleep(300);
            used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            if (prev > 0 && Math.abs(used - prev) < Math.max(256 * 1024, prev / 200)) {
                break;
            }
            prev = used;
        }
        return used;
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                p.resetPeakUsage();
            }
        }
    }

    /** @return the machine's 1-minute load average now, NaN where the platform gives none (negative) */
    static double loadAverage() {
        double l = OS.getSystemLoadAverage();
        return l < 0 ? Double.NaN : l;
    }

    private static double peakHeapMiB() {
        long sum = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                sum += p.getPeakUsage().getUsed();
            }
        }
        return sum / (1024.0 * 1024.0);
    }

    private static long gcMillis() {
        long t = 0;
        for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
            t += Math.max(0, b.getCollectionTime());
        }
        return t;
    }
}
