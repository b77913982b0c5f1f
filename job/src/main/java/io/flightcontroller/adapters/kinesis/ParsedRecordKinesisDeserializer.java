package io.flightcontroller.adapters.kinesis;

import io.flightcontroller.adapters.parse.EventParser;
import io.flightcontroller.domain.event.ParsedRecord;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.connectors.kinesis.serialization.KinesisDeserializationSchema;

/**
 * Turns one Kinesis record's data (UTF-8 JSON: an EventBridge envelope as delivered by an EventBridge rule with a
 * Kinesis target, or a flat event) into a {@link ParsedRecord} with {@link EventParser#parse(byte[], long)}, the
 * record's approximate arrival timestamp being the arrival time for the parser's future-time guard (an event more than
 * {@link EventParser#getMaxFutureSkew()} after it, by default {@link EventParser#DEFAULT_MAX_FUTURE_SKEW} = 15 minutes,
 * is a {@code future_time} dead letter; a timestamp &lt;= 0 counts as unknown and skips the guard). Never throws: a
 * record that cannot be used becomes a dead letter, so one bad record cannot restart-loop the job. Partition key,
 * sequence number, stream and shard are not used.
 */
public final class ParsedRecordKinesisDeserializer implements KinesisDeserializationSchema<ParsedRecord> {
    private static final long serialVersionUID = 1L;

    private final EventParser parser;

    /** A deserializer with a default {@link EventParser} (256 KiB records, 15-minute future-time skew). */
    public ParsedRecordKinesisDeserializer() {
        this(new EventParser());
    }

    /** @param parser the shared parser (serializable); its skew is the future-time guard's */
    public ParsedRecordKinesisDeserializer(EventParser parser) {
        this.parser = parser;
    }

    /**
     * @param recordValue the record data, UTF-8 JSON
     * @param partitionKey unused
     * @param seqNum unused
     * @param approxArrivalTimestamp when Kinesis received the record, epoch ms; &lt;= 0 means unknown
     * @param stream unused
     * @param shardId unused
     * @return an event or a dead letter, never null
     */
    @Override
    public ParsedRecord deserialize(
            byte[] recordValue,
            String partitionKey,
            String seqNum,
            long approxArrivalTimestamp,
            String stream,
            String shardId) {
        return parser.parse(
                recordValue == null ? new byte[0] : recordValue,
                approxArrivalTimestamp > 0 ? approxArrivalTimestamp : EventParser.ARRIVAL_UNKNOWN);
    }

    /** @return the type information of {@link ParsedRecord} */
    @Override
    public TypeInformation<ParsedRecord> getProducedType() {
        return io.flightcontroller.serialization.DomainSerializers.PARSED_RECORD;
    }
}
