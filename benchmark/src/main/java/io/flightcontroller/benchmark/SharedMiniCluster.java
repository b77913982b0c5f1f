package io.flightcontroller.benchmark;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.runtime.minicluster.RpcServiceSharing;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;

/**
 * The Flink mini-clusters the throughput rows ({@link FlightControllerScenario}, {@link CepScenario}) run their jobs
 * on: each started once per process, on first use, and reused, so that a row measures its job and not a cluster's
 * start and stop (on Amazon Managed Flink, the product's target, the cluster runs before a job is submitted).
 *
 * <p>Shape: one cluster per slot count, as {@code StreamExecutionEnvironment.createLocalEnvironment(p, conf)} gives a
 * job its own: one task manager, as many slots as the job's largest parallelism. A slot's managed memory is the
 * cluster's divided by its slots, so a p=1 job gets all of it and each slot of a p=2 job half, as with a cluster per
 * job. Only cluster-level settings here: slots, {@code taskmanager.memory.managed.size} (a request for another size
 * closes the cluster of that slot count and starts a new one), REST on a free port. What a run sets beside them
 * ({@code state.backend.type}, the RocksDB timer service, {@code pipeline.generic-types}) is the job's configuration:
 * it travels in the JobGraph and the job and task managers merge it over the cluster's (Flink 1.20
 * {@code StateBackendLoader.fromApplicationOrConfigOrDefault}; {@code SharedMiniClusterTest}). Each start prints a
 * line and is kept for {@link #startRows()}: wall seconds and process CPU ms (all threads) of
 * {@code MiniCluster.start()}. The commands ({@link Benchmark}, {@link RepeatRow}) close every cluster with
 * {@link #closeAll()} once their rows on it are done: not in a shutdown hook, which would race Flink's and Log4j's own.
 */
final class SharedMiniCluster {
    /** Managed memory of a local task manager when none is configured (Flink's {@code TaskExecutorResourceUtils}). */
    static final MemorySize FLINK_LOCAL_MANAGED_MEMORY = MemorySize.ofMebiBytes(128);

    /** Scenario of the report row of each cluster start. */
    static final String START_ROW = "Flink mini-cluster start (not in the FC rows)";

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    /** The running clusters by slot count. */
    private static final Map<Integer, SharedMiniCluster> RUNNING = new TreeMap<>();

    private static final List<Row> STARTS = new ArrayList<>();

    /** Task slots of its one task manager. */
    final int slots;
    /** Managed memory of its task manager, shared by the slots. */
    final MemorySize managedMemory;
    /** The cluster's configuration (cluster-level settings only). */
    final Configuration configuration;

    private final MiniCluster cluster;

