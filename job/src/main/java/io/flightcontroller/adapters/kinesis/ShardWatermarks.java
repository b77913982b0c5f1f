package io.flightcontroller.adapters.kinesis;

import io.flightcontroller.domain.event.CorroboratedClock;
import io.flightcontroller.domain.event.ParsedRecord;
import java.time.Duration;
import org.apache.flink.streaming.api.functions.AssignerWithPeriodicWatermarks;
import org.apache.flink.streaming.api.watermark.Watermark;

/**
 * Watermarks for ONE Kinesis shard, the same rule as {@code FlightControllerTopology.watermarkStrategy}: the shard's
 * {@link CorroboratedClock} (a lone event far ahead of the others does not move it) minus the out-of-orderness minus
 * 1 ms. {@code FlinkKinesisConsumer} clones one instance per shard, records each shard's
 * watermark after every record, and emits, per subtask, the minimum over the shards that have delivered a record and
 * are not idle (silent for longer than {@code flink.shard.idle.interval}); a subtask whose shards are all idle marks
 * itself idle.
 *
 * <p>Event time is the parsed event's own time. Dead letters keep the record's Kinesis approximate arrival time
 * (epoch ms) and do not move the watermark.
 *
 * <p>The legacy {@link AssignerWithPeriodicWatermarks} interface is what the 4.3.0 consumer accepts for per-shard
 * watermarks; it goes away with the switch to the FLIP-27 source (see {@link KinesisSources}).
 */
@SuppressWarnings("deprecation")
final class ShardWatermarks implements AssignerWithPeriodicWatermarks<ParsedRecord> {
    private static final long serialVersionUID = 1L;

    private final CorroboratedClock clock;

    /** @param outOfOrderness bounded out-of-orderness, non-negative */
    ShardWatermarks(Duration outOfOrderness) {
        this.clock = new CorroboratedClock(CorroboratedClock.DEFAULT_CORROBORATION, outOfOrderness.toMillis());
    }

    @Override
    public long extractTimestamp(ParsedRecord element, long recordTimestamp) {
        if (!element.isEvent()) {
            return recordTimestamp;
        }
        long t = element.eventTimeOrMin();
        clock.observe(t, element.getEvent().getCorrelationId().hashCode());
        return t;
    }

    @Override
    public Watermark getCurrentWatermark() {
        return new Watermark(clock.watermark());
    }
}
