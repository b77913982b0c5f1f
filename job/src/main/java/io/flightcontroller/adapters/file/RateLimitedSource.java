package io.flightcontroller.adapters.file;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimitedSourceReader;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiter;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * A source read at most so many records per second: a paced replay (dashboards and alerts arrive as they would live,
 * a run stays mid-input long enough to be stopped). Splits, enumerator and their checkpoint serializers are the wrapped
 * source's, so a snapshot taken with a rate restores without one and the other way round; results do not depend on
 * the rate.
 *
 * <p>Shape: Flink's {@link RateLimiterStrategy#perSecond} (a token bucket, Guava's {@code RateLimiter}, holding at
 * most one second's permits) over {@link RateLimitedSourceReader}, which takes a permit before each poll of the
 * reader (a poll emits at most one record; one that finds none, such as the last, also takes one, so the rate is an
 * upper bound); the rate is for all subtasks together, each subtask reading at {@code recordsPerSecond / parallelism}.
 * A blank line of a JSON Lines file is no record. Each permit is handed over by the limiter's own thread (one per
 * reader, a daemon), which caps a paced reader at about 120,000 records per second on the benchmark machine.
 *
 * @param <T> record type
 * @param <S> split type
 * @param <C> enumerator checkpoint type
 */
public final class RateLimitedSource<T, S extends SourceSplit, C> implements Source<T, S, C>, ResultTypeQueryable<T> {
    private static final long serialVersionUID = 1L;

    private final Source<T, S, C> source;
    private final TypeInformation<T> type;
    private final double recordsPerSecond;

    /**
     * @param source the source to pace; it must also be {@link ResultTypeQueryable} (as Flink's FileSource is)
     * @param recordsPerSecond at most this many records per second, all subtasks together; more than 0
     * @throws IllegalArgumentException when the rate is not more than 0 or the source does not tell its type
     */
    @SuppressWarnings("unchecked")
    public RateLimitedSource(Source<T, S, C> source, double recordsPerSecond) {
        if (!(recordsPerSecond > 0) || Double.isInfinite(recordsPerSecond)) {
            throw new IllegalArgumentException(
                    "records per second must be more than 0 and finite, was " + recordsPerSecond);
        }
        if (!(source instanceof ResultTypeQueryable)) {
            throw new IllegalArgumentException(source.getClass().getName() + " does not tell its record type");
        }
        this.source = source;
        this.type = ((ResultTypeQueryable<T>) source).getProducedType();
        this.recordsPerSecond = recordsPerSecond;
    }

    /** @return the rate, records per second for all subtasks together */
    public double recordsPerSecond() {
        return recordsPerSecond;
    }

    @Override
    public Boundedness getBoundedness() {
        return source.getBoundedness();
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"}) // RateLimiter is generic in its split type on Flink 2 only
    public SourceReader<T, S> createReader(SourceReaderContext context) throws Exception {
        RateLimiter limiter =
                RateLimiterStrategy.perSecond(recordsPerSecond).createRateLimiter(context.currentParallelism());
        return new RateLimitedSourceReader<>(source.createReader(context), limiter);
    }

    @Override
    public SplitEnumerator<S, C> createEnumerator(SplitEnumeratorContext<S> context) throws Exception {
        return source.createEnumerator(context);
    }

    @Override
    public SplitEnumerator<S, C> restoreEnumerator(SplitEnumeratorContext<S> context, C checkpoint) throws Exception {
        return source.restoreEnumerator(context, checkpoint);
    }

    @Override
    public SimpleVersionedSerializer<S> getSplitSerializer() {
        return source.getSplitSerializer();
    }

    @Override
    public SimpleVersionedSerializer<C> getEnumeratorCheckpointSerializer() {
        return source.getEnumeratorCheckpointSerializer();
    }

    @Override
    public TypeInformation<T> getProducedType() {
        return type;
    }
}
