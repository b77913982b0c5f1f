package io.flightcontroller.adapters.influx;

import io.flightcontroller.adapters.SinkStateSerializer;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Checkpoint serializer of the lines an {@link InfluxLineProtocolSinkWriter} holds in its buffer: each line's own
 * bytes.
 *
 * <p>Shape (format {@value SinkStateSerializer#VERSION}): per line an int UTF-8 length and the bytes of the line
 * protocol text, without its newline.
 */
public class InfluxLineStateSerializer extends SinkStateSerializer<String> {

    /** A serializer of the current format. */
    public InfluxLineStateSerializer() {
        super("InfluxDB sink");
    }

    @Override
    protected void serializeRequestToStream(String line, DataOutputStream out) throws IOException {
        writeString(line, out);
    }

    @Override
    protected String deserializeRequestFromStream(long requestSize, DataInputStream in) throws IOException {
        String line = readString(in);
        if (line == null) {
            throw new IOException("corrupt InfluxDB sink state: a null line");
        }
        return line;
    }
}
