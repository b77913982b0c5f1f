package io.flightcontroller.adapters;

import static org.assertj.core.api.Assertions.assertThat;

import io.flightcontroller.adapters.influx.InfluxLineStateSerializer;
import io.flightcontroller.adapters.sns.SnsAlertEntry;
import io.flightcontroller.adapters.sns.SnsAlertStateSerializer;
import io.flightcontroller.adapters.timestream.TimestreamRecordStateSerializer;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.connector.base.sink.writer.AsyncSinkWriterStateSerializer;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.RequestEntryWrapper;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.timestreamwrite.model.Dimension;
import software.amazon.awssdk.services.timestreamwrite.model.DimensionValueType;
import software.amazon.awssdk.services.timestreamwrite.model.MeasureValue;
import software.amazon.awssdk.services.timestreamwrite.model.MeasureValueType;
import software.amazon.awssdk.services.timestreamwrite.model.Record;
import software.amazon.awssdk.services.timestreamwrite.model.TimeUnit;

/**
 * The sinks' checkpointed buffers in today's format (version {@value SinkStateSerializer#VERSION}), committed as
 * fixtures under {@code src/test/resources/sink-state/v2}: each restores to the same entries, and today's serializers
 * write the same bytes, so that a format change cannot slip in unnoticed. Regenerate them only for an intended change
 * (with a new version) with {@code mvn -pl job test -Dtest=SinkStateFormatTest -Dfc.sinkstate.regenerate=true}.
 */
class SinkStateFormatTest {
    private static final Path FIXTURES = Paths.get("src/test/resources/sink-state/v" + SinkStateSerializer.VERSION);

    @Test
    void snsBufferOfTodaysFormatRestores() throws Exception {
        List<SnsAlertEntry> entries = Arrays.asList(
                new SnsAlertEntry(
                        "a-1",
                        "breach",
                        "page",
                        "assign",
                        null,
                        "case-1",
                        1_709_290_800_000L,
                        "{\"kind\":\"breach\",\"alert_id\":\"a-1\"}",
                        null,
                        null),
                new SnsAlertEntry(
                        "a-2",
                        "timeout",
                        "ticket",
                        "triage",
                        "triaged",
                        "cas\u00e9-2",
                        1_709_290_800_001L,
                        "{\"kind\":\"timeout\",\"alert_id\":\"a-2\"}",
                        "triage",
                        "a-2"),
                new SnsAlertEntry(
                        null,
                        "burn_rate_firing",
                        "page",
                        "assign",
                        null,
                        null,
                        1_709_290_800_002L,
                        "{\"kind\":\"burn_rate_firing\"}",
                        null,
                        null));
        check("sns.bin", new SnsAlertStateSerializer(), entries);
    }

    @Test
    void timestreamBufferOfTodaysFormatRestores() throws Exception {
        Record multi = Record.builder()
                .measureName("lead_time")
                .measureValueType(MeasureValueType.MULTI)
                .time("1709290800000")
                .timeUnit(TimeUnit.MILLISECONDS)
                .version(1_733_000_000_000L)
                .dimensions(
                        Dimension.builder()
                                .name("measure")
                                .value("assign")
                                .dimensionValueType(DimensionValueType.VARCHAR)
                                .build(),
                        Dimension.builder()
                                .name("correlation_id")
                                .value("cas\u00e9-1")
                                .dimensionValueType(DimensionValueType.VARCHAR)
                                .build())
                .measureValues(
                        MeasureValue.builder()
                                .name("duration_ms")
                                .value("3600000")
                                .type(MeasureValueType.BIGINT)
                                .build(),
                        MeasureValue.builder()
                                .name("good")
                                .value("false")
                                .type(MeasureValueType.BOOLEAN)
                                .build())
                .build();
        Record single = Record.builder()
                .measureName("m")
                .measureValue("1.5")
                .measureValueType(MeasureValueType.DOUBLE)
                .time("5")
                .timeUnit(TimeUnit.SECONDS)
                .build();
        check("timestream.bin", new TimestreamRecordStateSerializer(), Arrays.asList(multi, single));
    }

    @Test
    void influxBufferOfTodaysFormatRestores() throws Exception {
        check(
                "influxdb.bin",
                new InfluxLineStateSerializer(),
                Arrays.asList(
                        "lead_time,correlation_id=case\\ 1,measure=assign duration_ms=3600000i,good=false 1709290800000",
                        "alert,measure=triage count=1i,objective=0.9 1709290800001"));
    }

    private static <E extends Serializable> void check(
            String file, AsyncSinkWriterStateSerializer<E> serializer, List<E> entries) throws Exception {
        List<RequestEntryWrapper<E>> wrapped = new ArrayList<>();
        List<Long> sizes = new ArrayList<>();
        for (E e : entries) {
            sizes.add(100L + sizes.size());
            wrapped.add(new RequestEntryWrapper<>(e, sizes.get(sizes.size() - 1)));
        }
        byte[] today = serializer.serialize(new BufferedRequestState<>(wrapped));
        Path fixture = FIXTURES.resolve(file);
        if (Boolean.getBoolean("fc.sinkstate.regenerate")) {
            Files.createDirectories(FIXTURES);
            Files.write(fixture, today);
        }
        assertThat(serializer.getVersion()).isEqualTo(SinkStateSerializer.VERSION);
        byte[] committed = Files.readAllBytes(fixture);
        BufferedRequestState<E> restored = serializer.deserialize(SinkStateSerializer.VERSION, committed);
        assertThat(SinkStateHarness.entries(restored)).isEqualTo(entries);
        assertThat(SinkStateHarness.sizes(restored)).isEqualTo(sizes);
        assertThat(today).as("bytes today's serializer writes for " + file).isEqualTo(committed);
    }
}
