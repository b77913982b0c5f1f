package io.flightcontroller.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.Collector;

/**
 * The two state backends the mini-cluster tests run on: {@link #HEAP} (Flink's default) and {@link #ROCKSDB} (the one
 * Managed Flink uses), and a probe that proves which one a job really ran on.
 *
 * <p>Shape: the names are values of Flink's {@code state.backend.type}. The probe is a keyed operator that records the
 * class of its own {@code ValueState} ({@code HeapValueState} or {@code RocksDBValueState}) under a tag; a job whose
 * configuration did not reach the keyed operators would show the heap class where RocksDB was asked for.
 */
public final class StateBackends {
    /** Flink's default: state objects on the JVM heap, snapshots copied from them. */
    public static final String HEAP = "hashmap";
    /** Embedded RocksDB: state serialized in every access, as on Managed Flink. */
    public static final String ROCKSDB = "rocksdb";

    /**
     * Managed memory of a task manager with RocksDB (a limit for RocksDB's native memory, not taken up front). With a
     * local mini-cluster's default of 128 MiB, shared by the RocksDB instances of all keyed operators and slots,
     * RocksDB spent 75-102x the heap's CPU per event in the benchmark (benchmark/README.md), 9-10x with 1 GiB.
     */
    public static final MemorySize ROCKSDB_MANAGED_MEMORY = MemorySize.ofMebiBytes(1024);

    private static final Map<String, String> OBSERVED = new ConcurrentHashMap<>();

    private StateBackends() {}

    /** @return both backends, for a {@code @MethodSource} */
    public static Stream<String> both() {
        return Stream.of(HEAP, ROCKSDB);
    }

    /**
     * @param backend {@link #HEAP} or {@link #ROCKSDB}
     * @return a configuration that selects it, for a mini-cluster or a job; RocksDB with {@link #ROCKSDB_MANAGED_MEMORY}
     *     of managed memory per task manager
     */
    public static Configuration configuration(String backend) {
        Configuration c = new Configuration();
        c.set(StateBackendOptions.STATE_BACKEND, backend);
        if (ROCKSDB.equals(backend)) {
            c.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, ROCKSDB_MANAGED_MEMORY);
        }
        return c;
    }

    /**
     * Attaches the probe to a stream (every record goes to one key; the probe keeps one {@code ValueState}).
     *
     * @param stream any stream of the job that carries at least one record
     * @param tag a tag unique to the run, for {@link #assertRanOn}
     * @param <T> record type
     */
    public static <T> void probe(DataStream<T> stream, String tag) {
        stream.keyBy(new OneKey<>(), Types.STRING)
                .process(new Probe<T>(tag))
                .returns(Types.VOID)
                .uid("test-state-backend-probe")
                .name("state backend probe")
                .sinkTo(new DiscardingSink<>())
                .uid("test-state-backend-probe-sink");
    }

    /**
     * Asserts that the probed job's keyed state lived in {@code backend}.
     *
     * @param tag the tag given to {@link #probe}
     * @param backend {@link #HEAP} or {@link #ROCKSDB}
     */
    public static void assertRanOn(String tag, String backend) {
        String cls = OBSERVED.remove(tag);
        assertThat(cls).as("state class seen by the probe " + tag).isNotNull();
        assertThat(cls).as("state backend of run " + tag).contains(backend.equals(ROCKSDB) ? "RocksDB" : "Heap");
    }

    private static final class OneKey<T> implements KeySelector<T, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(T value) {
            return "probe";
        }
    }

    private static final class Probe<T> extends KeyedProcessFunction<String, T, Void> {
        private static final long serialVersionUID = 1L;
        private final String tag;
        private transient ValueState<Long> seen;

        Probe(String tag) {
            this.tag = tag;
        }

        @Override
        public void open(org.apache.flink.api.common.functions.OpenContext ctx) {
            seen = getRuntimeContext().getState(new ValueStateDescriptor<>("seen", Types.LONG));
        }

        @Override
        public void processElement(T value, Context ctx, Collector<Void> out) throws Exception {
            Long n = seen.value();
            seen.update(n == null ? 1L : n + 1);
            OBSERVED.putIfAbsent(tag, seen.getClass().getName());
        }
    }
}
