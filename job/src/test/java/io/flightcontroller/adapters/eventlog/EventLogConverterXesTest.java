package io.flightcontroller.adapters.eventlog;

import static io.flightcontroller.adapters.eventlog.EventLogTestSupport.readLines;
import static io.flightcontroller.adapters.eventlog.EventLogTestSupport.writeGzip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventLogConverterXesTest {
    @TempDir
    Path tmp;

    private String sampleXes() throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/eventlog/sample.xes")) {
            assertThat(in).as("test resource /eventlog/sample.xes").isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String line(JsonNode n) {
        return n.get("correlation_id").asText() + " " + n.get("event_type").asText() + " "
                + n.get("time").asText();
    }

    @Test
    void convertsTheSampleLogMergedByTimeStably() throws IOException {
        Path in = tmp.resolve("sample.xes");
        Files.write(in, sampleXes().getBytes(StandardCharsets.UTF_8));
        Path out = tmp.resolve("events.jsonl");

        ConversionStats stats = EventLogConverter.convert(in, out, EventLogOptions.defaults());

        List<JsonNode> lines = readLines(out);
        // 08:00Z three times (file order), then 09:30:00.250Z; offsets as written
        assertThat(lines)
                .extracting(EventLogConverterXesTest::line)
                .containsExactly(
                        "case-1 requested 2020-05-01T10:00:00+02:00",
                        "case-2 requested 2020-05-01T08:00:00Z",
                        "case-2 assigned 2020-05-01T10:00:00+02:00",
                        "case-1 done 2020-05-01T09:30:00.250Z");
        // event attributes, then trace attributes as case:<key>; nested, list and global values are not payload
        assertThat(lines.get(0).get("payload").toString())
                .isEqualTo("{\"org:resource\":\"alice\",\"case:priority\":\"high\"}");
        assertThat(lines.get(2).get("payload").toString()).isEqualTo("{\"urgent\":\"true\"}");
        assertThat(lines.get(3).get("payload").toString()).isEqualTo("{\"cost\":\"42\",\"case:priority\":\"high\"}");
        assertThat(stats.format()).isEqualTo(EventLogFormat.XES);
        assertThat(stats.cases()).isEqualTo(2);
        assertThat(stats.eventsWritten()).isEqualTo(4);
        assertThat(stats.skippedByReason())
                .containsExactly(org.assertj.core.api.Assertions.entry(ConversionStats.REASON_MISSING_TIME, 1L));
        assertThat(stats.firstEventTime()).isEqualTo(Instant.parse("2020-05-01T08:00:00Z"));
        assertThat(stats.lastEventTime()).isEqualTo(Instant.parse("2020-05-01T09:30:00.250Z"));
    }

    @Test
    void readsGzippedXes() throws IOException {
        Path in = writeGzip(tmp.resolve("sample.xes.gz"), sampleXes());
        ConversionStats stats = EventLogConverter.convert(in, tmp.resolve("o.jsonl"), EventLogOptions.defaults());
        assertThat(stats.eventsWritten()).isEqualTo(4);
        assertThat(stats.cases()).isEqualTo(2);
    }

    @Test
    void customKeysAndEventLevelCaseIdWithoutNamespace() throws IOException {
        Path in = tmp.resolve("flat.xes");
        Files.write(
                in,
                ("<log><trace><event>"
                                + "<string key=\"case\" value=\"k1\"/><string key=\"step\" value=\"s1\"/>"
                                + "<string key=\"when\" value=\"2021-06-01 12:00:00\"/><string key=\"concept:name\" value=\"n\"/>"
                                + "</event></trace></log>")
                        .getBytes(StandardCharsets.UTF_8));
        Path out = tmp.resolve("o.jsonl");

        EventLogConverter.convert(
                in,
                out,
                EventLogOptions.builder()
                        .caseColumn("case")
                        .activityColumn("step")
                        .timeColumn("when")
                        .zone("Europe/Amsterdam")
                        .build());

        assertThat(readLines(out).get(0).toString())
                .isEqualTo("{\"correlation_id\":\"k1\",\"event_type\":\"s1\","
                        + "\"time\":\"2021-06-01T12:00:00+02:00\",\"payload\":{\"concept:name\":\"n\"}}");
    }

    @Test
    void missingCaseIdIsCountedAndMalformedXmlIsAnIoError() throws IOException {
        Path in = tmp.resolve("nocase.xes");
        Files.write(
                in,
                ("<log><trace><event><string key=\"concept:name\" value=\"a\"/>"
                                + "<date key=\"time:timestamp\" value=\"2021-06-01T12:00:00Z\"/></event></trace></log>")
                        .getBytes(StandardCharsets.UTF_8));
        ConversionStats stats = EventLogConverter.convert(in, tmp.resolve("o.jsonl"), EventLogOptions.defaults());
        assertThat(stats.skipped(ConversionStats.REASON_MISSING_CASE)).isEqualTo(1);
        assertThat(stats.eventsWritten()).isZero();

        Path broken = tmp.resolve("broken.xes");
        Files.write(broken, "<log><trace></log>".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> EventLogConverter.convert(broken, tmp.resolve("o.jsonl"), EventLogOptions.defaults()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("malformed XES");
    }
}
