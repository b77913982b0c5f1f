package io.flightcontroller.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flightcontroller.domain.Outcome;
import io.flightcontroller.serialization.DomainSerializers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.runtime.kryo.KryoSerializer;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@link ManagedFlinkJob} sets in code: only properties Managed Flink lets an application set, and with them a
 * job graph in which every operator has an explicit uid, for every source and sink choice.
 */
class ManagedFlinkJobSettingsTest {

    /**
     * The "Pipeline configuration" properties of "Programmatic Flink configuration properties"
     * (https://docs.aws.amazon.com/managed-flink/latest/java/programmatic-configuration.html, read 2026-12): what
     * application code may set; from runtime 2.2 on anything else set in code throws. Checkpointing, state backend
     * and restart strategy are not on it.
     */
    static final Set<String> SETTABLE_IN_CODE = new HashSet<>(Arrays.asList(
            "execution.runtime-mode",
            "pipeline.auto-generate-uids",
            "pipeline.auto-watermark-interval",
            "pipeline.cached-files",
            "pipeline.classpaths",
            "pipeline.closure-cleaner-level",
            "pipeline.force-avro",
            "pipeline.force-kryo",
            "pipeline.generic-types",
            "pipeline.global-job-parameters",
            "pipeline.jars",
            "pipeline.jobvertex-parallelism-overrides",
            "pipeline.max-parallelism",
            "pipeline.name",
            "pipeline.object-reuse",
            "pipeline.operator-chaining.chain-operators-with-different-max-parallelism",
            "pipeline.operator-chaining.enabled",
            "pipeline.serialization-config",
            "pipeline.vertex-description-mode",
            "pipeline.vertex-name-include-index-prefix",
            "pipeline.watermark-alignment.allow-unaligned-source-splits"));

    /** The production source where the build has one (the Flink 2 build has no Kinesis source: README, "Flink 2"). */
    static final String SOURCE = KinesisInput.AVAILABLE ? "kinesis" : "file";

    @TempDir
    Path dir;

    private JobConfig config(String source, String metrics, String alerts) throws Exception {
        Path events = Files.write(
                dir.resolve("events.jsonl"),
                Collections.singletonList(
                        "{\"correlation_id\":\"c1\",\"event_type\":\"project_requested\",\"time\":\"2026-11-02T11:00:00Z\"}"),
                StandardCharsets.UTF_8);
        String lines = String.join(
                "\n",
                source.equals("kinesis")
                        ? "FlightController.Source.kinesis.stream=arn:aws:kinesis:eu-west-1:123456789012:stream/events"
                        : "FlightController.Source.source.type=file\nFlightController.Source.file.path=" + events,
                "FlightController.Sinks.metrics.sink=" + metrics,
                "FlightController.Sinks.jdbc.url=jdbc:sqlite:" + dir.resolve("results.db"),
                "FlightController.Sinks.timestream.database=fc",
                "FlightController.Sinks.timestream.table=metrics",
                "FlightController.Sinks.timestream.region=eu-west-1",
                "FlightController.Sinks.influxdb.url=http://127.0.0.1:1",
                "FlightController.Sinks.influxdb.org=fc",
                "FlightController.Sinks.influxdb.bucket=metrics",
                "FlightController.Sinks.influxdb.token=unused",
                "FlightController.Alerts.alerts.sink=" + alerts,
                "FlightController.Alerts.alerts.file.path=" + dir.resolve("alerts.jsonl"),
                "FlightController.Alerts.sns.topic.arn=arn:aws:sns:eu-west-1:123456789012:alerts",
                "");
        Path file = Files.write(dir.resolve("job.properties"), lines.getBytes(StandardCharsets.UTF_8));
        return ManagedFlinkJob.loadConfig(new String[] {"--config", file.toString()});
    }

    private static Map<String, String> settings(StreamExecutionEnvironment env) {
        ReadableConfig c = env.getConfiguration();
        return new HashMap<>(((Configuration) c).toMap());
    }

    /** Keys whose value differs between two snapshots of an environment's configuration. */
    private static Set<String> changed(Map<String, String> before, Map<String, String> after) {
        Set<String> keys = new HashSet<>(before.keySet());
        keys.addAll(after.keySet());
        keys.removeIf(k -> java.util.Objects.equals(before.get(k), after.get(k)));
        return keys;
    }

