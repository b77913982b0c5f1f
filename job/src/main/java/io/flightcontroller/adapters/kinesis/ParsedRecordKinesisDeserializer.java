package io.flightcontroller.adapters.kinesis;

import io.flightcontroller.adapters.parse.EventParser;
import io.flightcontroller.domain.ParsedRecord;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.connectors.kinesis.serialization.KinesisDeserializationSchema;

/**
 * Turns one Kinesis record's data (UTF-8 JSON: an EventBridge envelope as delivered by an EventBridge rule with a
 * Kinesis target, or a flat event) into a {@link ParsedRecord} with {@link EventParser#parse(byte[])}. Never throws:
 * a record that cannot be used becomes a dead letter, so one bad record cannot restart-loop the job. Partition key,
 * sequence number, arrival time, stream and shard are not used.
 */
public final class ParsedRecordKinesisDeserializer implements KinesisDeserializationSchema<ParsedRecord> {
    private static final long serialVersionUID = 1L;

    private final EventParser parser;

    /** @param parser the shared parser (serializable) */
    public ParsedRecordKinesisDeserializer(EventParser parser) {
        this.parser = parser;
    }

    /**
     * @param recordValue the record data, UTF-8 JSON
     * @param partitionKey unused
     * @param seqNum unused
     * @param approxArrivalTimestamp unused (epoch ms)
     * @param stream unused
     * @param shardId unused
     * @return an event or a dead letter, never null
     */
    @Override
    public ParsedRecord deserialize(byte[] recordValue, String partitionKey, String seqNum,
            long approxArrivalTimestamp, String stream, String shardId) {
        return parser.parse(recordValue == null ? new byte[0] : recordValue);
    }

    /** @return the type information of {@link ParsedRecord} */
    @Override
    public TypeInformation<ParsedRecord> getProducedType() {
        return TypeInformation.of(ParsedRecord.class);
    }
}
