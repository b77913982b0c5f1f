package io.flightcontroller.app;

import com.amazonaws.services.kinesisanalytics.runtime.KinesisAnalyticsRuntime;
import java.nio.file.Paths;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point on Amazon Managed Service for Apache Flink (main class of the shaded jar).
 *
 * <p>Reads the runtime property groups ({@code KinesisAnalyticsRuntime.getApplicationProperties()}), or, with
 * {@code --config FILE}, a local properties file of {@code GROUP.key=value} lines; validates them into a
 * {@link JobConfig} (failing at start with the group and key of a bad value); builds the source (Kinesis, or JSON
 * Lines files when {@code source.type=file}), the topology and the sinks with {@link JobWiring}, as the local runner
 * does; and runs the job. Every operator has a stable
 * uid.
 *
 * <p>Flink settings: the job sets only {@link #applicationSettings()}, properties that Managed Flink lets application
 * code set ("Programmatic Flink configuration properties",
 * https://docs.aws.amazon.com/managed-flink/latest/java/programmatic-configuration.html; from runtime 2.2 on, setting
 * any other property in code throws). Checkpointing (interval, mode: exactly once), the state backend (RocksDB,
 * incremental), the restart strategy and the parallelism belong to the service: its application configuration
 * ({@code CheckpointConfiguration}, {@code ParallelismConfiguration}) or a support case
 * (https://docs.aws.amazon.com/managed-flink/latest/java/reference-flink-settings.title.html). Elsewhere (a session
 * cluster) they come from the cluster's configuration, as on the service.
 *
 * <p>Usage: {@code ManagedFlinkJob [--config FILE.properties]}.
 */
public final class ManagedFlinkJob {
    private static final Logger LOG = LoggerFactory.getLogger(ManagedFlinkJob.class);

    /**
     * The maximum parallelism of every operator, i.e. the number of key groups keyed state is split into. It is fixed
     * by the first snapshot: a restore with another value fails. Flink derives it from the parallelism when unset
     * (128 up to parallelism 85, more above), so the service's autoscaling, which doubles the parallelism, could
     * otherwise change it; 128 is that derived value (so earlier snapshots restore), allows autoscaling up to
     * parallelism 128 and keeps the key-group prefix of each state entry at one byte.
     */
    public static final int MAX_PARALLELISM = 128;

    private ManagedFlinkJob() {}

    /**
     * The Flink settings the job sets itself, all of them on Managed Flink's list of properties application code may
     * set: {@code pipeline.max-parallelism} ({@link #MAX_PARALLELISM}) and {@code pipeline.auto-generate-uids=false}
     * (the job graph is refused unless every operator has an explicit uid, so a savepoint's state always finds its
     * operator after a code change).
     *
     * @return a new configuration to apply with {@link StreamExecutionEnvironment#configure}
     */
    public static Configuration applicationSettings() {
        Configuration c = new Configuration();
        c.set(org.apache.flink.configuration.PipelineOptions.MAX_PARALLELISM, MAX_PARALLELISM);
        c.set(org.apache.flink.configuration.PipelineOptions.AUTO_GENERATE_UIDS, false);
        return c;
    }

    /**
     * @param args {@code --config FILE} for a local properties file; none on MSF
     * @throws Exception when the configuration is invalid ({@link JobConfig.InvalidConfigException}) or the job fails
     */
    public static void main(String[] args) throws Exception {
        JobConfig config = loadConfig(args);
        LOG.info("Flight Controller configuration: {}", config);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.configure(applicationSettings());
        JobWiring.attachSinks(JobWiring.build(env, config), config);
        env.execute("flight-controller");
    }

    /**
     * Loads the configuration from {@code --config FILE} when given, else from the MSF runtime properties.
     *
     * @param args command-line arguments
     * @return the validated configuration
     * @throws Exception when the file or the runtime properties cannot be read, or a value is invalid
     */
    public static JobConfig loadConfig(String[] args) throws Exception {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                return JobConfig.fromPropertiesFile(Paths.get(args[i + 1]));
            }
            if (args[i].startsWith("--config=")) {
                return JobConfig.fromPropertiesFile(Paths.get(args[i].substring("--config=".length())));
            }
        }
        Map<String, Properties> groups = KinesisAnalyticsRuntime.getApplicationProperties();
        return JobConfig.fromPropertyGroups(groups);
    }
}
