package io.flightcontroller.serialization;

import com.tdunning.math.stats.MergingDigest;
import java.io.IOException;
import java.lang.reflect.Field;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Writes and reads the COMPLETE state of a t-digest {@link MergingDigest} (com.tdunning:t-digest 3.3), so that a
 * digest restored from a checkpoint or savepoint (or read back by the RocksDB state backend on every access) goes on
 * exactly as the one that was never serialized: same centroids, same buffered values, same merge count, hence the
 * same quantiles to the last bit.
 *
 * <p>Why not the library's own {@code asBytes}/{@code fromBytes}: {@code asBytes} first compresses the digest (merges
 * its buffer into the centroids at the coarser public compression) and {@code fromBytes} starts a new merge count, so
 * a digest that went through them answers slightly differently from one that did not: a run resumed from a
 * checkpoint would write other window percentiles than an uninterrupted run of the same input (measured: p50 of a
 * one-day window 65,949,000 vs 67,522,250 ms). The library gives no other access to its state, hence reflection on
 * its private fields; the version is pinned in the build, and a field that is not there fails at class
 * initialisation with a message naming it.
 *
 * <p>Shape: {@code double} public compression, {@code int} merge count, {@code double} total weight, {@code double}
 * unmerged weight, {@code double} min, {@code double} max, {@code int} centroids n, n x ({@code double} mean,
 * {@code double} weight), {@code int} buffered values m, m x ({@code double} value, {@code double} weight). The
 * digest is created with {@code new MergingDigest(compression)} (array sizes follow from it) and the library's
 * defaults for everything else (scale function K_2, alternating sort, two-level compression, no data recording),
 * which is how this job creates its digests.
 */
public final class MergingDigestState {
    private static final Field MERGE_COUNT = field("mergeCount");
    private static final Field PUBLIC_COMPRESSION = field("publicCompression");
    private static final Field LAST_USED_CELL = field("lastUsedCell");
    private static final Field TOTAL_WEIGHT = field("totalWeight");
    private static final Field WEIGHT = field("weight");
    private static final Field MEAN = field("mean");
    private static final Field UNMERGED_WEIGHT = field("unmergedWeight");
    private static final Field TEMP_USED = field("tempUsed");
    private static final Field TEMP_WEIGHT = field("tempWeight");
    private static final Field TEMP_MEAN = field("tempMean");
    private static final Field MIN = superField("min");
    private static final Field MAX = superField("max");

    private MergingDigestState() {}

    /**
     * Writes a digest's whole state, leaving it untouched.
     *
     * @param d the digest
     * @param out where to write
     * @throws IOException on write failure
     */
    public static void write(MergingDigest d, DataOutputView out) throws IOException {
        try {
            out.writeDouble(PUBLIC_COMPRESSION.getDouble(d));
            out.writeInt(MERGE_COUNT.getInt(d));
            out.writeDouble(TOTAL_WEIGHT.getDouble(d));
            out.writeDouble(UNMERGED_WEIGHT.getDouble(d));
            out.writeDouble(MIN.getDouble(d));
            out.writeDouble(MAX.getDouble(d));
            pairs(out, (double[]) MEAN.get(d), (double[]) WEIGHT.get(d), LAST_USED_CELL.getInt(d));
            pairs(out, (double[]) TEMP_MEAN.get(d), (double[]) TEMP_WEIGHT.get(d), TEMP_USED.getInt(d));
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Reads a digest written by {@link #write}.
     *
     * @param in where to read
     * @return a new digest in exactly the state written
     * @throws IOException on read failure, or when the state does not fit the digest's arrays
     */
    public static MergingDigest read(DataInputView in) throws IOException {
        MergingDigest d = new MergingDigest(in.readDouble());
        try {
            MERGE_COUNT.setInt(d, in.readInt());
            TOTAL_WEIGHT.setDouble(d, in.readDouble());
            UNMERGED_WEIGHT.setDouble(d, in.readDouble());
            MIN.setDouble(d, in.readDouble());
            MAX.setDouble(d, in.readDouble());
            LAST_USED_CELL.setInt(d, pairs(in, (double[]) MEAN.get(d), (double[]) WEIGHT.get(d), "centroids"));
            TEMP_USED.setInt(d, pairs(in, (double[]) TEMP_MEAN.get(d), (double[]) TEMP_WEIGHT.get(d),
                    "buffered values"));
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
        return d;
    }

    private static void pairs(DataOutputView out, double[] a, double[] b, int n) throws IOException {
        out.writeInt(n);
        for (int i = 0; i < n; i++) {
            out.writeDouble(a[i]);
            out.writeDouble(b[i]);
        }
    }

    private static int pairs(DataInputView in, double[] a, double[] b, String what) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > a.length) {
            throw new IOException("t-digest state: " + n + " " + what + " do not fit a digest of " + a.length);
        }
        for (int i = 0; i < n; i++) {
            a[i] = in.readDouble();
            b[i] = in.readDouble();
        }
        return n;
    }

    private static Field field(String name) {
        return accessible(MergingDigest.class, name);
    }

    private static Field superField(String name) {
        return accessible(com.tdunning.math.stats.TDigest.class, name);
    }

    private static Field accessible(Class<?> c, String name) {
        try {
            Field f = c.getDeclaredField(name);
            f.setAccessible(true);
            return f;
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException("t-digest " + c.getName() + " has no field '" + name + "': the library"
                    + " changed; MergingDigestState must follow it", e);
        }
    }
}
