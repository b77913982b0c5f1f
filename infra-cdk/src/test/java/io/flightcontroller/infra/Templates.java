package io.flightcontroller.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awscdk.App;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Template;

/**
 * Synthesises the stack for the tests, once per configuration (the CDK's JavaScript runtime makes each synthesis take
 * a moment). The application jar is a small temporary file, so no test needs the real shaded jar.
 */
final class Templates {
    private Templates() {}

    /** Defaults: new bus, on-demand stream, Timestream, code from a CDK asset. */
    static final Map<String, Object> DEFAULTS = Map.of();

    /** Every alternative at once: default bus, provisioned stream, InfluxDB, EFO, S3 measures and jar, subscriptions. */
    static final Map<String, Object> ALTERNATIVES = Map.ofEntries(
            Map.entry("appName", "fc-test"),
            Map.entry("eventBusName", "default"),
            Map.entry("eventSourcePrefix", "acme.delivery."),
            Map.entry("eventDetailTypes", "project_requested,project_assigned,project_created"),
            Map.entry("streamMode", "provisioned"),
            Map.entry("shardCount", "4"),
            Map.entry("streamRetentionHours", "168"),
            Map.entry("jarS3Key", "jars/flight-controller-job-1.jar"),
            Map.entry("measuresS3Key", "measures/prod.yaml"),
            Map.entry("kinesisReader", "EFO"),
            Map.entry("initialPosition", "TRIM_HORIZON"),
            Map.entry("parallelism", "4"),
            Map.entry("parallelismPerKpu", "2"),
            Map.entry("autoScaling", "false"),
            Map.entry("checkpointIntervalMs", "30000"),
            Map.entry("logRetentionDays", "90"),
            Map.entry("metricsSink", "influxdb"),
            Map.entry("influxUrl", "https://influx.example.com:8086"),
            Map.entry("influxOrg", "acme"),
            Map.entry("influxBucket", "flight"),
            Map.entry("alertEmails", "oncall@example.com,lead@example.com"),
            Map.entry("alertHttpsUrls", "https://hooks.example.com/flight-controller"),
            Map.entry("millisBehindLatestThresholdMs", "120000"),
            Map.entry("stateLayout", "PER_CORRELATION_ID"));

    /** InfluxDB with a secret that already exists. */
    static final Map<String, Object> EXISTING_SECRET = Map.of(
            "metricsSink", "influxdb",
            "influxUrl", "https://influx.example.com",
            "influxOrg", "acme",
            "influxBucket", "flight",
            "influxTokenSecretArn", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:influx-token-AbCdEf");

    /** Every configuration above, for tests that must hold for all of them. */
    static final List<Map<String, Object>> ALL = List.of(DEFAULTS, ALTERNATIVES, EXISTING_SECRET);

    private static final Map<Map<String, Object>, Template> CACHE = new ConcurrentHashMap<>();
    private static Path jar;
    private static Path outdir;

    /**
     * @param context CDK context of the configuration
     * @return the synthesised template of that configuration
     */
    static synchronized Template of(Map<String, Object> context) {
        return CACHE.computeIfAbsent(context, Templates::synth);
    }

    /** @return a small stand-in for the job's shaded jar */
    static synchronized Path testJar() {
        try {
            if (jar == null) {
                jar = Files.createTempFile("flight-controller-job-test", ".jar");
                Files.write(jar, new byte[] {'P', 'K', 5, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
                jar.toFile().deleteOnExit();
                outdir = Files.createTempDirectory("cdk-out-test");
            }
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Builds the stack without synthesising it, for tests that expect the build to fail or that look at the
     * construct tree.
     *
     * @param context CDK context
     * @return the stack
     */
    static FlightControllerStack build(Map<String, Object> context) {
        Map<String, Object> ctx = new HashMap<>();
        ctx.put(StackSettings.KEY_JAR_PATH, testJar().toString());
        ctx.putAll(context);
        App app = App.Builder.create().outdir(outdir.toString()).context(ctx).build();
        return new FlightControllerStack(
                app,
                "FlightController",
                StackProps.builder().build(),
                StackSettings.fromContext(app.getNode()::tryGetContext));
    }

    private static Template synth(Map<String, Object> context) {
        Map<String, Object> ctx = new HashMap<>();
        ctx.put(StackSettings.KEY_JAR_PATH, testJar().toString());
        ctx.putAll(context);
        App app = App.Builder.create().outdir(outdir.toString()).context(ctx).build();
        FlightControllerStack stack = new FlightControllerStack(
                app,
                "FlightController",
                StackProps.builder().build(),
                StackSettings.fromContext(app.getNode()::tryGetContext));
        return Template.fromStack(stack);
    }

    /**
     * @param template a template
     * @param type CloudFormation resource type
     * @return the properties of the only resource of that type
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> onlyProperties(Template template, String type) {
        Map<String, Map<String, Object>> found = template.findResources(type);
        if (found.size() != 1) {
            throw new AssertionError("expected one " + type + ", found " + found.keySet());
        }
        return (Map<String, Object>) found.values().iterator().next().get("Properties");
    }
}
