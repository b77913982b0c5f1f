package io.flightcontroller.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flightcontroller.adapters.parse.MeasuresYaml;
import io.flightcontroller.benchmark.FlightControllerScenario.Backend;
import io.flightcontroller.benchmark.FlightControllerScenario.Watermarks;
import io.flightcontroller.domain.measure.MeasuresConfig;
import io.flightcontroller.pipeline.FlightControllerTopology;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.api.common.accumulators.ListAccumulator;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.base.LongSerializer;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.TimerSerializer;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shared mini-clusters run each job as a cluster of its own would: the job's configuration (state backend, RocksDB
 * timers, generic types) takes effect on a cluster configured without it, a slot holds the cluster's managed memory
 * divided by the slots, another managed memory size restarts the cluster, and runs of one shape start it once. A probe
 * operator reports what its subtask really runs with.
 */
class SharedMiniClusterTest {
    private static final MemorySize MIB_64 = MemorySize.ofMebiBytes(64);

    @AfterAll
    static void closeClusters() {
        SharedMiniCluster.closeAll();
    }

    @Test
    void theJobsStateBackendTimersAndGenericTypesTakeEffectOnAClusterNotConfiguredWithThem() throws Exception {
        FlightControllerScenario fc = new FlightControllerScenario(measures(), 0, 0);
        SharedMiniCluster cluster = SharedMiniCluster.of(2, MIB_64);
        assertThat(cluster.configuration.contains(StateBackendOptions.STATE_BACKEND))
                .as("the cluster's own configuration names no state backend")
                .isFalse();

        List<String> heap = probe(cluster, fc.jobConfiguration(Watermarks.PERIODIC, Backend.HEAP));
        List<String> rocks = probe(cluster, fc.jobConfiguration(Watermarks.PERIODIC, Backend.ROCKSDB));
        List<String> rocksHeapTimers =
                probe(cluster, fc.rocksdbHeapTimers(true).jobConfiguration(Watermarks.PERIODIC, Backend.ROCKSDB));

        assertThat(heap)
                .containsOnly(
                        "backend HeapKeyedStateBackend",
                        "timers HeapPriorityQueueSet",
                        "generic types enabled",
                        "slot managed memory 32 MiB");
        assertThat(rocks)
                .containsOnly(
                        "backend RocksDBKeyedStateBackend",
                        "timers KeyGroupPartitionedPriorityQueue",
                        "generic types disabled",
                        "slot managed memory 32 MiB");
        assertThat(rocksHeapTimers)
                .containsOnly(
                        "backend RocksDBKeyedStateBackend",
                        "timers HeapPriorityQueueSet",
                        "generic types disabled",
                        "slot managed memory 32 MiB");
    }

    @Test
    void anotherManagedMemorySizeRestartsTheClusterOfThatSlotCount() throws Exception {
        SharedMiniCluster first = SharedMiniCluster.of(1, MIB_64);
        int starts = SharedMiniCluster.startRows().size();

        SharedMiniCluster same = SharedMiniCluster.of(1, MIB_64);
        SharedMiniCluster smaller = SharedMiniCluster.of(1, MemorySize.ofMebiBytes(32));

        assertThat(same).isSameAs(first);
        assertThat(smaller).isNotSameAs(first);
        assertThat(SharedMiniCluster.withAnyManagedMemory(1)).isSameAs(smaller);
        assertThat(probe(smaller, new Configuration())).contains("slot managed memory 32 MiB");
        List<Row> rows = SharedMiniCluster.startRows();
        assertThat(rows).hasSize(starts + 1);
        Row restart = rows.get(rows.size() - 1);
        assertThat(restart.scenario).isEqualTo(SharedMiniCluster.START_ROW);
        assertThat(restart.parallelism).isEqualTo("1");
        assertThat(restart.notes).contains("managed memory 32 MiB; restart: managed memory was 64 MiB");
        assertThat(restart.wallS).isPositive();
    }

    @Test
    void aJobWhoseParallelismIsNotTheClustersSlotCountIsRefused() throws Exception {
        SharedMiniCluster cluster = SharedMiniCluster.of(2, MIB_64);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1, new Configuration());
        env.fromSequence(1, 10).sinkTo(new BenchSources.DiscardingSink<>());

        assertThatThrownBy(() -> cluster.execute(env, "p=1 on 2 slots"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maximum parallelism 1, but its cluster has 2 slot(s)");
    }

    @Test
    void runsOfOneShapeStartTheirClusterOnce(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("events.jsonl");
        long lines = WorkloadGenerator.writeJsonLines(
                new WorkloadGenerator.Settings().cases(200).seed(3), file);
        FlightControllerScenario fc = new FlightControllerScenario(measures(), 200, 3);
        SharedMiniCluster.of(1, MemorySize.ofMebiBytes(48)); // not the scenario's managed memory (Flink's default)
        int starts = SharedMiniCluster.startRows().size();

        Row heap = fc.run("first", 1, List.of(file), null, lines, false);
        Row rocks = fc.run("second", 1, List.of(file), null, lines, false, Watermarks.PERIODIC, Backend.ROCKSDB);
        Row again = fc.run("third", 1, List.of(file), null, lines, false);

        assertThat(SharedMiniCluster.startRows())
                .as("one restart, by the first run")
                .hasSize(starts + 1);
        assertThat(SharedMiniCluster.withAnyManagedMemory(1).managedMemory)
                .isEqualTo(SharedMiniCluster.FLINK_LOCAL_MANAGED_MEMORY);
        assertThat(List.of(rocks.counters, again.counters)).containsOnly(heap.counters);
        assertThat(rocks.notes).contains("; rocksdb (managed memory 128 MiB, Flink's local default)");
    }

    private static MeasuresConfig measures() throws Exception {
        try (InputStream in = FlightControllerTopology.class.getResourceAsStream("/measures.yaml")) {
            return MeasuresYaml.read(in);
        }
    }

    /** @return what each subtask of a keyed job with this configuration reported on this cluster */
    private static List<String> probe(SharedMiniCluster cluster, Configuration jobConf) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(cluster.slots, jobConf);
        env.fromSequence(1, 100)
                .keyBy(v -> v % 7)
                .transform("probe", Types.LONG, new Probe())
                .sinkTo(new BenchSources.DiscardingSink<>());
        return cluster.execute(env, "probe").getAccumulatorResult("probe");
    }

    /** Reports its keyed state backend, its timer queue, generic types and its slot's managed memory. */
    private static final class Probe extends AbstractStreamOperator<Long>
            implements OneInputStreamOperator<Long, Long> {
        private static final long serialVersionUID = 1L;

        @Override
        public void open() throws Exception {
            super.open();
            ListAccumulator<String> facts = new ListAccumulator<>();
            getRuntimeContext().addAccumulator("probe", facts);
            KeyedStateBackend<?> backend = getKeyedStateBackend();
            facts.add("backend " + backend.getClass().getSimpleName());
            facts.add("timers "
                    + backend.create(
                                    "probe-timers",
                                    new TimerSerializer<>(LongSerializer.INSTANCE, VoidNamespaceSerializer.INSTANCE))
                            .getClass()
                            .getSimpleName());
            facts.add("generic types "
                    + (getExecutionConfig().getSerializerConfig().hasGenericTypesDisabled() ? "disabled" : "enabled"));
            facts.add("slot managed memory "
                    + getContainingTask().getEnvironment().getMemoryManager().getMemorySize() / (1 << 20) + " MiB");
        }

        @Override
        public void processElement(StreamRecord<Long> element) {
            output.collect(element);
        }
    }
}
