package io.flightcontroller.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report's CSV and table: one header, one line per row in measurement order, every column in place. */
class ReportTest {

    private static Report twoRows() {
        Report report = new Report(2, 2_000, 42);
        Row measured = new Row();
        measured.scenario = "FC end-to-end, discard";
        measured.parallelism = "2";
        measured.input = "2 JSON file(s)";
        measured.events = 5_890;
        measured.wallS = 2.5;
        measured.eventsPerS = 2_356;
        measured.cpuUsPerEvent = 538.25;
        measured.load1m = 2.5;
        measured.peakHeapMiB = 199;
        measured.notes = "records_in 5890, matched 3778; said \"ok\"";
        report.add(measured);
        Row ratio = new Row();
        ratio.scenario = "ratio FC p1 / Esper, JSON";
        ratio.eventsPerS = 0.1;
        ratio.wallS = Double.NaN;
        report.add(ratio);
        return report;
    }

    @Test
    void csvHasTheHeaderThenOneRecordPerRowInOrderWithUnmeasuredCellsEmpty(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("sub/results.csv");
        twoRows().writeCsv(csv);

        List<CSVRecord> records;
        try (Reader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8);
                CSVParser p = CSVFormat.DEFAULT
                        .builder()
                        .setHeader()
                        .setSkipHeaderRecord(true)
                        .get()
                        .parse(in)) {
            assertThat(String.join(",", p.getHeaderNames())).isEqualTo(Report.CSV_HEADER);
            records = p.getRecords();
        }
        assertThat(records).hasSize(2);
        CSVRecord first = records.get(0);
        assertThat(first.size()).isEqualTo(Report.CSV_HEADER.split(",").length);
        assertThat(first.get("cores")).isEqualTo("2");
        assertThat(first.get("cases")).isEqualTo("2000");
        assertThat(first.get("seed")).isEqualTo("42");
        assertThat(first.get("scenario")).isEqualTo("FC end-to-end, discard");
        assertThat(first.get("events")).isEqualTo("5890");
        assertThat(first.get("wall_s")).isEqualTo("2.500");
        assertThat(first.get("cpu_us_per_event")).isEqualTo("538.250");
        assertThat(first.get("load_1m")).isEqualTo("2.500");
        assertThat(first.get("notes")).isEqualTo("records_in 5890, matched 3778; said \"ok\"");
        CSVRecord second = records.get(1);
        assertThat(second.get("scenario")).isEqualTo("ratio FC p1 / Esper, JSON");
        assertThat(second.get("events_per_s_or_value")).isEqualTo("0.100");
        assertThat(second.get("wall_s")).isEmpty();
        assertThat(second.get("cpu_us_per_event")).isEmpty();
        assertThat(second.get("peak_heap_mib")).isEmpty();
        assertThat(second.get("load_1m")).isEmpty();
    }

    @Test
    void tableHasATitleAHeaderAndOneLinePerRow() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        twoRows().print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        List<String> lines = bytes.toString(StandardCharsets.UTF_8)
                .lines()
                .filter(l -> !l.isEmpty())
                .toList();

        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).isEqualTo("Flight Controller benchmark: 2 cores, 2000 cases, seed 42");
        assertThat(lines.get(1))
                .startsWith("scenario")
                .contains("events/s|value")
                .endsWith("notes");
        assertThat(lines.get(2))
                .startsWith("FC end-to-end, discard")
                .contains(" 2,356 ")
                .contains(" 538 ");
        assertThat(lines.get(3)).startsWith("ratio FC p1 / Esper, JSON").contains(" 0.10 ");
    }

    @Test
    void aMeasuredRowCarriesTheMachinesLoadWhenItsMeasurementEnded() {
        Row r = new Meter().finish(new Row(), 1);
        assertThat(r.load1m).as("Linux gives a load average").isNotNaN().isGreaterThanOrEqualTo(0.0);
    }
}
