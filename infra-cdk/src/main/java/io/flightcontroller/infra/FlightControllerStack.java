package io.flightcontroller.infra;

import io.flightcontroller.config.RuntimePropertyKeys;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.AlarmStatusWidget;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.Dashboard;
import software.amazon.awscdk.services.cloudwatch.GraphWidget;
import software.amazon.awscdk.services.cloudwatch.IAlarm;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.IWidget;
import software.amazon.awscdk.services.cloudwatch.MathExpression;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.TextWidget;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.events.EventBus;
import software.amazon.awscdk.services.events.EventPattern;
import software.amazon.awscdk.services.events.IEventBus;
import software.amazon.awscdk.services.events.Match;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.targets.KinesisStream;
import software.amazon.awscdk.services.events.targets.KinesisStreamProps;
import software.amazon.awscdk.services.iam.AccountRootPrincipal;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.Policy;
import software.amazon.awscdk.services.iam.PolicyDocument;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kinesis.Stream;
import software.amazon.awscdk.services.kinesis.StreamEncryption;
import software.amazon.awscdk.services.kinesis.StreamMode;
import software.amazon.awscdk.services.kinesisanalyticsv2.CfnApplication;
import software.amazon.awscdk.services.kinesisanalyticsv2.CfnApplicationCloudWatchLoggingOption;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.logs.CfnLogGroup;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.LogStream;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.amazon.awscdk.services.s3.assets.Asset;
import software.amazon.awscdk.services.secretsmanager.ISecret;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.amazon.awscdk.services.sns.SubscriptionProtocol;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.subscriptions.EmailSubscription;
import software.amazon.awscdk.services.sns.subscriptions.UrlSubscription;
import software.amazon.awscdk.services.sns.subscriptions.UrlSubscriptionProps;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.amazon.awscdk.services.timestream.CfnDatabase;
import software.amazon.awscdk.services.timestream.CfnTable;
import software.constructs.Construct;

/**
 * The whole Flight Controller deployment in one stack: EventBridge bus and rule, KMS-encrypted Kinesis stream, the
 * Managed Service for Apache Flink application (FLINK-1_20) with its least-privilege role, Timestream (or an InfluxDB
 * token secret), the KMS-encrypted alert topic, CloudWatch logging, alarms and a dashboard.
 *
 * <p>All parameters come from {@link StackSettings}; the application's runtime properties are keyed by the job's own
 * {@link RuntimePropertyKeys} constants.
 */
public class FlightControllerStack extends Stack {
    /** Managed Flink runtime of the application. */
    public static final String RUNTIME = "FLINK-1_20";
    /** Partition key path of the rule's Kinesis target: one case's events stay on one shard, in order. */
    public static final String PARTITION_KEY_PATH = "$.detail.correlation_id";
    /** CloudWatch namespace of Managed Flink metrics (also of custom metrics the job registers). */
    public static final String MSF_NAMESPACE = "AWS/KinesisAnalytics";
    /** Name of the application's CloudWatch log stream. */
    public static final String LOG_STREAM_NAME = "application";

    private final StackSettings settings;
    private final List<IAlarm> alarms = new ArrayList<>();

