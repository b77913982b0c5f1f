package io.flightcontroller.pipeline;

import io.flightcontroller.domain.event.CorroboratedClock;
import io.flightcontroller.domain.event.ParsedRecord;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;

/**
 * Watermarks from a {@link CorroboratedClock}: a single event far ahead of the others does not move them.
 *
 * <p>Two ways of emitting: <b>on every event</b> that moves the clock (file replays: the watermarks are a function of
 * the data alone, so a replay gives the same results whatever the read speed), or <b>periodically</b> on Flink's
 * auto-watermark interval (live sources such as Kinesis, where wall-clock idleness applies too). Dead letters do not
 * move the clock.
 */
final class EventTimeWatermarks implements WatermarkGenerator<ParsedRecord> {
    private final CorroboratedClock clock;
    private final boolean onEvent;
    private long emitted = Long.MIN_VALUE;

    /**
     * @param corroboration distinct instants needed before a jump beyond the bound moves the watermark (1 = max)
     * @param outOfOrdernessMs bounded out-of-orderness, ms
     * @param onEvent emit on events (data-driven) instead of periodically
     */
    EventTimeWatermarks(int corroboration, long outOfOrdernessMs, boolean onEvent) {
        this.clock = new CorroboratedClock(corroboration, outOfOrdernessMs);
        this.onEvent = onEvent;
    }

    @Override
    public void onEvent(ParsedRecord r, long timestamp, WatermarkOutput output) {
        if (!r.isEvent()) {
            return;
        }
        clock.observe(r.eventTimeOrMin(), r.getEvent().getCorrelationId().hashCode());
        if (onEvent) {
            emit(output);
        }
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        if (!onEvent) {
            emit(output);
        }
    }

    private void emit(WatermarkOutput output) {
        long w = clock.watermark();
        if (w > emitted) {
            emitted = w;
            output.emitWatermark(new Watermark(w));
        }
    }
}
