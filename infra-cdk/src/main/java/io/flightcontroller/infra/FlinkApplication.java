package io.flightcontroller.infra;

import io.flightcontroller.config.RuntimePropertyKeys;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.services.kinesisanalyticsv2.CfnApplication;
import software.amazon.awscdk.services.kinesisanalyticsv2.CfnApplicationCloudWatchLoggingOption;
import software.constructs.Construct;

/**
 * The Managed Service for Apache Flink application: runtime, code location, runtime properties, checkpointing,
 * parallelism, monitoring level, snapshots, and its CloudWatch logging option.
 *
 * <p>Shape: runtime {@code flinkRuntime} (default {@link StackSettings#DEFAULT_FLINK_RUNTIME}); the code is the jar from {@link Storage}; checkpoints every
 * {@code checkpointIntervalMs} with at least {@code minPauseBetweenCheckpointsMs} between them; parallelism
 * {@code parallelism}, {@code parallelismPerKpu} per KPU, autoscaling by parameter; snapshots on, started from the
 * latest snapshot, without allowing non-restored state. The runtime property groups point the job at the stack's
 * stream, measures, metric store and topic, keyed by the job's own {@link RuntimePropertyKeys}.
 */
final class FlinkApplication extends StackPart {
    private final CfnApplication application;

    /**
     * @param scope the stack
     * @param id construct id
     * @param settings validated parameters
     * @param ingestion the stream the job reads
     * @param storage code location, artifact bucket and metric store
     * @param alerting the alert topic
     * @param monitoring the log stream the application writes to
     * @param iam the role the application runs with
     */
    FlinkApplication(
            Construct scope,
            String id,
            StackSettings settings,
            Ingestion ingestion,
            Storage storage,
            Alerting alerting,
            Monitoring monitoring,
            Iam iam) {
        super(scope, id);
        RuntimeProperties properties = runtimeProperties(settings, ingestion, storage, alerting);
        List<CfnApplication.PropertyGroupProperty> groups = new ArrayList<>();
        properties
                .groups()
                .forEach((group, map) -> groups.add(CfnApplication.PropertyGroupProperty.builder()
                        .propertyGroupId(group)
                        .propertyMap(map)
                        .build()));
        application = CfnApplication.Builder.create(this, "Application")
                .applicationName(settings.appName())
                .applicationDescription("Flight Controller: lead-time and SLO measurement of process events")
                .runtimeEnvironment(settings.flinkRuntime())
                .serviceExecutionRole(iam.role().getRoleArn())
                .applicationConfiguration(CfnApplication.ApplicationConfigurationProperty.builder()
                        .applicationCodeConfiguration(CfnApplication.ApplicationCodeConfigurationProperty.builder()
                                .codeContentType("ZIPFILE")
                                .codeContent(CfnApplication.CodeContentProperty.builder()
                                        .s3ContentLocation(CfnApplication.S3ContentLocationProperty.builder()
                                                .bucketArn(storage.codeBucketArn())
                                                .fileKey(storage.codeKey())
                                                .build())
                                        .build())
                                .build())
                        .environmentProperties(CfnApplication.EnvironmentPropertiesProperty.builder()
                                .propertyGroups(groups)
                                .build())
                        .flinkApplicationConfiguration(CfnApplication.FlinkApplicationConfigurationProperty.builder()
                                .checkpointConfiguration(CfnApplication.CheckpointConfigurationProperty.builder()
                                        .configurationType("CUSTOM")
                                        .checkpointingEnabled(true)
                                        .checkpointInterval(settings.checkpointIntervalMs())
                                        .minPauseBetweenCheckpoints(settings.minPauseBetweenCheckpointsMs())
                                        .build())
                                .monitoringConfiguration(CfnApplication.MonitoringConfigurationProperty.builder()
                                        .configurationType("CUSTOM")
                                        .logLevel(settings.logLevel())
                                        .metricsLevel(settings.metricsLevel())
                                        .build())
                                .parallelismConfiguration(CfnApplication.ParallelismConfigurationProperty.builder()
                                        .configurationType("CUSTOM")
                                        .parallelism(settings.parallelism())
                                        .parallelismPerKpu(settings.parallelismPerKpu())
                                        .autoScalingEnabled(settings.autoScaling())
                                        .build())
                                .build())
                        .applicationSnapshotConfiguration(
                                CfnApplication.ApplicationSnapshotConfigurationProperty.builder()
                                        .snapshotsEnabled(true)
                                        .build())
                        .build())
                .runConfiguration(CfnApplication.RunConfigurationProperty.builder()
                        .applicationRestoreConfiguration(
                                CfnApplication.ApplicationRestoreConfigurationProperty.builder()
                                        .applicationRestoreType("RESTORE_FROM_LATEST_SNAPSHOT")
                                        .build())
                        .flinkRunConfiguration(CfnApplication.FlinkRunConfigurationProperty.builder()
                                .allowNonRestoredState(false)
                                .build())
                        .build())
                .build();
        // The service checks the role's permissions when the application is created.
        application.getNode().addDependency(iam.policy());
        CfnApplicationCloudWatchLoggingOption logging = CfnApplicationCloudWatchLoggingOption.Builder.create(
                        this, "ApplicationLogging")
                .applicationName(application.getRef())
                .cloudWatchLoggingOption(CfnApplicationCloudWatchLoggingOption.CloudWatchLoggingOptionProperty.builder()
                        .logStreamArn(monitoring.logStreamArn())
                        .build())
                .build();
        logging.getNode().addDependency(monitoring.logStream());
        logging.getNode().addDependency(application);
    }