    /** The job as {@code main} builds it, up to {@code execute}: settings, source, topology, sinks. */
    private static StreamExecutionEnvironment buildLikeMain(JobConfig config) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.configure(ManagedFlinkJob.applicationSettings());
        JobWiring.attachSinks(JobWiring.build(env, config), config);
        return env;
    }

    @Test
    void theJobSetsOnlyPropertiesManagedFlinkLetsApplicationCodeSet() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        Map<String, String> before = settings(env);
        env.configure(ManagedFlinkJob.applicationSettings());
        JobWiring.attachSinks(JobWiring.build(env, config(SOURCE, "jdbc", "sns")), config(SOURCE, "jdbc", "sns"));
        Set<String> changed = changed(before, settings(env));

        assertThat(changed).contains("pipeline.max-parallelism", "pipeline.auto-generate-uids");
        assertThat(SETTABLE_IN_CODE).containsAll(changed);
        assertThat(env.getConfig().getMaxParallelism()).isEqualTo(ManagedFlinkJob.MAX_PARALLELISM);
    }

    @Test
    void checkpointingSetInCodeWouldShowAsAChangedProperty() {
        // control for the check above: what the service owns shows up in the configuration when code sets it
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        Map<String, String> before = settings(env);
        env.enableCheckpointing(10_000);
        assertThat(changed(before, settings(env))).isNotEmpty().doesNotContainAnyElementsOf(SETTABLE_IN_CODE);
    }

    @Test
    void everyOperatorHasAnExplicitUidForEverySourceAndSinkChoice() throws Exception {
        List<String> sources = KinesisInput.AVAILABLE ? Arrays.asList("kinesis", "file") : Arrays.asList("file");
        List<String> metricSinks = Arrays.asList("jdbc", "timestream", "influxdb", "none");
        List<String> alertSinks = Arrays.asList("sns", "log", "file", "none");
        Set<String> alertsSeen = new HashSet<>();
        for (String source : sources) {
            for (int m = 0; m < metricSinks.size(); m++) {
                String metrics = metricSinks.get(m);
                String alerts = alertSinks.get((m + sources.indexOf(source)) % alertSinks.size());
                StreamGraph graph =
                        buildLikeMain(config(source, metrics, alerts)).getStreamGraph();
                assertThat(graph.getStreamNodes())
                        .as("%s / %s / %s", source, metrics, alerts)
                        .isNotEmpty();
                alertsSeen.add(alerts);
            }
        }
        assertThat(alertsSeen).containsExactlyInAnyOrderElementsOf(alertSinks);
    }

    @Test
    void outcomesAndEventsCrossBetweenTasksWithTheJobsOwnSerializersNeverKryo() throws Exception {
        StreamGraph graph = buildLikeMain(config("file", "jdbc", "log")).getStreamGraph();
        int outcomeInputs = 0;
        for (StreamNode n : graph.getStreamNodes()) {
            for (TypeSerializer<?> in : n.getTypeSerializersIn()) {
                if (in == null) {
                    continue;
                }
                // a parsed event's payload is frozen: Kryo could not rebuild it (FrozenPayload)
                assertThat(in).as("input of %s", n.getOperatorName()).isNotInstanceOf(KryoSerializer.class);
                if (in.createInstance() instanceof Outcome) {
                    outcomeInputs++;
                    assertThat(in)
                            .as("outcomes into %s", n.getOperatorName())
                            .isInstanceOf(DomainSerializers.OutcomeSerializer.class);
                }
            }
        }
        assertThat(outcomeInputs)
                .as("burn rates and one window operator per aggregate window")
                .isGreaterThanOrEqualTo(3);
    }

    @Test
    void aKinesisSourceIsBuiltWhereTheBuildHasOneAndRefusedNamingTheOptionWhereNot() throws Exception {
        JobConfig kinesis = config("kinesis", "none", "log");
        if (KinesisInput.AVAILABLE) {
            assertThat(buildLikeMain(kinesis).getStreamGraph().getStreamNodes())
                    .anyMatch(n -> "source-kinesis".equals(n.getTransformationUID()));
        } else {
            assertThatThrownBy(() -> buildLikeMain(kinesis))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("FlightController.Source.source.type=kinesis: this Flink 2 build has no "
                            + "Kinesis source");
        }
    }

    @Test
    void anOperatorWithoutUidIsRefusedWithTheseSettings() {
        // control: the uid check above is Flink's own, switched on by the settings
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.configure(ManagedFlinkJob.applicationSettings());
        env.fromData(1, 2, 3)
                .uid("numbers")
                .map((MapFunction<Integer, Integer>) i -> i + 1)
                .name("no uid")
                .print()
                .uid("print");
        assertThatThrownBy(env::getStreamGraph).hasMessageContaining("no uid");
    }
}
