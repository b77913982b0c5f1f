package io.flightcontroller.adapters.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.source.lib.NumberSequenceSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;

class RateLimitedSourceTest {

    /**
     * 3,000 records at 1,000 per second over two subtasks (500 each): a token bucket lets each subtask start with at
     * most one second's permits (500), so its 1,500 records span at least (1,500 - 500) / 500 = 2 s from the first to
     * the last. Measured inside the job, from the first record to the last, so start-up is not counted; unpaced, the
     * same records span a few milliseconds. Every record arrives once.
     */
    @Test
    void recordsAreReadNoFasterThanTheRateForAllSubtasksTogether() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        List<long[]> got = new ArrayList<>();
        try (CloseableIterator<long[]> it = env.fromSource(
                        new RateLimitedSource<>(new NumberSequenceSource(1, 3_000), 1_000),
                        WatermarkStrategy.noWatermarks(),
                        "paced numbers")
                .map(n -> new long[] {n, System.nanoTime()})
                .returns(long[].class)
                .executeAndCollect()) {
            it.forEachRemaining(got::add);
        }
        assertThat(got.stream().mapToLong(r -> r[0]).sorted().toArray())
                .isEqualTo(java.util.stream.LongStream.rangeClosed(1, 3_000).toArray());
        long first = got.stream().mapToLong(r -> r[1]).min().getAsLong();
        long last = got.stream().mapToLong(r -> r[1]).max().getAsLong();
        assertThat((last - first) / 1e9)
                .as("seconds from the first record to the last")
                .isGreaterThan(1.9);
    }

    @Test
    void aRateThatIsNotMoreThanZeroAndFiniteIsRefused() {
        for (double rate : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThatThrownBy(() -> new RateLimitedSource<>(new NumberSequenceSource(1, 2), rate))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("records per second must be more than 0 and finite, was " + rate);
        }
    }

    @Test
    void theWrappedSourcesStateSerializersAndBoundednessAreKept() {
        NumberSequenceSource numbers = new NumberSequenceSource(1, 2);
        RateLimitedSource<Long, ?, ?> paced = new RateLimitedSource<>(numbers, 5);
        // a snapshot taken paced restores unpaced and the other way round: the wrapped source's own serializers
        assertThat(paced.getSplitSerializer().getClass())
                .isEqualTo(numbers.getSplitSerializer().getClass());
        assertThat(paced.getEnumeratorCheckpointSerializer().getClass())
                .isEqualTo(numbers.getEnumeratorCheckpointSerializer().getClass());
        assertThat(paced.getBoundedness()).isEqualTo(numbers.getBoundedness());
        assertThat(paced.getProducedType()).isEqualTo(numbers.getProducedType());
        assertThat(paced.recordsPerSecond()).isEqualTo(5.0);
    }
}
