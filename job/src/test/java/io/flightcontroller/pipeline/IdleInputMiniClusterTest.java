package io.flightcontroller.pipeline;

import static io.flightcontroller.pipeline.HarnessSupport.measures;
import static io.flightcontroller.pipeline.TopologyMiniClusterTest.ev;
import static org.assertj.core.api.Assertions.assertThat;

import io.flightcontroller.domain.event.ParsedRecord;
import io.flightcontroller.domain.measure.MeasuresConfig;
import io.flightcontroller.domain.result.Alert;
import io.flightcontroller.serialization.DomainSerializers;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An unbounded input with two partitions (two files of a continuously monitored folder, read at source parallelism 2)
 * where one partition goes silent after K's start event: K's timeout still fires, because the silent partition is
 * marked idle after the configured idle timeout and stops holding back the watermark. Without idleness the watermark
 * would stay at the silent partition's last event and the timeout would never fire.
 */
class IdleInputMiniClusterTest {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(4)
                    .build());

    private static final MeasuresConfig MEASURES = measures("measures:\n"
            + "  - name: project_assignment\n"
            + "    start: project_requested\n"
            + "    end: project_assigned\n"
            + "    timeout: PT1H\n");

    /**
     * Two partitions of one parallel source: partition 0 emits K's start and then stays silent (but keeps running, like a
     * shard without traffic); partition 1 keeps emitting other keys' events, each 10 minutes of event time later, every
     * 20 ms until the job is cancelled.
     */
    static PartitionedTestSource twoPartitions() {
        return new PartitionedTestSource(
                (partition, n) -> {
                    if (partition == 0) {
                        return n == 0
                                ? Collections.singletonList(ev("K", "project_requested", "2024-03-01T00:00:00Z"))
                                : Collections.emptyList();
                    }
                    String time = Instant.parse("2024-03-01T00:00:00Z")
                            .plusSeconds((n + 1) * 600)
                            .toString();
                    return Arrays.asList(
                            ev("other-" + (n + 1), "project_requested", time),
                            ev("other-" + (n + 1), "project_assigned", time));
                },
                20);
    }

    @Test
    void aSilentPartitionDoesNotStallTheWatermarkTimeoutsFireAfterTheIdleTimeout() throws Exception {
        PipelineOptions options = PipelineOptions.builder(MEASURES)
                .idleTimeout(Duration.ofSeconds(1))
                .build();
        String tag = UUID.randomUUID() + "/";
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        env.getConfig().setAutoWatermarkInterval(100);
        DataStream<ParsedRecord> input = env.fromSource(
                        twoPartitions(),
                        WatermarkStrategy.noWatermarks(),
                        "two partitions",
                        DomainSerializers.PARSED_RECORD)
                .setParallelism(2)
                .assignTimestampsAndWatermarks(FlightControllerTopology.watermarkStrategy(options))
                .setParallelism(2);
        FlightControllerTopology.Outputs out = FlightControllerTopology.build(input, options);
        out.alerts.sinkTo(new CollectSink<>(tag + "alerts"));

        JobClient job = env.executeAsync("idle input test");
        List<Alert> alerts = Collections.emptyList();
        try {
            long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (System.nanoTime() < giveUp) {
                alerts = CollectSink.get(tag + "alerts");
                if (!alerts.isEmpty()) {
                    break;
                }
                Thread.sleep(200);
            }
        } finally {
            job.cancel().get(30, TimeUnit.SECONDS);
            CollectSink.forget(tag);
        }
        assertThat(alerts)
                .as("K's timeout, fired while the job is still running")
                .isNotEmpty();
        assertThat(alerts).extracting(Alert::getCaseKey).containsOnly("K");
        assertThat(alerts.get(0).getKind()).isEqualTo(Alert.Kind.TIMEOUT);
        assertThat(alerts).hasSize(1);
    }
}