    /** @return the application (its {@code Ref} is the application name) */
    CfnApplication application() {
        return application;
    }

    private static RuntimeProperties runtimeProperties(
            StackSettings settings, Ingestion ingestion, Storage storage, Alerting alerting) {
        RuntimeProperties p = new RuntimeProperties()
                .put(RuntimePropertyKeys.GROUP_SOURCE, RuntimePropertyKeys.SOURCE_TYPE, "kinesis")
                .put(
                        RuntimePropertyKeys.GROUP_SOURCE,
                        RuntimePropertyKeys.KINESIS_STREAM,
                        ingestion.stream().getStreamName())
                .put(RuntimePropertyKeys.GROUP_SOURCE, RuntimePropertyKeys.KINESIS_REGION, Aws.REGION)
                .put(
                        RuntimePropertyKeys.GROUP_SOURCE,
                        RuntimePropertyKeys.KINESIS_INITIAL_POSITION,
                        settings.initialPosition())
                .put(RuntimePropertyKeys.GROUP_SOURCE, RuntimePropertyKeys.KINESIS_READER, settings.kinesisReader());
        if (settings.enhancedFanOut()) {
            p.put(RuntimePropertyKeys.GROUP_SOURCE, RuntimePropertyKeys.KINESIS_EFO_CONSUMER, settings.appName());
        }
        p.put(
                RuntimePropertyKeys.GROUP_MEASURES,
                RuntimePropertyKeys.MEASURES_LOCATION,
                settings.measuresS3Key() != null
                        ? "s3://" + storage.artifacts().getBucketName() + "/" + settings.measuresS3Key()
                        : settings.measuresLocation());
        if (settings.stateLayout() != null) {
            p.put(RuntimePropertyKeys.GROUP_MEASURES, RuntimePropertyKeys.STATE_LAYOUT, settings.stateLayout());
        }
        p.put(RuntimePropertyKeys.GROUP_SINKS, RuntimePropertyKeys.METRICS_SINK, settings.metricsSink());
        if (storage.database() != null) {
            p.put(
                            RuntimePropertyKeys.GROUP_SINKS,
                            RuntimePropertyKeys.TIMESTREAM_DATABASE,
                            storage.database().getRef())
                    .put(
                            RuntimePropertyKeys.GROUP_SINKS,
                            RuntimePropertyKeys.TIMESTREAM_TABLE,
                            storage.table().getAttrName())
                    .put(RuntimePropertyKeys.GROUP_SINKS, RuntimePropertyKeys.TIMESTREAM_REGION, Aws.REGION);
        } else {
            p.put(RuntimePropertyKeys.GROUP_SINKS, RuntimePropertyKeys.INFLUX_URL, settings.influxUrl())
                    .put(RuntimePropertyKeys.GROUP_SINKS, RuntimePropertyKeys.INFLUX_ORG, settings.influxOrg())
                    .put(RuntimePropertyKeys.GROUP_SINKS, RuntimePropertyKeys.INFLUX_BUCKET, settings.influxBucket())
                    .put(
                            RuntimePropertyKeys.GROUP_SINKS,
                            RuntimePropertyKeys.INFLUX_TOKEN_SECRET,
                            storage.influxToken().getSecretArn());
        }
        p.put(
                        RuntimePropertyKeys.GROUP_ALERTS,
                        RuntimePropertyKeys.SNS_TOPIC_ARN,
                        alerting.topic().getTopicArn())
                .put(RuntimePropertyKeys.GROUP_ALERTS, RuntimePropertyKeys.SNS_REGION, Aws.REGION);
        return p;
    }
}