    private SharedMiniCluster(int slots, MemorySize managedMemory) {
        this.slots = slots;
        this.managedMemory = managedMemory;
        configuration = new Configuration();
        configuration.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, managedMemory);
        configuration.set(RestOptions.BIND_PORT, "0");
        cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
                .setConfiguration(configuration)
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(slots)
                .setRpcServiceSharing(RpcServiceSharing.SHARED)
                .build());
    }

    /**
     * The running cluster with {@code slots} slots and this managed memory; started first when there is none, or
     * restarted when the running one has another managed memory size.
     *
     * @param slots task slots: the largest parallelism of the jobs to run on it
     * @param managedMemory managed memory of the task manager, shared by its slots
     * @return the cluster
     * @throws Exception when the cluster does not start
     */
    static synchronized SharedMiniCluster of(int slots, MemorySize managedMemory) throws Exception {
        if (slots < 1) {
            throw new IllegalArgumentException("slots: must be at least 1, was " + slots);
        }
        if (managedMemory == null) {
            throw new IllegalArgumentException("managedMemory: required (Flink's local default is "
                    + FLINK_LOCAL_MANAGED_MEMORY.getMebiBytes() + " MiB)");
        }
        SharedMiniCluster running = RUNNING.get(slots);
        if (running != null && running.managedMemory.equals(managedMemory)) {
            return running;
        }
        String why = "first use";
        if (running != null) {
            running.close();
            RUNNING.remove(slots);
            why = "restart: managed memory was " + running.managedMemory.getMebiBytes() + " MiB";
        }
        SharedMiniCluster c = new SharedMiniCluster(slots, managedMemory);
        c.start(why);
        RUNNING.put(slots, c);
        return c;
    }

    /**
     * The running cluster with {@code slots} slots whatever its managed memory, for a job that uses none (heap state);
     * started with Flink's local default when there is none.
     *
     * @param slots task slots: the largest parallelism of the job
     * @return the cluster
     * @throws Exception when the cluster does not start
     */
    static synchronized SharedMiniCluster withAnyManagedMemory(int slots) throws Exception {
        SharedMiniCluster running = RUNNING.get(slots);
        return running != null ? running : of(slots, FLINK_LOCAL_MANAGED_MEMORY);
    }

    /**
     * Runs the environment's job on this cluster and waits for its end: what a caller measures around this call is
     * the job's stream graph and JobGraph (the environment's configuration is the job's), its submission, deployment,
     * run and end, as {@code env.execute} on a local environment, but not a cluster's start or stop.
     *
     * @param env the job (its transformations are consumed, as by {@code env.execute})
     * @param jobName the job's name
     * @return the job's result, with its accumulators
     * @throws Exception when the job fails, or needs another number of slots than this cluster has
     */
    JobExecutionResult execute(StreamExecutionEnvironment env, String jobName) throws Exception {
        StreamGraph graph = env.getStreamGraph();
        graph.setJobName(jobName);
        JobGraph job = graph.getJobGraph();
        if (job.getMaximumParallelism() != slots) {
            throw new IllegalArgumentException("job '" + jobName + "': maximum parallelism "
                    + job.getMaximumParallelism() + ", but its cluster has " + slots + " slot(s); they must be"
                    + " equal, so that each slot's managed memory is what a cluster of its own gives the job");
        }
        return cluster.executeJobBlocking(job);
    }

    /**
     * @return one row per cluster start so far, in order ({@link #START_ROW}): p = slots, wall = seconds of
     *     {@code MiniCluster.start()}, value = its process CPU ms (all threads); the notes say which cluster and why
     */
    static synchronized List<Row> startRows() {
        return new ArrayList<>(STARTS);
    }

    private void start(String why) throws Exception {
        long wall0 = System.nanoTime();
        long cpu0 = OS.getProcessCpuTime();
        cluster.start();
        Row r = new Row();
        r.scenario = START_ROW;
        r.parallelism = String.valueOf(slots);
        r.wallS = (System.nanoTime() - wall0) / 1e9;
        r.eventsPerS = (OS.getProcessCpuTime() - cpu0) / 1e6;
        r.notes = String.format(
                Locale.ROOT,
                "value = CPU ms of the start (process, all threads); 1 task manager, %d slot(s), managed memory %d"
                        + " MiB; %s; reused by every later p=%d FC and CEP row",
                slots,
                managedMemory.getMebiBytes(),
                why,
                slots);
        STARTS.add(r);
        System.out.printf(
                Locale.ROOT,
                "  %s: %d slot(s), managed memory %d MiB (%s): %.2f s, %.0f ms CPU%n",
                START_ROW,
                slots,
                managedMemory.getMebiBytes(),
                why,
                r.wallS,
                r.eventsPerS);
    }

    private void close() {
        try {
            cluster.closeAsync().get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            System.err.println("closing the mini-cluster of " + slots + " slot(s) failed: " + e);
        }
    }

    /** Closes every running cluster (waiting at most a minute for each); a later use starts a new one. */
    static synchronized void closeAll() {
        RUNNING.values().forEach(SharedMiniCluster::close);
        RUNNING.clear();
    }
}
