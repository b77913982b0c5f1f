package io.flightcontroller.adapters.file;

import static org.assertj.core.api.Assertions.assertThat;

import io.flightcontroller.adapters.parse.EventParser;
import io.flightcontroller.domain.event.DeadLetter;
import io.flightcontroller.domain.event.ParsedRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.core.fs.local.LocalFileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonLinesFormatTest {
    @TempDir
    Path dir;

    static String event(String id, String time) {
        return "{\"correlation_id\":\"" + id + "\",\"event_type\":\"x\",\"time\":\"" + time + "\"}";
    }

    List<ParsedRecord> read(byte[] file) throws IOException {
        Path p = dir.resolve("events.jsonl");
        Files.write(p, file);
        List<ParsedRecord> out = new ArrayList<>();
        StreamFormat.Reader<ParsedRecord> r = new JsonLinesFormat(new EventParser())
                .createReader(
                        new Configuration(),
                        LocalFileSystem.getSharedInstance().open(new org.apache.flink.core.fs.Path(p.toUri())));
        try {
            for (ParsedRecord rec = r.read(); rec != null; rec = r.read()) {
                out.add(rec);
            }
        } finally {
            r.close();
        }
        return out;
    }

    @Test
    void byteOrderMarkAtTheStartOfAFile_isTolerated() throws IOException {
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.write(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        f.writeBytes((event("a", "2022-11-08T16:22:06Z") + "\n").getBytes(StandardCharsets.UTF_8));
        List<ParsedRecord> recs = read(f.toByteArray());
        assertThat(recs).hasSize(1);
        assertThat(recs.get(0).isEvent()).as("%s", recs.get(0).getDeadLetter()).isTrue();
        assertThat(recs.get(0).getRaw()).isEqualTo(event("a", "2022-11-08T16:22:06Z"));
    }

    @Test
    void linesSplitOnNewline_crStripped_blankLinesSkipped_longLinesAcrossBufferFillsKept() throws IOException {
        StringBuilder pad = new StringBuilder();
        while (pad.length() < JsonLinesFormat.BUFFER_BYTES + 100) {
            pad.append("abcdefgh");
        }
        String longLine = "{\"correlation_id\":\"long\",\"event_type\":\"x\",\"time\":1667924526,\"payload\":{\"p\":\""
                + pad + "\"}}";
        String text = event("a", "2022-11-08T16:22:06Z") + "\r\n\r\n   \n" + longLine + "\n\t\n"
                + event("b", "2022-11-08T16:22:07Z"); // no final newline
        List<ParsedRecord> recs = read(text.getBytes(StandardCharsets.UTF_8));
        assertThat(recs).extracting(r -> r.getEvent().getCorrelationId()).containsExactly("a", "long", "b");
        assertThat(recs.get(0).getRaw()).isEqualTo(event("a", "2022-11-08T16:22:06Z"));
        assertThat(recs.get(1).getRaw()).isEqualTo(longLine);
    }

    @Test
    void invalidUtf8Line_isABadEncodingDeadLetterWithItsExactBytes() throws IOException {
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        byte[] bad = {
            '{',
            '"',
            'c',
            'o',
            'r',
            'r',
            'e',
            'l',
            'a',
            't',
            'i',
            'o',
            'n',
            '_',
            'i',
            'd',
            '"',
            ':',
            '"',
            (byte) 0xE9,
            '"',
            '}'
        };
        f.writeBytes(bad);
        f.write('\n');
        f.writeBytes((event("a", "2022-11-08T16:22:06Z") + "\n").getBytes(StandardCharsets.UTF_8));
        List<ParsedRecord> recs = read(f.toByteArray());
        assertThat(recs).hasSize(2);
        DeadLetter d = recs.get(0).getDeadLetter();
        assertThat(d.getReason()).isEqualTo(DeadLetter.REASON_BAD_ENCODING);
        assertThat(Base64.getDecoder().decode(d.getRawBase64())).isEqualTo(bad);
        assertThat(recs.get(1).isEvent()).isTrue();
    }

    @Test
    void wallClockIsTheArrivalTime_soAnEventFarInTheFutureIsAFutureTimeDeadLetter() throws IOException {
        List<ParsedRecord> recs = read((event("a", "2199-01-01T00:00:00Z") + "\n" + event("b", "2022-11-08T16:22:06Z"))
                .getBytes(StandardCharsets.UTF_8));
        assertThat(recs.get(0).getDeadLetter().getReason()).isEqualTo(DeadLetter.REASON_FUTURE_TIME);
        assertThat(recs.get(1).isEvent()).isTrue();
    }
}
