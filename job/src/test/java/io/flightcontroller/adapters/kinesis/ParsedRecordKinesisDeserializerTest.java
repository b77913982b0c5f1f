package io.flightcontroller.adapters.kinesis;

import static org.assertj.core.api.Assertions.assertThat;

import io.flightcontroller.domain.event.DeadLetter;
import io.flightcontroller.domain.event.EventTimes;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ParsedRecordKinesisDeserializerTest {
    static final long T = EventTimes.toEpochMillis("2026-11-02T10:00:00Z");
    static final byte[] RECORD =
            ("{\"version\":\"0\",\"id\":\"e-1\",\"detail-type\":\"order_placed\",\"source\":\"shop\","
                            + "\"time\":\"2026-11-02T10:00:00Z\",\"detail\":{\"correlation_id\":\"c1\",\"time\":\"2026-11-02T10:00:00Z\"}}")
                    .getBytes(StandardCharsets.UTF_8);

    final ParsedRecordKinesisDeserializer deserializer = new ParsedRecordKinesisDeserializer();

    @Test
    void approximateArrivalTimestamp_isTheArrivalForTheDefault15MinuteFutureGuard() {
        long sixteenMinutes = 16 * 60_000L;
        assertThat(deserializer
                        .deserialize(RECORD, "k", "1", T - sixteenMinutes, "s", "shard-0")
                        .getDeadLetter()
                        .getReason())
                .isEqualTo(DeadLetter.REASON_FUTURE_TIME);
        assertThat(deserializer
                        .deserialize(RECORD, "k", "1", T - 14 * 60_000L, "s", "shard-0")
                        .isEvent())
                .isTrue();
    }

    @Test
    void missingArrivalTimestamp_skipsTheFutureGuard() {
        assertThat(deserializer
                        .deserialize(RECORD, "k", "1", 0, "s", "shard-0")
                        .getEvent()
                        .getCorrelationId())
                .isEqualTo("c1");
    }
}
