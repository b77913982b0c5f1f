package io.flightcontroller.adapters.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.flightcontroller.adapters.parse.MeasuresYaml;
import io.flightcontroller.domain.event.DeadLetter;
import io.flightcontroller.domain.measure.MeasuresConfig;
import io.flightcontroller.domain.result.Alert;
import io.flightcontroller.domain.result.ErrorBudget;
import io.flightcontroller.domain.result.Measurement;
import io.flightcontroller.domain.result.OpenCase;
import io.flightcontroller.domain.result.WindowAggregate;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.junit.jupiter.api.Test;

/** Metric points travel to the Timestream and InfluxDB sinks through their own serializer, never through Kryo. */
class MetricPointSerializerTest {

    @Test
    void aPointRoundTripsWithItsDimensionsAndEveryFieldType() throws Exception {
        MetricPoint p = MetricPoint.builder("lead_time", 1_700_000_000_000L)
                .version(42)
                .dimension("measure", "m")
                .dimension("case_key", "k")
                .field("duration_ms", 1234L)
                .field("value", (Double) 1.5)
                .field("good", Boolean.TRUE)
                .build();
        MetricPointSerializer s = new MetricPointSerializer();
        DataOutputSerializer out = new DataOutputSerializer(64);
        s.serialize(p, out);
        MetricPoint back = s.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        assertThat(back).isEqualTo(p);
        assertThat(back.getVersion()).isEqualTo(42);
        assertThat(back.getFields()).containsEntry("duration_ms", 1234L).containsEntry("good", true);
    }

    @Test
    void theMetricsWiringBuildsWithGenericTypesDisabled() {
        Configuration c = new Configuration();
        c.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(c);
        MeasuresConfig measures = MeasuresYaml.parse("measures:\n  - name: m\n    start: a\n    end: b\n");
        DataStream<MetricPoint> points = MetricPointStreams.all(
                env.fromData(io.flightcontroller.serialization.DomainSerializers.MEASUREMENT, new Measurement()),
                env.fromData(WindowAggregate.class, new WindowAggregate()),
                env.fromData(ErrorBudget.class, new ErrorBudget()),
                env.fromData(Alert.class, new Alert()),
                env.fromData(OpenCase.class, new OpenCase()),
                env.fromData(DeadLetter.class, new DeadLetter()),
                measures,
                "timestream");
        points.sinkTo(new DiscardingSink<>());
        assertThat(points.getType()).isEqualTo(MetricPointSerializer.TYPE);
        assertThat(env.getStreamGraph().getStreamNodes()).isNotEmpty(); // would throw on a generic (Kryo) type
    }
}
