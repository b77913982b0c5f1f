package io.flightcontroller.adapters.file;

import io.flightcontroller.adapters.parse.EventParser;
import io.flightcontroller.domain.ParsedRecord;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.reader.SimpleStreamFormat;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.core.fs.FSDataInputStream;

/**
 * A {@code FileSource} format for JSON Lines event files: one UTF-8 line is one record, parsed by {@link EventParser}
 * inside the source so timestamps and watermarks are assigned per file split. Blank lines are skipped; every other
 * line yields an event or a dead letter.
 */
public final class JsonLinesFormat extends SimpleStreamFormat<ParsedRecord> {
    private static final long serialVersionUID = 1L;

    private final EventParser parser;

    /** @param parser the record parser */
    public JsonLinesFormat(EventParser parser) {
        this.parser = parser;
    }

    @Override
    public StreamFormat.Reader<ParsedRecord> createReader(Configuration config, FSDataInputStream stream) {
        BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8), 1 << 16);
        return new StreamFormat.Reader<ParsedRecord>() {
            @Override
            public ParsedRecord read() throws IOException {
                String line;
                do {
                    line = reader.readLine();
                    if (line == null) {
                        return null;
                    }
                } while (line.trim().isEmpty());
                return parser.parse(line);
            }

            @Override
            public void close() throws IOException {
                reader.close();
            }
        };
    }

    @Override
    public TypeInformation<ParsedRecord> getProducedType() {
        return TypeInformation.of(ParsedRecord.class);
    }
}