    /**
     * Defines the stack.
     *
     * @param scope parent construct (the CDK app)
     * @param id construct id
     * @param props stack properties (environment, stack name)
     * @param settings validated parameters
     */
    public FlightControllerStack(Construct scope, String id, StackProps props, StackSettings settings) {
        super(scope, id, props);
        this.settings = settings;

        Key key = encryptionKey();

        // ---- ingestion: EventBridge -> Kinesis --------------------------------------------------------------------
        Stream stream = Stream.Builder.create(this, "EventStream")
                .encryption(StreamEncryption.KMS)
                .encryptionKey(key)
                .streamMode(settings.onDemand() ? StreamMode.ON_DEMAND : StreamMode.PROVISIONED)
                .shardCount(settings.onDemand() ? null : settings.shardCount())
                .retentionPeriod(Duration.hours(settings.streamRetentionHours()))
                .build();
        IEventBus bus = settings.usesDefaultBus()
                ? EventBus.fromEventBusName(this, "EventBus", StackSettings.DEFAULT_BUS)
                : EventBus.Builder.create(this, "EventBus").eventBusName(settings.eventBusName()).build();
        Queue deliveryDlq = Queue.Builder.create(this, "EventDeliveryDeadLetterQueue")
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .retentionPeriod(Duration.days(14))
                .build();
        EventPattern.Builder pattern = EventPattern.builder().source(Match.prefix(settings.eventSourcePrefix()));
        if (!settings.eventDetailTypes().isEmpty()) {
            pattern.detailType(settings.eventDetailTypes());
        }
        Rule rule = Rule.Builder.create(this, "ProducerEventsRule")
                .eventBus(bus)
                .description("Producers' process events to the Flight Controller stream, partitioned by correlation_id")
                .eventPattern(pattern.build())
                .targets(List.of(new KinesisStream(stream, KinesisStreamProps.builder()
                        .partitionKeyPath(PARTITION_KEY_PATH)
                        .deadLetterQueue(deliveryDlq)
                        .retryAttempts(185)
                        .maxEventAge(Duration.hours(24))
                        .build())))
                .build();
        // The Kinesis target does not add this itself: EventBridge may send undeliverable events of this rule only.
        deliveryDlq.addToResourcePolicy(PolicyStatement.Builder.create()
                .sid("AllowUndeliverableEventsOfTheRule")
                .principals(List.of(new ServicePrincipal("events.amazonaws.com")))
                .actions(List.of("sqs:SendMessage"))
                .resources(List.of(deliveryDlq.getQueueArn()))
                .conditions(Map.of("ArnEquals", Map.of("aws:SourceArn", rule.getRuleArn())))
                .build());

        // ---- artifacts: application jar and measures ----------------------------------------------------------------
        Bucket artifacts = Bucket.Builder.create(this, "ArtifactBucket")
                .versioned(true)
                .encryption(BucketEncryption.S3_MANAGED)
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .enforceSsl(true)
                .minimumTlsVersion(1.2)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                .removalPolicy(RemovalPolicy.RETAIN)
                .lifecycleRules(List.of(LifecycleRule.builder()
                        .id("expire-old-versions")
                        .noncurrentVersionExpiration(Duration.days(90))
                        .abortIncompleteMultipartUploadAfter(Duration.days(7))
                        .build()))
                .build();
        String codeBucketArn;
        String codeKey;
        String codeObjectArn;
        if (settings.jarS3Key() != null) {
            codeBucketArn = artifacts.getBucketArn();
            codeKey = settings.jarS3Key();
            codeObjectArn = artifacts.arnForObjects(codeKey);
        } else {
            File jar = new File(settings.jarPath());
            if (!jar.isFile()) {
                throw new IllegalArgumentException("context '" + StackSettings.KEY_JAR_PATH + "': no job jar at "
                        + jar.getAbsolutePath() + " (build it with 'mvn -pl job -am package', pass -c "
                        + StackSettings.KEY_JAR_PATH + "=..., or use -c " + StackSettings.KEY_JAR_S3_KEY + "=...)");
            }
            Asset asset = Asset.Builder.create(this, "JobJar").path(jar.getAbsolutePath()).build();
            codeBucketArn = asset.getBucket().getBucketArn();
            codeKey = asset.getS3ObjectKey();
            codeObjectArn = asset.getBucket().arnForObjects(codeKey);
        }

        // ---- metric sinks ------------------------------------------------------------------------------------------
        CfnDatabase database = null;
        CfnTable table = null;
        ISecret influxToken = null;
        if (settings.usesTimestream()) {
            database = CfnDatabase.Builder.create(this, "TimestreamDatabase")
                    .databaseName(settings.timestreamDatabase())
                    .build();
            table = CfnTable.Builder.create(this, "TimestreamTable")
                    .databaseName(database.getRef())
                    .tableName(settings.timestreamTable())
                    // These two properties are untyped JSON in the L1 construct: the CDK passes a generated property
                    // class through with camelCase keys, which CloudFormation rejects, so they are written as maps.
                    .retentionProperties(Map.of(
                            "MemoryStoreRetentionPeriodInHours", String.valueOf(settings.memoryRetentionHours()),
                            "MagneticStoreRetentionPeriodInDays", String.valueOf(settings.magneticRetentionDays())))
                    .magneticStoreWriteProperties(Map.of("EnableMagneticStoreWrites", true))
                    .build();
        } else if (settings.influxTokenSecretArn() != null) {
            influxToken = Secret.fromSecretCompleteArn(this, "InfluxTokenSecret", settings.influxTokenSecretArn());
        } else {
            influxToken = Secret.Builder.create(this, "InfluxTokenSecret")
                    .description("InfluxDB API token of Flight Controller (" + settings.appName()
                            + "); replace the generated placeholder with put-secret-value")
                    .build();
        }

        // ---- alerts --------------------------------------------------------------------------------------------------
        Topic topic = Topic.Builder.create(this, "AlertTopic")
                .displayName("Flight Controller alerts (" + settings.appName() + ")")
                .masterKey(key)
                .enforceSsl(true)
                .build();
        // The topic policy replaces SNS's default one, so the CloudWatch alarms of this account need an explicit allow.
        topic.addToResourcePolicy(PolicyStatement.Builder.create()
                .sid("AllowCloudWatchAlarmsOfThisAccount")
                .principals(List.of(new ServicePrincipal("cloudwatch.amazonaws.com")))
                .actions(List.of("sns:Publish"))
                .resources(List.of(topic.getTopicArn()))
                .conditions(Map.of("StringEquals", Map.of("aws:SourceAccount", Aws.ACCOUNT_ID)))
                .build());
        for (String email : settings.alertEmails()) {
            topic.addSubscription(new EmailSubscription(email));
        }
        for (String url : settings.alertHttpsUrls()) {
            topic.addSubscription(new UrlSubscription(url,
                    UrlSubscriptionProps.builder().protocol(SubscriptionProtocol.HTTPS).build()));
        }

        // ---- logging -------------------------------------------------------------------------------------------------
        LogGroup logGroup = LogGroup.Builder.create(this, "ApplicationLogGroup")
                .logGroupName("/aws/kinesis-analytics/" + settings.appName())
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
        ((CfnLogGroup) logGroup.getNode().getDefaultChild()).setRetentionInDays(settings.logRetentionDays());
        LogStream logStream = LogStream.Builder.create(this, "ApplicationLogStream")
                .logGroup(logGroup)
                .logStreamName(LOG_STREAM_NAME)
                .build();
        String logGroupArn = logsArn(logGroup.getLogGroupName());
        String logStreamArn = logGroupArn + ":log-stream:" + LOG_STREAM_NAME;

        // ---- IAM: the application's role, least privilege ------------------------------------------------------------
        Role role = Role.Builder.create(this, "ApplicationRole")
                .description("Service execution role of the Flight Controller Managed Flink application")
                .assumedBy(new ServicePrincipal("kinesisanalytics.amazonaws.com").withConditions(
                        Map.of("StringEquals", Map.of("aws:SourceAccount", Aws.ACCOUNT_ID))))
                .build();
        List<PolicyStatement> statements = new ArrayList<>();
        statements.add(allow("ReadEventStream", List.of("kinesis:DescribeStream", "kinesis:DescribeStreamSummary",
                "kinesis:GetRecords", "kinesis:GetShardIterator", "kinesis:ListShards"), stream.getStreamArn()));
        if (settings.enhancedFanOut()) {
            statements.add(allow("ManageEfoConsumer", List.of("kinesis:RegisterStreamConsumer",
                    "kinesis:DeregisterStreamConsumer", "kinesis:ListStreamConsumers"), stream.getStreamArn()));
            statements.add(allow("ReadWithEfo", List.of("kinesis:DescribeStreamConsumer", "kinesis:SubscribeToShard"),
                    stream.getStreamArn() + "/consumer/" + settings.appName() + ":*"));
        }
        // Decrypt: reading the KMS-encrypted stream. GenerateDataKey: publishing to the KMS-encrypted topic.
        statements.add(allow("UseEncryptionKey", List.of("kms:Decrypt", "kms:GenerateDataKey"), key.getKeyArn()));
        statements.add(allow("ReadApplicationCode", List.of("s3:GetObject", "s3:GetObjectVersion"), codeObjectArn));
        if (settings.measuresS3Key() != null) {
            statements.add(allow("ReadMeasures", List.of("s3:GetObject", "s3:GetObjectVersion"),
                    artifacts.arnForObjects(settings.measuresS3Key())));
        }
        if (table != null) {
            statements.add(allow("WriteMetrics", List.of("timestream:WriteRecords", "timestream:DescribeTable"),
                    table.getAttrArn()));
            // Allow-listed: DescribeEndpoints (endpoint discovery of the Timestream SDK) has no resource-level permission.
            statements.add(allow("DiscoverTimestreamEndpoints", List.of("timestream:DescribeEndpoints"), "*"));
        }
        if (influxToken != null) {
            statements.add(allow("ReadInfluxToken", List.of("secretsmanager:GetSecretValue"),
                    influxToken.getSecretArn()));
        }
        statements.add(allow("PublishAlerts", List.of("sns:Publish"), topic.getTopicArn()));
        statements.add(allow("ListLogGroups", List.of("logs:DescribeLogGroups"), logsArn("*")));
        statements.add(allow("ListLogStreams", List.of("logs:DescribeLogStreams"), logGroupArn + ":log-stream:*"));
        statements.add(allow("WriteLogs", List.of("logs:PutLogEvents"), logStreamArn));
        Policy policy = Policy.Builder.create(this, "ApplicationPolicy")
                .roles(List.of(role))
                .statements(statements)
                .build();

        // ---- the Managed Flink application ------------------------------------------------------------------------
        RuntimeProperties properties = runtimeProperties(stream, artifacts, database, table, influxToken, topic);
        List<CfnApplication.PropertyGroupProperty> groups = new ArrayList<>();
        properties.groups().forEach((group, map) -> groups.add(CfnApplication.PropertyGroupProperty.builder()
                .propertyGroupId(group).propertyMap(map).build()));
        CfnApplication application = CfnApplication.Builder.create(this, "Application")
                .applicationName(settings.appName())
                .applicationDescription("Flight Controller: lead-time and SLO measurement of process events")
                .runtimeEnvironment(RUNTIME)
                .serviceExecutionRole(role.getRoleArn())
                .applicationConfiguration(CfnApplication.ApplicationConfigurationProperty.builder()
                        .applicationCodeConfiguration(CfnApplication.ApplicationCodeConfigurationProperty.builder()
                                .codeContentType("ZIPFILE")
                                .codeContent(CfnApplication.CodeContentProperty.builder()
                                        .s3ContentLocation(CfnApplication.S3ContentLocationProperty.builder()
                                                .bucketArn(codeBucketArn)
                                                .fileKey(codeKey)
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
                        .applicationSnapshotConfiguration(CfnApplication.ApplicationSnapshotConfigurationProperty
                                .builder().snapshotsEnabled(true).build())
                        .build())
                .runConfiguration(CfnApplication.RunConfigurationProperty.builder()
                        .applicationRestoreConfiguration(CfnApplication.ApplicationRestoreConfigurationProperty.builder()
                                .applicationRestoreType("RESTORE_FROM_LATEST_SNAPSHOT")
                                .build())
                        .flinkRunConfiguration(CfnApplication.FlinkRunConfigurationProperty.builder()
                                .allowNonRestoredState(false)
                                .build())
                        .build())
                .build();
        // The service checks the role's permissions when the application is created.
        application.getNode().addDependency(policy);
        CfnApplicationCloudWatchLoggingOption logging = CfnApplicationCloudWatchLoggingOption.Builder
                .create(this, "ApplicationLogging")
                .applicationName(application.getRef())
                .cloudWatchLoggingOption(CfnApplicationCloudWatchLoggingOption.CloudWatchLoggingOptionProperty.builder()
                        .logStreamArn(logStreamArn)
                        .build())
                .build();
        logging.getNode().addDependency(logStream);
        logging.getNode().addDependency(application);

        // ---- alarms and dashboard ----------------------------------------------------------------------------------
        SnsAction toTopic = new SnsAction(topic);
        alarm("DowntimeAlarm", "Application is down (downtime > 0): it is not processing events",
                appMetric("downtime", "Maximum", 1), 0, 1, TreatMissingData.NOT_BREACHING, toTopic);
        alarm("RestartsAlarm", "Application restarted (rate of fullRestarts > 0)",
                rate("restarts", appMetric("fullRestarts", "Maximum", 5)), 0, 1, TreatMissingData.NOT_BREACHING,
                toTopic);
        alarm("CheckpointFailuresAlarm", "Checkpoints are failing (rate of numberOfFailedCheckpoints > 0)",
                rate("failed", appMetric("numberOfFailedCheckpoints", "Maximum", 5)), 0, 1,
                TreatMissingData.NOT_BREACHING, toTopic);
        alarm("SourceLagAlarm", "The Kinesis source is more than " + settings.millisBehindLatestThresholdMs()
                        + " ms behind the stream's tip (millisBehindLatest) for 5 minutes",
                appMetric("millisBehindLatest", "Maximum", 1), settings.millisBehindLatestThresholdMs(), 5,
                TreatMissingData.NOT_BREACHING, toTopic);
        alarm("DeadLettersAlarm", "The job dead-lettered records (" + settings.deadLetterMetricName() + " > 0)",
                appMetric(settings.deadLetterMetricName(), "Sum", 5), 0, 1, TreatMissingData.NOT_BREACHING, toTopic);
        alarm("AlertDeliveryFailuresAlarm", "SNS failed to deliver alerts to subscribers",
                topic.metricNumberOfNotificationsFailed(
                        software.amazon.awscdk.services.cloudwatch.MetricOptions.builder()
                                .statistic("Sum").period(Duration.minutes(5)).build()),
                0, 1, TreatMissingData.NOT_BREACHING, toTopic);
        alarm("EventDeliveryFailuresAlarm", "EventBridge could not put events into the stream (dead-letter queue)",
                deliveryDlq.metricApproximateNumberOfMessagesVisible(
                        software.amazon.awscdk.services.cloudwatch.MetricOptions.builder()
                                .statistic("Maximum").period(Duration.minutes(5)).build()),
                0, 1, TreatMissingData.NOT_BREACHING, toTopic);
        dashboard(stream, rule, topic);

        // ---- outputs ------------------------------------------------------------------------------------------------
        output("EventBusName", bus.getEventBusName(), "Event bus the producers put events on");
        output("EventStreamArn", stream.getStreamArn(), "Kinesis stream the rule writes to");
        output("ApplicationName", application.getRef(), "Managed Flink application");
        output("AlertTopicArn", topic.getTopicArn(), "SNS topic for alerts and alarms");
        output("ArtifactBucketName", artifacts.getBucketName(), "Bucket for application jars and measures files");
        output("ApplicationLogGroupName", logGroup.getLogGroupName(), "Application log group");
        if (database != null) {
            output("TimestreamDatabaseName", database.getRef(), "Timestream database of the metrics");
            output("TimestreamTableName", table.getAttrName(), "Timestream table of the metrics");
        }
        if (influxToken != null) {
            output("InfluxTokenSecretArn", influxToken.getSecretArn(), "Secret holding the InfluxDB token");
        }
    }

    /** @return the settings this stack was built from */
    public StackSettings getSettings() {
        return settings;
    }

    /**
     * The stack's KMS key for the stream and the topic. Its policy lists actions instead of the usual {@code kms:*}:
     * administration and use by this account's IAM principals (which IAM policies then narrow), and use by CloudWatch so
     * alarms can publish to the encrypted topic.
     */
    private Key encryptionKey() {
        PolicyDocument keyPolicy = PolicyDocument.Builder.create().statements(List.of(
                PolicyStatement.Builder.create()
                        .sid("AccountAdministrationAndIamDelegation")
                        .principals(List.of(new AccountRootPrincipal()))
                        .actions(List.of("kms:Create*", "kms:Describe*", "kms:Enable*", "kms:List*", "kms:Put*",
                                "kms:Update*", "kms:Revoke*", "kms:Disable*", "kms:Get*", "kms:Delete*",
                                "kms:TagResource", "kms:UntagResource", "kms:ScheduleKeyDeletion",
                                "kms:CancelKeyDeletion", "kms:RotateKeyOnDemand", "kms:Encrypt", "kms:Decrypt",
                                "kms:ReEncrypt*", "kms:GenerateDataKey*"))
                        .resources(List.of("*"))
                        .build(),
                PolicyStatement.Builder.create()
                        .sid("CloudWatchAlarmsPublishToEncryptedTopic")
                        .principals(List.of(new ServicePrincipal("cloudwatch.amazonaws.com")))
                        .actions(List.of("kms:Decrypt", "kms:GenerateDataKey*"))
                        .resources(List.of("*"))
                        .build())).build();
        return Key.Builder.create(this, "EncryptionKey")
                .description("Flight Controller (" + settings.appName() + "): event stream and alert topic")
                .enableKeyRotation(true)
                .policy(keyPolicy)
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
    }

    private RuntimeProperties runtimeProperties(Stream stream, Bucket artifacts, CfnDatabase database, CfnTable table,
            ISecret influxToken, Topic topic) {
        RuntimeProperties p = new RuntimeProperties()
                .put(RuntimePropertyKeys.GROUP_SOURCE, RuntimePropertyKeys.SOURCE_TYPE, "kinesis")
                .put(RuntimePropertyKeys.GROUP_SOURCE, RuntimePropertyKeys.KINESIS_STREAM, stream.getStreamName())
                .put(RuntimePropertyKeys.GROUP_SOURCE, RuntimePropertyKeys.KINESIS_REGION, Aws.REGION)
                .put(RuntimePropertyKeys.GROUP_SOURCE, RuntimePropertyKeys.KINESIS_INITIAL_POSITION,
                        settings.initialPosition())
                .put(RuntimePropertyKeys.GROUP_SOURCE, RuntimePropertyKeys.KINESIS_READER, settings.kinesisReader());
        if (settings.enhancedFanOut()) {
            p.put(RuntimePropertyKeys.GROUP_SOURCE, RuntimePropertyKeys.KINESIS_EFO_CONSUMER, settings.appName());
        }
        p.put(RuntimePropertyKeys.GROUP_MEASURES, RuntimePropertyKeys.MEASURES_LOCATION,
                settings.measuresS3Key() != null
                        ? "s3://" + artifacts.getBucketName() + "/" + settings.measuresS3Key()
                        : settings.measuresLocation());
        p.put(RuntimePropertyKeys.GROUP_SINKS, RuntimePropertyKeys.METRICS_SINK, settings.metricsSink());
        if (database != null) {
            p.put(RuntimePropertyKeys.GROUP_SINKS, RuntimePropertyKeys.TIMESTREAM_DATABASE, database.getRef())
                    .put(RuntimePropertyKeys.GROUP_SINKS, RuntimePropertyKeys.TIMESTREAM_TABLE, table.getAttrName())
                    .put(RuntimePropertyKeys.GROUP_SINKS, RuntimePropertyKeys.TIMESTREAM_REGION, Aws.REGION);
        } else {
            p.put(RuntimePropertyKeys.GROUP_SINKS, RuntimePropertyKeys.INFLUX_URL, settings.influxUrl())
                    .put(RuntimePropertyKeys.GROUP_SINKS, RuntimePropertyKeys.INFLUX_ORG, settings.influxOrg())
                    .put(RuntimePropertyKeys.GROUP_SINKS, RuntimePropertyKeys.INFLUX_BUCKET, settings.influxBucket())
                    .put(RuntimePropertyKeys.GROUP_SINKS, RuntimePropertyKeys.INFLUX_TOKEN_SECRET,
                            influxToken.getSecretArn());
        }
        p.put(RuntimePropertyKeys.GROUP_ALERTS, RuntimePropertyKeys.SNS_TOPIC_ARN, topic.getTopicArn())
                .put(RuntimePropertyKeys.GROUP_ALERTS, RuntimePropertyKeys.SNS_REGION, Aws.REGION);
        return p;
    }

    private static PolicyStatement allow(String sid, List<String> actions, String resource) {
        return PolicyStatement.Builder.create()
                .sid(sid)
                .effect(Effect.ALLOW)
                .actions(actions)
                .resources(List.of(resource))
                .build();
    }

    private String logsArn(String logGroupName) {
        return Stack.of(this).formatArn(ArnComponents.builder()
                .service("logs")
                .resource("log-group")
                .resourceName(logGroupName)
                .arnFormat(ArnFormat.COLON_RESOURCE_NAME)
                .build());
    }

    private Metric appMetric(String name, String statistic, int periodMinutes) {
        return Metric.Builder.create()
                .namespace(MSF_NAMESPACE)
                .metricName(name)
                .dimensionsMap(Map.of("Application", settings.appName()))
                .statistic(statistic)
                .period(Duration.minutes(periodMinutes))
                .build();
    }

    private static MathExpression rate(String label, Metric counter) {
        return MathExpression.Builder.create()
                .expression("RATE(m1)")
                .usingMetrics(Map.of("m1", counter))
                .label(label)
                .period(counter.getPeriod())
                .build();
    }

    private void alarm(String id, String description, IMetric metric, double threshold, int evaluationPeriods,
            TreatMissingData missing, SnsAction action) {
        Alarm alarm = Alarm.Builder.create(this, id)
                .alarmName(settings.appName() + "-" + id)
                .alarmDescription(description)
                .metric(metric)
                .threshold(threshold)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
                .evaluationPeriods(evaluationPeriods)
                .datapointsToAlarm(evaluationPeriods)
                .treatMissingData(missing)
                .build();
        alarm.addAlarmAction(action);
        alarm.addOkAction(action);
        alarms.add(alarm);
    }

    private void dashboard(Stream stream, Rule rule, Topic topic) {
        List<IWidget> health = List.of(
                graph("Uptime and downtime (ms)", List.of(appMetric("uptime", "Maximum", 1),
                        appMetric("downtime", "Maximum", 1))),
                graph("Restarts", List.of(appMetric("fullRestarts", "Maximum", 1))),
                graph("Checkpoints", List.of(appMetric("lastCheckpointDuration", "Maximum", 1),
                        appMetric("numberOfFailedCheckpoints", "Maximum", 1))));
        List<IWidget> flow = List.of(
                graph("Events matched by the rule / put into the stream", List.of(
                        Metric.Builder.create().namespace("AWS/Events").metricName("MatchedEvents")
                                .dimensionsMap(Map.of("RuleName", rule.getRuleName())).statistic("Sum")
                                .period(Duration.minutes(1)).build(),
                        stream.metricIncomingRecords(software.amazon.awscdk.services.cloudwatch.MetricOptions
                                .builder().statistic("Sum").period(Duration.minutes(1)).build()))),
                graph("Source lag: millisBehindLatest", List.of(appMetric("millisBehindLatest", "Maximum", 1))),
                graph("Records in / out per second", List.of(appMetric("numRecordsInPerSecond", "Average", 1),
                        appMetric("numRecordsOutPerSecond", "Average", 1))));
        List<IWidget> results = List.of(
                graph("Dead letters", List.of(appMetric(settings.deadLetterMetricName(), "Sum", 1))),
                graph("Alerts published / failed deliveries", List.of(
                        topic.metricNumberOfMessagesPublished(), topic.metricNumberOfNotificationsFailed())),
                graph("Resources: KPUs, CPU %, heap %", List.of(appMetric("KPUs", "Maximum", 1),
                        appMetric("cpuUtilization", "Average", 1), appMetric("heapMemoryUtilization", "Average", 1))));
        Dashboard.Builder.create(this, "Dashboard")
                .dashboardName(settings.appName())
                .widgets(List.of(
                        List.of(TextWidget.Builder.create()
                                .markdown("# Flight Controller: " + settings.appName()
                                        + "\nEventBridge -> Kinesis -> Managed Flink -> metrics and SNS alerts")
                                .width(24).height(2).build()),
                        List.of(AlarmStatusWidget.Builder.create().title("Alarms").alarms(alarms).width(24).build()),
                        health, flow, results))
                .build();
    }

    private static GraphWidget graph(String title, List<? extends IMetric> metrics) {
        return GraphWidget.Builder.create().title(title).left(metrics).width(8).height(6).build();
    }

    private void output(String id, String value, String description) {
        CfnOutput.Builder.create(this, id).value(value).description(description).build();
    }
}
