package io.flightcontroller.pipeline;

import static io.flightcontroller.pipeline.HarnessSupport.measures;
import static org.assertj.core.api.Assertions.assertThat;

import io.flightcontroller.adapters.file.JsonLinesFormat;
import io.flightcontroller.adapters.parse.EventParser;
import io.flightcontroller.domain.event.ParsedRecord;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.core.fs.Path;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The job plan: what runs in one task and what crosses the network. A parsed record carries its raw line for dead
 * letters, so the source, the end-of-input cap and the split must hand records over in one task rather than serialize
 * them through a network exchange (issue 16, CPU per event); the first exchange is the key-by correlation id.
 */
class TopologyChainingTest {

    @ParameterizedTest(name = "source parallelism {0}")
    @ValueSource(ints = {1, 2})
    void sourceCapAndSplitRunInOneTaskAndTheFirstExchangeIsTheKeyByCorrelationId(int p) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(p);
        PipelineOptions options = PipelineOptions.builder(measures("measures:\n"
                        + "  - name: lead\n"
                        + "    start: project_requested\n"
                        + "    end: project_created\n"
                        + "    timeout: PT1H\n"))
                .build();
        FileSource<ParsedRecord> source = FileSource.forRecordStreamFormat(
                        new JsonLinesFormat(new EventParser()), new Path("/nonexistent/events.jsonl"))
                .build();
        DataStream<ParsedRecord> input = env.fromSource(
                        source, FlightControllerTopology.fileWatermarkStrategy(options), "event files")
                .setParallelism(p);
        FlightControllerTopology.Outputs out = FlightControllerTopology.build(input, options);
        out.measurements.sinkTo(new DiscardingSink<>());
        out.deadLetters.sinkTo(new DiscardingSink<>());

        JobGraph graph = env.getStreamGraph().getJobGraph();
        List<String> names = new ArrayList<>();
        JobVertex sourceVertex = null;
        for (JobVertex v : graph.getVertices()) {
            names.add(v.getName());
            if (v.getName().contains("event files")) {
                sourceVertex = v;
            }
        }
        assertThat(sourceVertex).as("vertices %s", names).isNotNull();
        assertThat(sourceVertex.getName())
                .as("vertices %s", names)
                .contains("end-of-input watermark cap")
                .contains("split malformed and unused events");
        assertThat(sourceVertex.getProducedDataSets()).isNotEmpty();
        for (JobVertex v : graph.getVertices()) {
            if (v.getName().startsWith("dedup, late, route")) {
                assertThat(v.getInputs()).hasSize(1);
                assertThat(v.getInputs().get(0).getSource().getProducer()).isSameAs(sourceVertex);
                assertThat(v.getInputs().get(0).getShipStrategyName()).isEqualTo("HASH");
            }
        }
    }
}
