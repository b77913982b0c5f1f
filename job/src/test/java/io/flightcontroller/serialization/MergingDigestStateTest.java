package io.flightcontroller.serialization;

import static org.assertj.core.api.Assertions.assertThat;

import com.tdunning.math.stats.MergingDigest;
import java.io.IOException;
import java.util.Random;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class MergingDigestStateTest {

    private static MergingDigest roundTrip(MergingDigest d) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(1024);
        MergingDigestState.write(d, out);
        return MergingDigestState.read(new DataInputDeserializer(out.getCopyOfBuffer()));
    }

    private static double[] quantiles(MergingDigest d) {
        return new double[] {d.quantile(0.5), d.quantile(0.9), d.quantile(0.95), d.quantile(0.99), d.size(),
            d.getMin(), d.getMax()};
    }

    @Test
    void aDigestWrittenAndReadBackMidStreamAnswersExactlyAsOneNeverSerialized() throws IOException {
        Random r = new Random(3);
        double[] leads = new double[20_000];
        for (int i = 0; i < leads.length; i++) {
            leads[i] = Math.exp(r.nextGaussian() * 1.5 + 15); // log-normal lead times in ms
        }
        MergingDigest never = new MergingDigest(100);
        for (double v : leads) {
            never.add(v);
        }
        // serialized after 1, 7, 499, ... values: with an empty buffer, a part-full one, just after a merge
        for (int every : new int[] {1, 7, 499, 3_001}) {
            MergingDigest often = new MergingDigest(100);
            for (int i = 0; i < leads.length; i++) {
                often.add(leads[i]);
                if (i % every == 0) {
                    often = roundTrip(often);
                }
            }
            assertThat(quantiles(often)).as("serialized every %d values", every).containsExactly(quantiles(never));
        }
        // the library's own bytes compress the digest: that is what this class avoids
        MergingDigest lossy = new MergingDigest(100);
        for (int i = 0; i < leads.length; i++) {
            lossy.add(leads[i]);
            if (i == leads.length / 2) {
                java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(lossy.byteSize());
                lossy.asBytes(b);
                b.flip();
                lossy = MergingDigest.fromBytes(b);
            }
        }
        assertThat(quantiles(lossy)).isNotEqualTo(quantiles(never));
    }

    @Test
    void anEmptyDigestRoundTrips() throws IOException {
        MergingDigest d = roundTrip(new MergingDigest(100));
        assertThat(d.size()).isZero();
        d.add(42);
        assertThat(d.quantile(0.5)).isEqualTo(42);
    }
}
