package io.flightcontroller.adapters.file;

import io.flightcontroller.adapters.parse.EventParser;
import io.flightcontroller.domain.event.ParsedRecord;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.reader.SimpleStreamFormat;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.core.fs.FSDataInputStream;

/**
 * A {@code FileSource} format for JSON Lines event files: one line is one record, parsed by {@link EventParser} inside
 * the source so timestamps and watermarks are assigned per file split.
 *
 * <p>Shape: lines are read as bytes through a {@value #BUFFER_BYTES}-byte buffer and split on {@code \n} (a trailing
 * {@code \r} is dropped); a UTF-8 byte-order mark at the start of the file is skipped; blank lines (only bytes up to
 * the space, like {@link String#trim()}) are skipped; every other line is handed, undecoded, to
 * {@link EventParser#parse(byte[], int, int, long)} (so bytes that are not UTF-8 become a {@code bad_encoding} dead
 * letter) with the wall clock as its arrival time (the parser's future-time guard). A line inside the buffer is parsed
 * in place; only a line spanning two buffer fills is copied.
 */
public final class JsonLinesFormat extends SimpleStreamFormat<ParsedRecord> {
    private static final long serialVersionUID = 1L;

    /** Read buffer size in bytes. */
    public static final int BUFFER_BYTES = 1 << 16;

    private final EventParser parser;

    /** @param parser the record parser */
    public JsonLinesFormat(EventParser parser) {
        this.parser = parser;
    }

    @Override
    public StreamFormat.Reader<ParsedRecord> createReader(Configuration config, FSDataInputStream stream) {
        return new LineReader(stream, parser);
    }

    @Override
    public TypeInformation<ParsedRecord> getProducedType() {
        return io.flightcontroller.serialization.DomainSerializers.PARSED_RECORD;
    }

    /** Splits a byte stream into lines and parses each non-blank one. */
    static final class LineReader implements StreamFormat.Reader<ParsedRecord> {
        private final InputStream in;
        private final EventParser parser;
        private final byte[] buf = new byte[BUFFER_BYTES];
        private int pos;
        private int limit;
        private boolean started;
        private byte[] spill = new byte[256]; // a line that spans buffer fills
        private byte[] lineBuf;
        private int lineOff;
        private int lineLen;

        LineReader(InputStream in, EventParser parser) {
            this.in = in;
            this.parser = parser;
        }

        @Override
        public ParsedRecord read() throws IOException {
            while (nextLine()) {
                if (!blank(lineBuf, lineOff, lineLen)) {
                    return parser.parse(lineBuf, lineOff, lineLen, System.currentTimeMillis());
                }
            }
            return null;
        }

        /** Sets {@code lineBuf/lineOff/lineLen} to the next line; false at the end of the input. */
        private boolean nextLine() throws IOException {
            int spilled = 0;
            while (true) {
                if (pos == limit && !fill()) {
                    if (spilled == 0) {
                        return false;
                    }
                    setLine(spill, 0, spilled);
                    return true;
                }
                int nl = pos;
                while (nl < limit && buf[nl] != '\n') {
                    nl++;
                }
                if (nl < limit) {
                    if (spilled == 0) {
                        setLine(buf, pos, nl - pos);
                    } else {
                        spilled = spill(spilled, nl - pos);
                        setLine(spill, 0, spilled);
                    }
                    pos = nl + 1;
                    return true;
                }
                spilled = spill(spilled, limit - pos);
                pos = limit;
            }
        }

        private int spill(int spilled, int n) {
            if (spilled + n > spill.length) {
                spill = Arrays.copyOf(spill, Math.max(spill.length * 2, spilled + n));
            }
            System.arraycopy(buf, pos, spill, spilled, n);
            return spilled + n;
        }

        private void setLine(byte[] b, int off, int len) {
            lineBuf = b;
            lineOff = off;
            lineLen = len > 0 && b[off + len - 1] == '\r' ? len - 1 : len;
        }

        /** Refills the buffer; at the start of the file also skips a UTF-8 byte-order mark. */
        private boolean fill() throws IOException {
            pos = 0;
            limit = 0;
            int n;
            do {
                n = in.read(buf, limit, buf.length - limit);
                if (n > 0) {
                    limit += n;
                }
            } while (n >= 0 && (limit == 0 || (!started && limit < 3)));
            if (!started) {
                started = true;
                if (limit >= 3 && buf[0] == (byte) 0xEF && buf[1] == (byte) 0xBB && buf[2] == (byte) 0xBF) {
                    pos = 3;
                }
            }
            return pos < limit;
        }

        private static boolean blank(byte[] b, int off, int len) {
            for (int i = off; i < off + len; i++) {
                if (b[i] < 0 || b[i] > ' ') {
                    return false;
                }
            }
            return true;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
