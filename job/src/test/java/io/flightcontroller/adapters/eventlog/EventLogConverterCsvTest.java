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
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventLogConverterCsvTest {
    @TempDir
    Path tmp;

    private Path write(String name, String text) throws IOException {
        Path p = tmp.resolve(name);
        Files.write(p, text.getBytes(StandardCharsets.UTF_8));
        return p;
    }

    private static List<String> field(List<JsonNode> lines, String name) {
        return lines.stream().map(n -> n.get(name).asText()).collect(Collectors.toList());
    }

    @Test
    void mergesCasesByTimeStablyAndWritesTheDocumentedShape() throws IOException {
        Path in = write(
                "log.csv",
                "case:concept:name,concept:name,time:timestamp,org:resource,cost\n"
                        + "c1,requested,2020-01-01T10:00:00Z,alice,\n"
                        + "c1,assigned,2020-01-01T10:05:00Z,,7\n"
                        + "c2,requested,2020-01-01T09:00:00Z,bob,1\n"
                        + "c2,assigned,2020-01-01T10:00:00Z,bob,2\n"
                        + "c1,noted,2020-01-01T10:00:00Z,alice,3\n");
        Path out = tmp.resolve("out/events.jsonl");

        ConversionStats stats = EventLogConverter.convert(in, out, EventLogOptions.defaults());

        List<JsonNode> lines = readLines(out);
        // three events at 10:00Z keep file order: c1 requested, c2 assigned, c1 noted
        assertThat(field(lines, "event_type"))
                .containsExactly("requested", "requested", "assigned", "noted", "assigned");
        assertThat(field(lines, "correlation_id")).containsExactly("c2", "c1", "c2", "c1", "c1");
        JsonNode first = lines.get(0);
        assertThat(first.toString())
                .isEqualTo("{\"correlation_id\":\"c2\",\"event_type\":\"requested\","
                        + "\"time\":\"2020-01-01T09:00:00Z\",\"payload\":{\"org:resource\":\"bob\",\"cost\":\"1\"}}");
        // empty values are left out of the payload
        assertThat(lines.get(1).get("payload").toString()).isEqualTo("{\"org:resource\":\"alice\"}");
        assertThat(lines.get(4).get("payload").toString()).isEqualTo("{\"cost\":\"7\"}");
        assertThat(stats.format()).isEqualTo(EventLogFormat.CSV);
        assertThat(stats.cases()).isEqualTo(2);
        assertThat(stats.eventsWritten()).isEqualTo(5);
        assertThat(stats.rowsSkipped()).isZero();
        assertThat(stats.firstEventTime()).isEqualTo(Instant.parse("2020-01-01T09:00:00Z"));
        assertThat(stats.lastEventTime()).isEqualTo(Instant.parse("2020-01-01T10:05:00Z"));
    }

    @Test
    void keepsTheOffsetWrittenInTheFileButOrdersByInstant() throws IOException {
        Path in = write(
                "log.csv",
                "case:concept:name,concept:name,time:timestamp\n"
                        + "a,x,2010-03-31T15:59:42+01:00\n"
                        + "b,y,2010-03-31T15:00:00.5Z\n"
                        + "c,z,2010-03-31 16:30:00 +0200\n"
                        + "d,w,2010-03-31T20:00:00.123456-05\n");
        Path out = tmp.resolve("events.jsonl");

        EventLogConverter.convert(in, out, EventLogOptions.defaults());

        List<JsonNode> lines = readLines(out);
        assertThat(field(lines, "time"))
                .containsExactly(
                        "2010-03-31T16:30:00+02:00", // 14:30:00Z
                        "2010-03-31T15:59:42+01:00", // 14:59:42Z
                        "2010-03-31T15:00:00.500Z", // 15:00:00.5Z
                        "2010-03-31T20:00:00.123456-05:00"); // 01:00Z next day
    }

    @Test
    void appliesTheZoneToTimestampsWithoutOffset() throws IOException {
        Path in = write(
                "log.csv",
                "case:concept:name,concept:name,time:timestamp\n"
                        + "a,summer,2020-07-01T10:00:00\n"
                        + "a,winter,2020/01/15 10:00:00.250\n"
                        + "a,dash,2020-01-15 11:00:00\n"
                        + "a,explicit,2020-07-01T10:00:00Z\n");
        Path utcOut = tmp.resolve("utc.jsonl");
        Path amsOut = tmp.resolve("ams.jsonl");

        EventLogConverter.convert(in, utcOut, EventLogOptions.defaults());
        EventLogConverter.convert(
                in, amsOut, EventLogOptions.builder().zone("Europe/Amsterdam").build());

        assertThat(field(readLines(utcOut), "time"))
                .containsExactly(
                        "2020-01-15T10:00:00.250Z",
                        "2020-01-15T11:00:00Z",
                        "2020-07-01T10:00:00Z",
                        "2020-07-01T10:00:00Z");
        assertThat(field(readLines(amsOut), "time"))
                .containsExactly(
                        "2020-01-15T10:00:00.250+01:00",
                        "2020-01-15T11:00:00+01:00",
                        "2020-07-01T10:00:00+02:00",
                        "2020-07-01T10:00:00Z");
        assertThat(field(readLines(amsOut), "event_type")).containsExactly("winter", "dash", "summer", "explicit");
    }

    @Test
    void customPatternWithAndWithoutOffset() throws IOException {
        Path in = write(
                "log.csv",
                "case:concept:name,concept:name,time:timestamp\n"
                        + "a,second,02.01.2021 08:30\n"
                        + "a,first,01.01.2021 23:15\n"
                        + "a,iso-is-not-this-pattern,2021-01-01T00:00:00Z\n");
        Path out = tmp.resolve("events.jsonl");

        ConversionStats stats = EventLogConverter.convert(
                in,
                out,
                EventLogOptions.builder()
                        .timeFormat("dd.MM.yyyy HH:mm")
                        .zone("+03:00")
                        .build());

        assertThat(field(readLines(out), "time"))
                .containsExactly("2021-01-01T23:15:00+03:00", "2021-01-02T08:30:00+03:00");
        assertThat(stats.skipped(ConversionStats.REASON_BAD_TIME)).isEqualTo(1);

        Path in2 =
                write("log2.csv", "case:concept:name,concept:name,time:timestamp\n" + "a,x,31 Mar 2010 15:59 +0100\n");
        EventLogConverter.convert(
                in2,
                out,
                EventLogOptions.builder().timeFormat("dd MMM yyyy HH:mm Z").build());
        assertThat(field(readLines(out), "time")).containsExactly("2010-03-31T15:59:00+01:00");
    }

    @Test
    void readsGzipByMagicBytesWhateverTheName() throws IOException {
        String text = "case:concept:name,concept:name,time:timestamp\nc,a,2020-01-01T00:00:00Z\n";
        Path gz = writeGzip(tmp.resolve("log.csv.gz"), text);
        Path misnamed = writeGzip(tmp.resolve("log-gzipped.csv"), text);
        Path out = tmp.resolve("events.jsonl.gz");

        ConversionStats s1 = EventLogConverter.convert(gz, out, EventLogOptions.defaults());
        String written;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(out))) {
            written = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        ConversionStats s2 = EventLogConverter.convert(misnamed, tmp.resolve("b.jsonl"), EventLogOptions.defaults());

        assertThat(s1.eventsWritten()).isEqualTo(1);
        assertThat(s2.eventsWritten()).isEqualTo(1);
        assertThat(written)
                .isEqualTo("{\"correlation_id\":\"c\",\"event_type\":\"a\","
                        + "\"time\":\"2020-01-01T00:00:00Z\",\"payload\":{}}\n");
    }

    @Test
    void semicolonDelimiterBomQuotesAndCustomColumns() throws IOException {
        Path in = write(
                "log.csv",
                "\uFEFF\"Case ID\";Activity;Complete Timestamp;Note\n"
                        + "A;\"ER; Registration\";2014/10/22 11:15:41.000;\"said \"\"hi\"\"\nand left\"\n"
                        + "A;Leucocytes;2014/10/22 11:27:00.000;\n");
        Path out = tmp.resolve("events.jsonl");

        ConversionStats stats = EventLogConverter.convert(
                in,
                out,
                EventLogOptions.builder()
                        .delimiter(';')
                        .caseColumn("Case ID")
                        .activityColumn("Activity")
                        .timeColumn("Complete Timestamp")
                        .build());

        List<JsonNode> lines = readLines(out);
        assertThat(stats.eventsWritten()).isEqualTo(2);
        assertThat(lines.get(0).get("event_type").asText()).isEqualTo("ER; Registration");
        assertThat(lines.get(0).get("time").asText()).isEqualTo("2014-10-22T11:15:41Z");
        assertThat(lines.get(0).get("payload").get("Note").asText()).isEqualTo("said \"hi\"\nand left");
        assertThat(lines.get(1).get("payload").size()).isZero();
    }

    @Test
    void missingColumnListsTheAvailableColumns() throws IOException {
        Path in = write("log.csv", "Case ID,Activity,When\nA,x,2020-01-01T00:00:00Z\n");
        EventLogOptions opts = EventLogOptions.builder()
                .caseColumn("Case ID")
                .activityColumn("Activity")
                .build();

        assertThatThrownBy(() -> EventLogConverter.convert(in, tmp.resolve("o.jsonl"), opts))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("timeColumn")
                .hasMessageContaining("time:timestamp")
                .hasMessageContaining("[Case ID, Activity, When]");
        assertThatThrownBy(() -> EventLogConverter.convert(write("empty.csv", ""), tmp.resolve("o.jsonl"), opts))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("available columns: []");
    }

    @Test
    void columnMatchFallsBackToIgnoringCaseAndBlanks() throws IOException {
        Path in = write("log.csv", " case id ,ACTIVITY,time\nA,x,2020-01-01T00:00:00Z\n");
        ConversionStats stats = EventLogConverter.convert(
                in,
                tmp.resolve("o.jsonl"),
                EventLogOptions.builder()
                        .caseColumn("Case ID")
                        .activityColumn("activity")
                        .timeColumn("Time")
                        .build());
        assertThat(stats.eventsWritten()).isEqualTo(1);
    }

    @Test
    void badRowsAreSkippedAndCountedNeverThrown() throws IOException {
        Path in = write(
                "log.csv",
                "case:concept:name,concept:name,time:timestamp,x\n"
                        + "c,ok,2020-01-01T00:00:00Z,1\n"
                        + "c,bad,yesterday,2\n"
                        + "c,bad2,2020-13-01T00:00:00Z,3\n"
                        + ",nocase,2020-01-01T00:00:00Z,4\n"
                        + "c,,2020-01-01T00:00:00Z,5\n"
                        + "c,notime,,6\n"
                        + "c,short\n"
                        + "\"c\"trailing,ok2,2020-01-02T00:00:00Z,7\n"
                        + "c,ok3,2020-01-03T00:00:00Z,8,extra\n");
        Path out = tmp.resolve("o.jsonl");

        ConversionStats stats = EventLogConverter.convert(in, out, EventLogOptions.defaults());

        assertThat(field(readLines(out), "event_type")).containsExactly("ok", "ok2", "ok3");
        assertThat(field(readLines(out), "correlation_id")).containsExactly("c", "ctrailing", "c");
        assertThat(stats.eventsWritten()).isEqualTo(3);
        assertThat(stats.cases()).isEqualTo(2);
        assertThat(stats.skipped(ConversionStats.REASON_BAD_TIME)).isEqualTo(2);
        assertThat(stats.skipped(ConversionStats.REASON_MISSING_CASE)).isEqualTo(1);
        assertThat(stats.skipped(ConversionStats.REASON_MISSING_ACTIVITY)).isEqualTo(1);
        assertThat(stats.skipped(ConversionStats.REASON_MISSING_TIME)).isEqualTo(2);
        assertThat(stats.rowsSkipped()).isEqualTo(6);
    }

    @Test
    void headerOnlyGivesAnEmptyOutput() throws IOException {
        Path in = write("log.csv", "case:concept:name,concept:name,time:timestamp\n");
        Path out = tmp.resolve("o.jsonl");
        ConversionStats stats = EventLogConverter.convert(in, out, EventLogOptions.defaults());
        assertThat(Files.size(out)).isZero();
        assertThat(stats.eventsWritten()).isZero();
        assertThat(stats.firstEventTime()).isNull();
        assertThat(stats.lastEventTime()).isNull();
    }
}
