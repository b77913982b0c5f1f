package io.flightcontroller.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.flightcontroller.adapters.file.RateLimitedSource;
import io.flightcontroller.adapters.parse.MeasuresYaml;
import io.flightcontroller.domain.event.ParsedRecord;
import io.flightcontroller.pipeline.PipelineOptions;
import java.util.List;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.transformations.SourceTransformation;
import org.junit.jupiter.api.Test;

/** The file input as {@link JobWiring#fileInput} builds it: paced only when a rate is given, one uid either way. */
class JobWiringFileInputTest {

    private static SourceTransformation<?, ?, ?> source(double rate) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        PipelineOptions options = PipelineOptions.builder(MeasuresYaml.parse("measures:\n"
                        + "  - name: lead\n"
                        + "    start: project_requested\n"
                        + "    end: project_created\n"))
                .build();
        DataStream<ParsedRecord> in =
                JobWiring.fileInput(env, List.of(new Path("/tmp/events.jsonl")), options, null, rate);
        return (SourceTransformation<?, ?, ?>) in.getTransformation();
    }

    @Test
    void aRateWrapsTheFileSourceInARateLimitedOne_withTheSameUid() {
        SourceTransformation<?, ?, ?> paced = source(2_500);
        assertThat(paced.getSource()).isInstanceOf(RateLimitedSource.class);
        assertThat(((RateLimitedSource<?, ?, ?>) paced.getSource()).recordsPerSecond())
                .isEqualTo(2_500.0);
        SourceTransformation<?, ?, ?> unpaced = source(0);
        assertThat(unpaced.getSource()).isInstanceOf(FileSource.class);
        // the same operator for a restore: a checkpoint taken paced restores unpaced and the other way round
        assertThat(paced.getUid()).isEqualTo(unpaced.getUid()).isEqualTo("source-files");
        assertThat(paced.getParallelism()).isEqualTo(unpaced.getParallelism()).isEqualTo(1);
    }
}
