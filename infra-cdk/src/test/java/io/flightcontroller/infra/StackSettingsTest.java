package io.flightcontroller.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flightcontroller.config.RuntimePropertyKeys;
import io.flightcontroller.pipeline.PipelineCounters;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Context parsing, defaults and validation of {@link StackSettings}; {@link RuntimeProperties} guards keys. */
class StackSettingsTest {
    private static StackSettings parse(Map<String, Object> context) {
        return StackSettings.fromContext(context::get);
    }

    @Test
    void defaults() {
        StackSettings s = parse(Map.of());
        assertThat(s.appName()).isEqualTo("flight-controller");
        assertThat(s.usesDefaultBus()).isFalse();
        assertThat(s.onDemand()).isTrue();
        assertThat(s.usesTimestream()).isTrue();
        assertThat(s.jarPath()).isEqualTo(StackSettings.DEFAULT_JAR_PATH);
        assertThat(s.jarS3Key()).isNull();
        assertThat(s.eventDetailTypes()).isEmpty();
        assertThat(s.autoScaling()).isTrue();
        assertThat(s.measuresLocation()).isEqualTo("classpath:/measures.yaml");
    }

    @Test
    void defaultsThatNameSomethingInTheJobAreTheJobsOwnConstants() {
        StackSettings s = parse(Map.of());
        assertThat(s.measuresLocation()).isEqualTo(RuntimePropertyKeys.DEFAULT_MEASURES_LOCATION);
        assertThat(s.deadLetterMetricName()).isEqualTo(PipelineCounters.CLOUDWATCH_DEAD_LETTERS);
    }

    @Test
    void flinkRuntimeIsOneOfTheManagedFlinkRuntimesDefaultingTo120() {
        assertThat(parse(Map.of()).flinkRuntime()).isEqualTo("FLINK-1_20");
        assertThat(parse(Map.of("flinkRuntime", "FLINK-2_2")).flinkRuntime()).isEqualTo("FLINK-2_2");
        assertThat(parse(Map.of("flinkRuntime", "flink-2_3")).flinkRuntime()).isEqualTo("FLINK-2_3");
        assertThatThrownBy(() -> parse(Map.of("flinkRuntime", "FLINK-2_0")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("context 'flinkRuntime': ")
                .hasMessageContaining("FLINK-1_20, FLINK-2_2, FLINK-2_3")
                .hasMessageEndingWith("got 'FLINK-2_0'");
    }

    @Test
    void listsAcceptCommaSeparatedAndJsonStyleValues() {
        assertThat(parse(Map.of("alertEmails", "a@x.io, b@x.io")).alertEmails()).containsExactly("a@x.io", "b@x.io");
        assertThat(parse(Map.of("eventDetailTypes", "[\"a\",\"b\"]")).eventDetailTypes())
                .containsExactly("a", "b");
    }

    @Test
    void invalidValuesNameTheirContextKey() {
        assertThatThrownBy(() -> parse(Map.of("streamMode", "burst"))).hasMessageContaining("'streamMode'");
        assertThatThrownBy(() -> parse(Map.of("parallelism", "many"))).hasMessageContaining("'parallelism'");
        assertThatThrownBy(() -> parse(Map.of("autoScaling", "yes"))).hasMessageContaining("'autoScaling'");
        assertThatThrownBy(() -> parse(Map.of("metricsSink", "influxdb"))).hasMessageContaining("'influxUrl'");
        assertThatThrownBy(() -> parse(Map.of("alertHttpsUrls", "http://plain")))
                .hasMessageContaining("'alertHttpsUrls'");
        assertThatThrownBy(() -> parse(Map.of("logRetentionDays", "31"))).hasMessageContaining("'logRetentionDays'");
        assertThatThrownBy(() -> parse(Map.of("stateLayout", "columnar")))
                .hasMessageContaining("'stateLayout'")
                .hasMessageContaining("per_correlation_id");
        assertThatThrownBy(() -> parse(Map.of("streamRetentionHours", "1")))
                .hasMessageContaining("'streamRetentionHours'");
    }

    @Test
    void aMissingJarIsReportedWithTheWayToBuildIt() {
        Map<String, Object> ctx = new HashMap<>();
        ctx.put("jarPath", "/nonexistent/flight-controller-job.jar");
        assertThatThrownBy(() -> Templates.build(ctx))
                .hasMessageContaining("'jarPath'")
                .hasMessageContaining("mvn -pl job -am package");
    }

    @Test
    void runtimePropertiesRefuseKeysTheJobDoesNotRead() {
        RuntimeProperties p = new RuntimeProperties();
        p.put(RuntimePropertyKeys.GROUP_SOURCE, RuntimePropertyKeys.SOURCE_TYPE, "kinesis");
        assertThatThrownBy(() -> p.put(RuntimePropertyKeys.GROUP_SOURCE, "kinesis.streams", "x"))
                .hasMessageContaining("kinesis.streams");
        assertThatThrownBy(() -> p.put("FlightController.Nope", RuntimePropertyKeys.SOURCE_TYPE, "x"))
                .hasMessageContaining("FlightController.Nope");
        assertThat(p.groups()).containsOnlyKeys(RuntimePropertyKeys.GROUP_SOURCE);
    }
}
