package io.flightcontroller.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static software.amazon.awscdk.assertions.Match.absent;
import static software.amazon.awscdk.assertions.Match.anyValue;
import static software.amazon.awscdk.assertions.Match.arrayWith;
import static software.amazon.awscdk.assertions.Match.objectLike;
import static software.amazon.awscdk.assertions.Match.stringLikeRegexp;

import io.flightcontroller.config.RuntimePropertyKeys;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;

/** Template assertions for every resource and property issue 6 asks for, in the default and alternative setups. */
class FlightControllerStackTest {
    private static Template defaults() {
        return Templates.of(Templates.DEFAULTS);
    }

    private static Template alternatives() {
        return Templates.of(Templates.ALTERNATIVES);
    }

    private static Map<String, Object> ref(String logicalIdPrefix) {
        return Map.of("Ref", stringLikeRegexp(logicalIdPrefix + ".*"));
    }

    @Nested
    class Ingestion {
        @Test
        void createsTheBusAndARuleMatchingTheSourcePrefix() {
            defaults().hasResourceProperties("AWS::Events::EventBus", Map.of("Name", "flight-controller"));
            defaults()
                    .hasResourceProperties(
                            "AWS::Events::Rule",
                            Map.of(
                                    "EventBusName", ref("EventBus"),
                                    "EventPattern", Map.of("source", List.of(Map.of("prefix", "flight-controller.")))));
        }

        @Test
        void ruleTargetsTheStreamPartitionedByCorrelationId() {
            defaults()
                    .hasResourceProperties(
                            "AWS::Events::Rule",
                            Map.of(
                                    "Targets",
                                    List.of(objectLike(Map.of(
                                            "Arn",
                                                    Map.of(
                                                            "Fn::GetAtt",
                                                            List.of(stringLikeRegexp("EventStream.*"), "Arn")),
                                            "KinesisParameters", Map.of("PartitionKeyPath", "$.detail.correlation_id"),
                                            "RoleArn", anyValue(),
                                            "DeadLetterConfig", objectLike(Map.of("Arn", anyValue())))))));
        }

        @Test
        void undeliverableEventsGoToAnEncryptedQueueOnlyThisRuleMaySendTo() {
            defaults().hasResourceProperties("AWS::SQS::Queue", Map.of("SqsManagedSseEnabled", true));
            defaults()
                    .hasResourceProperties(
                            "AWS::SQS::QueuePolicy",
                            Map.of(
                                    "PolicyDocument",
                                    objectLike(Map.of(
                                            "Statement",
                                            arrayWith(List.of(objectLike(Map.of(
                                                    "Effect",
                                                    "Allow",
                                                    "Action",
                                                    "sqs:SendMessage",
                                                    "Principal",
                                                    Map.of("Service", "events.amazonaws.com"),
                                                    "Condition",
                                                    Map.of("ArnEquals", Map.of("aws:SourceArn", anyValue()))))))))));
        }

        @Test
        void defaultBusAndDetailTypesByParameter() {
            alternatives().resourceCountIs("AWS::Events::EventBus", 0);
            alternatives()
                    .hasResourceProperties(
                            "AWS::Events::Rule",
                            Map.of(
                                    "EventBusName",
                                    "default",
                                    "EventPattern",
                                    Map.of(
                                            "source", List.of(Map.of("prefix", "acme.delivery.")),
                                            "detail-type",
                                                    List.of(
                                                            "project_requested",
                                                            "project_assigned",
                                                            "project_created"))));
        }

        @Test
        void streamIsOnDemandAndKmsEncryptedWithTheStackKey() {
            defaults()
                    .hasResourceProperties(
                            "AWS::Kinesis::Stream",
                            Map.of(
                                    "StreamModeDetails", Map.of("StreamMode", "ON_DEMAND"),
                                    "ShardCount", absent(),
                                    "RetentionPeriodHours", 24,
                                    "StreamEncryption",
                                            Map.of(
                                                    "EncryptionType",
                                                    "KMS",
                                                    "KeyId",
                                                    Map.of(
                                                            "Fn::GetAtt",
                                                            List.of(stringLikeRegexp("EncryptionKey.*"), "Arn")))));
        }

        @Test
        void provisionedStreamByParameter() {
            alternatives()
                    .hasResourceProperties(
                            "AWS::Kinesis::Stream",
                            Map.of(
                                    "StreamModeDetails",
                                    Map.of("StreamMode", "PROVISIONED"),
                                    "ShardCount",
                                    4,
                                    "RetentionPeriodHours",
                                    168,
                                    "StreamEncryption",
                                    objectLike(Map.of("EncryptionType", "KMS"))));
        }

        @Test
        void keyRotatesAndIsRetained() {
            defaults()
                    .hasResource(
                            "AWS::KMS::Key",
                            Map.of(
                                    "Properties",
                                    objectLike(Map.of("EnableKeyRotation", true)),
                                    "DeletionPolicy",
                                    "Retain"));
        }
    }

    @Nested
    class Artifacts {
        @Test
        void artifactBucketIsVersionedEncryptedPrivateAndTlsOnly() {
            defaults()
                    .hasResource(
                            "AWS::S3::Bucket",
                            Map.of(
                                    "DeletionPolicy",
                                    "Retain",
                                    "Properties",
                                    objectLike(Map.of(
                                            "VersioningConfiguration", Map.of("Status", "Enabled"),
                                            "BucketEncryption",
                                                    Map.of(
                                                            "ServerSideEncryptionConfiguration",
                                                            List.of(Map.of(
                                                                    "ServerSideEncryptionByDefault",
                                                                    Map.of("SSEAlgorithm", "AES256")))),
                                            "PublicAccessBlockConfiguration",
                                                    Map.of(
                                                            "BlockPublicAcls",
                                                            true,
                                                            "BlockPublicPolicy",
                                                            true,
                                                            "IgnorePublicAcls",
                                                            true,
                                                            "RestrictPublicBuckets",
                                                            true),
                                            "OwnershipControls",
                                                    Map.of(
                                                            "Rules",
                                                            List.of(Map.of(
                                                                    "ObjectOwnership", "BucketOwnerEnforced")))))));
            defaults()
                    .hasResourceProperties(
                            "AWS::S3::BucketPolicy",
                            Map.of(
                                    "PolicyDocument",
                                    objectLike(Map.of(
                                            "Statement",
                                            arrayWith(List.of(
                                                    objectLike(Map.of(
                                                            "Effect",
                                                            "Deny",
                                                            "Action",
                                                            "s3:*",
                                                            "Condition",
                                                            Map.of("Bool", Map.of("aws:SecureTransport", "false")))),
                                                    objectLike(Map.of(
                                                            "Effect",
                                                            "Deny",
                                                            "Action",
                                                            "s3:*",
                                                            "Condition",
                                                            Map.of(
                                                                    "NumericLessThan",
                                                                    Map.of("s3:TlsVersion", 1.2))))))))));
        }

        @Test
        void applicationCodeIsTheJarAssetByDefault() {
            defaults()
                    .hasResourceProperties(
                            "AWS::KinesisAnalyticsV2::Application",
                            Map.of(
                                    "ApplicationConfiguration",
                                    objectLike(Map.of(
                                            "ApplicationCodeConfiguration",
                                            Map.of(
                                                    "CodeContentType",
                                                    "ZIPFILE",
                                                    "CodeContent",
                                                    Map.of(
                                                            "S3ContentLocation",
                                                            Map.of(
                                                                    "BucketARN", anyValue(),
                                                                    "FileKey",
                                                                            stringLikeRegexp(
                                                                                    "^[0-9a-f]{64}\\.jar$"))))))));
        }

        @Test
        void applicationCodeFromTheArtifactBucketByParameter() {
            alternatives()
                    .hasResourceProperties(
                            "AWS::KinesisAnalyticsV2::Application",
                            Map.of(
                                    "ApplicationConfiguration",
                                    objectLike(Map.of(
                                            "ApplicationCodeConfiguration",
                                            objectLike(Map.of(
                                                    "CodeContent",
                                                    Map.of(
                                                            "S3ContentLocation",
                                                            Map.of(
                                                                    "BucketARN",
                                                                    Map.of(
                                                                            "Fn::GetAtt",
                                                                            List.of(
                                                                                    stringLikeRegexp(
                                                                                            "ArtifactBucket.*"),
                                                                                    "Arn")),
                                                                    "FileKey",
                                                                    "jars/flight-controller-job-1.jar"))))))));
        }
    }

    @Nested
    class Application {
        @Test
        void runsFlink120WithItsRole() {
            defaults()
                    .hasResourceProperties(
                            "AWS::KinesisAnalyticsV2::Application",
                            Map.of(
                                    "ApplicationName", "flight-controller",
                                    "RuntimeEnvironment", "FLINK-1_20",
                                    "ServiceExecutionRole",
                                            Map.of(
                                                    "Fn::GetAtt",
                                                    List.of(stringLikeRegexp("ApplicationRole.*"), "Arn"))));
            defaults()
                    .hasResourceProperties(
                            "AWS::IAM::Role",
                            Map.of(
                                    "AssumeRolePolicyDocument",
                                    objectLike(Map.of(
                                            "Statement",
                                            List.of(objectLike(Map.of(
                                                    "Principal", Map.of("Service", "kinesisanalytics.amazonaws.com"),
                                                    "Condition",
                                                            Map.of(
                                                                    "StringEquals",
                                                                    Map.of(
                                                                            "aws:SourceAccount",
                                                                            Map.of("Ref", "AWS::AccountId"))))))))));
        }

        @Test
        void runtimeByParameterWithTheRestartAlarmOnThatLinesRestartCounter() {
            Template flink2 = Templates.of(Map.of("flinkRuntime", "FLINK-2_2"));
            flink2.hasResourceProperties(
                    "AWS::KinesisAnalyticsV2::Application", Map.of("RuntimeEnvironment", "FLINK-2_2"));
            // Managed Flink removed fullRestarts in Flink 2.2; numRestarts replaces it.
            for (Map.Entry<Template, String> e :
                    Map.of(defaults(), "fullRestarts", flink2, "numRestarts").entrySet()) {
                e.getKey()
                        .hasResourceProperties(
                                "AWS::CloudWatch::Alarm",
                                Map.of(
                                        "AlarmName",
                                        "flight-controller-RestartsAlarm",
                                        "Metrics",
                                        arrayWith(List.of(objectLike(Map.of(
                                                "MetricStat",
                                                objectLike(Map.of(
                                                        "Metric",
                                                        objectLike(Map.of("MetricName", e.getValue()))))))))));
            }
            String body = String.valueOf(Templates.onlyProperties(flink2, "AWS::CloudWatch::Dashboard")
                    .get("DashboardBody"));
            assertThat(body).contains("numRestarts").doesNotContain("fullRestarts");
        }

        @Test
        void isCreatedAfterItsPolicy() {
            Map<String, Map<String, Object>> apps = defaults().findResources("AWS::KinesisAnalyticsV2::Application");
            assertThat(String.valueOf(apps.values().iterator().next().get("DependsOn")))
                    .contains("ApplicationPolicy");
        }

        @Test
        void checkpointingParallelismAutoscalingAndMonitoring() {
            defaults()
                    .hasResourceProperties(
                            "AWS::KinesisAnalyticsV2::Application",
                            Map.of(
                                    "ApplicationConfiguration",
                                    objectLike(Map.of(
                                            "FlinkApplicationConfiguration",
                                            Map.of(
                                                    "CheckpointConfiguration",
                                                            Map.of(
                                                                    "ConfigurationType",
                                                                    "CUSTOM",
                                                                    "CheckpointingEnabled",
                                                                    true,
                                                                    "CheckpointInterval",
                                                                    60000,
                                                                    "MinPauseBetweenCheckpoints",
                                                                    5000),
                                                    "ParallelismConfiguration",
                                                            Map.of(
                                                                    "ConfigurationType",
                                                                    "CUSTOM",
                                                                    "Parallelism",
                                                                    1,
                                                                    "ParallelismPerKPU",
                                                                    1,
                                                                    "AutoScalingEnabled",
                                                                    true),
                                                    "MonitoringConfiguration",
                                                            Map.of(
                                                                    "ConfigurationType",
                                                                    "CUSTOM",
                                                                    "LogLevel",
                                                                    "INFO",
                                                                    "MetricsLevel",
                                                                    "APPLICATION"))))));
            alternatives()
                    .hasResourceProperties(
                            "AWS::KinesisAnalyticsV2::Application",
                            Map.of(
                                    "ApplicationConfiguration",
                                    objectLike(Map.of(
                                            "FlinkApplicationConfiguration",
                                            objectLike(Map.of(
                                                    "CheckpointConfiguration",
                                                            objectLike(Map.of("CheckpointInterval", 30000)),
                                                    "ParallelismConfiguration",
                                                            Map.of(
                                                                    "ConfigurationType",
                                                                    "CUSTOM",
                                                                    "Parallelism",
                                                                    4,
                                                                    "ParallelismPerKPU",
                                                                    2,
                                                                    "AutoScalingEnabled",
                                                                    false)))))));
        }

        @Test
        void snapshotsOnAndRestoreFromTheLatest() {
            defaults()
                    .hasResourceProperties(
                            "AWS::KinesisAnalyticsV2::Application",
                            Map.of(
                                    "ApplicationConfiguration",
                                            objectLike(Map.of(
                                                    "ApplicationSnapshotConfiguration",
                                                    Map.of("SnapshotsEnabled", true))),
                                    "RunConfiguration",
                                            objectLike(Map.of(
                                                    "ApplicationRestoreConfiguration",
                                                    Map.of(
                                                            "ApplicationRestoreType",
                                                            "RESTORE_FROM_LATEST_SNAPSHOT")))));
        }

        @Test
        void logsToItsOwnLogStream() {
            defaults()
                    .hasResourceProperties(
                            "AWS::Logs::LogGroup",
                            Map.of("LogGroupName", "/aws/kinesis-analytics/flight-controller", "RetentionInDays", 30));
            alternatives()
                    .hasResourceProperties(
                            "AWS::Logs::LogGroup",
                            Map.of("LogGroupName", "/aws/kinesis-analytics/fc-test", "RetentionInDays", 90));
            defaults().hasResourceProperties("AWS::Logs::LogStream", Map.of("LogStreamName", "application"));
            Map<String, Object> logging =
                    Templates.onlyProperties(defaults(), "AWS::KinesisAnalyticsV2::ApplicationCloudWatchLoggingOption");
            assertThat(logging.get("ApplicationName")).isEqualTo(Map.of("Ref", "Application"));
            assertThat(String.valueOf(logging.get("CloudWatchLoggingOption")))
                    .contains(":log-group:")
                    .contains(":log-stream:application");
        }

        @Test
        void everyPropertyGroupAndKeyIsOneTheJobReads() {
            for (Map<String, Object> config : Templates.ALL) {
                Map<String, Map<String, Object>> groups = propertyGroups(Templates.of(config));
                assertThat(groups).as("groups of %s", config).isNotEmpty();
                groups.forEach((group, map) -> map.keySet()
                        .forEach(key -> assertThat(RuntimePropertyKeys.isKnown(group, key))
                                .as("%s / %s is read by the job", group, key)
                                .isTrue()));
            }
        }

        @Test
        void defaultPropertiesPointTheJobAtTheStackResources() {
            Map<String, Map<String, Object>> g = propertyGroups(defaults());
            Map<String, Object> source = g.get(RuntimePropertyKeys.GROUP_SOURCE);
            assertThat(source)
                    .containsEntry(RuntimePropertyKeys.SOURCE_TYPE, "kinesis")
                    .containsEntry(RuntimePropertyKeys.KINESIS_REGION, Map.of("Ref", "AWS::Region"))
                    .containsEntry(RuntimePropertyKeys.KINESIS_INITIAL_POSITION, "LATEST")
                    .containsEntry(RuntimePropertyKeys.KINESIS_READER, "POLLING");
            assertThat(String.valueOf(source.get(RuntimePropertyKeys.KINESIS_STREAM)))
                    .contains("EventStream");
            assertThat(g.get(RuntimePropertyKeys.GROUP_MEASURES))
                    .containsEntry(RuntimePropertyKeys.MEASURES_LOCATION, "classpath:/measures.yaml")
                    // left out unless chosen: a stack deployed before the option existed keeps its layout
                    .doesNotContainKey(RuntimePropertyKeys.STATE_LAYOUT);
            Map<String, Object> sinks = g.get(RuntimePropertyKeys.GROUP_SINKS);
            assertThat(sinks)
                    .containsEntry(RuntimePropertyKeys.METRICS_SINK, "timestream")
                    .containsEntry(RuntimePropertyKeys.TIMESTREAM_DATABASE, Map.of("Ref", "TimestreamDatabase"))
                    .containsEntry(
                            RuntimePropertyKeys.TIMESTREAM_TABLE,
                            Map.of("Fn::GetAtt", List.of("TimestreamTable", "Name")))
                    .doesNotContainKey(RuntimePropertyKeys.INFLUX_URL);
            Map<String, Object> alerts = g.get(RuntimePropertyKeys.GROUP_ALERTS);
            assertThat(String.valueOf(alerts.get(RuntimePropertyKeys.SNS_TOPIC_ARN)))
                    .contains("AlertTopic");
            assertThat(alerts).containsEntry(RuntimePropertyKeys.SNS_REGION, Map.of("Ref", "AWS::Region"));
        }

        @Test
        void alternativePropertiesEfoS3MeasuresAndInflux() {
            Map<String, Map<String, Object>> g = propertyGroups(alternatives());
            assertThat(g.get(RuntimePropertyKeys.GROUP_SOURCE))
                    .containsEntry(RuntimePropertyKeys.KINESIS_READER, "EFO")
                    .containsEntry(RuntimePropertyKeys.KINESIS_EFO_CONSUMER, "fc-test")
                    .containsEntry(RuntimePropertyKeys.KINESIS_INITIAL_POSITION, "TRIM_HORIZON");
            assertThat(String.valueOf(
                            g.get(RuntimePropertyKeys.GROUP_MEASURES).get(RuntimePropertyKeys.MEASURES_LOCATION)))
                    .contains("s3://")
                    .contains("ArtifactBucket")
                    .contains("/measures/prod.yaml");
            assertThat(g.get(RuntimePropertyKeys.GROUP_MEASURES))
                    .containsEntry(RuntimePropertyKeys.STATE_LAYOUT, "per_correlation_id");
            Map<String, Object> sinks = g.get(RuntimePropertyKeys.GROUP_SINKS);
            assertThat(sinks)
                    .containsEntry(RuntimePropertyKeys.METRICS_SINK, "influxdb")
                    .containsEntry(RuntimePropertyKeys.INFLUX_URL, "https://influx.example.com:8086")
                    .containsEntry(RuntimePropertyKeys.INFLUX_ORG, "acme")
                    .containsEntry(RuntimePropertyKeys.INFLUX_BUCKET, "flight")
                    .doesNotContainKey(RuntimePropertyKeys.TIMESTREAM_DATABASE);
            assertThat(String.valueOf(sinks.get(RuntimePropertyKeys.INFLUX_TOKEN_SECRET)))
                    .contains("InfluxTokenSecret");
        }

        @SuppressWarnings("unchecked")
        private Map<String, Map<String, Object>> propertyGroups(Template template) {
            Map<String, Object> app = Templates.onlyProperties(template, "AWS::KinesisAnalyticsV2::Application");
            Map<String, Object> env = (Map<String, Object>)
                    ((Map<String, Object>) app.get("ApplicationConfiguration")).get("EnvironmentProperties");
            Map<String, Map<String, Object>> out = new java.util.LinkedHashMap<>();
            for (Object o : (List<Object>) env.get("PropertyGroups")) {
                Map<String, Object> group = (Map<String, Object>) o;
                out.put((String) group.get("PropertyGroupId"), (Map<String, Object>) group.get("PropertyMap"));
            }
            return out;
        }
    }

    @Nested
    class Sinks {
        @Test
        void timestreamDatabaseAndTableWithRetentionAndMagneticWrites() {
            defaults().hasResourceProperties("AWS::Timestream::Database", Map.of("DatabaseName", "flight_controller"));
            defaults()
                    .hasResourceProperties(
                            "AWS::Timestream::Table",
                            Map.of(
                                    "DatabaseName", Map.of("Ref", "TimestreamDatabase"),
                                    "TableName", "measurements",
                                    "RetentionProperties",
                                            Map.of(
                                                    "MemoryStoreRetentionPeriodInHours",
                                                    "24",
                                                    "MagneticStoreRetentionPeriodInDays",
                                                    "365"),
                                    "MagneticStoreWriteProperties", Map.of("EnableMagneticStoreWrites", true)));
            defaults().resourceCountIs("AWS::SecretsManager::Secret", 0);
        }

        @Test
        void retentionByParameter() {
            Template t = Templates.of(Map.of(
                    "memoryRetentionHours",
                    "72",
                    "magneticRetentionDays",
                    "730",
                    "timestreamDatabase",
                    "fc_db",
                    "timestreamTable",
                    "fc_table"));
            t.hasResourceProperties(
                    "AWS::Timestream::Table",
                    Map.of(
                            "TableName",
                            "fc_table",
                            "RetentionProperties",
                            Map.of(
                                    "MemoryStoreRetentionPeriodInHours",
                                    "72",
                                    "MagneticStoreRetentionPeriodInDays",
                                    "730")));
            t.hasResourceProperties("AWS::Timestream::Database", Map.of("DatabaseName", "fc_db"));
        }

        @Test
        void influxdbInsteadOfTimestreamWithATokenSecret() {
            alternatives().resourceCountIs("AWS::Timestream::Database", 0);
            alternatives().resourceCountIs("AWS::Timestream::Table", 0);
            alternatives().resourceCountIs("AWS::SecretsManager::Secret", 1);
        }

        @Test
        void anExistingTokenSecretIsUsedAsIs() {
            Template t = Templates.of(Templates.EXISTING_SECRET);
            t.resourceCountIs("AWS::SecretsManager::Secret", 0);
            t.hasResourceProperties(
                    "AWS::IAM::Policy",
                    Map.of(
                            "PolicyDocument",
                            objectLike(
                                    Map.of(
                                            "Statement",
                                            arrayWith(
                                                    List.of(
                                                            objectLike(
                                                                    Map.of(
                                                                            "Action", "secretsmanager:GetSecretValue",
                                                                            "Resource",
                                                                                    "arn:aws:secretsmanager:eu-west-1:123456789012:secret:influx-token-AbCdEf"))))))));
        }
    }

    @Nested
    class Alerts {
        @Test
        void topicIsKmsEncryptedAndAcceptsThisAccountsAlarms() {
            defaults()
                    .hasResourceProperties(
                            "AWS::SNS::Topic",
                            Map.of(
                                    "KmsMasterKeyId",
                                    Map.of("Fn::GetAtt", List.of(stringLikeRegexp("EncryptionKey.*"), "Arn"))));
            defaults()
                    .hasResourceProperties(
                            "AWS::SNS::TopicPolicy",
                            Map.of(
                                    "PolicyDocument",
                                    objectLike(Map.of(
                                            "Statement",
                                            arrayWith(List.of(
                                                    objectLike(Map.of(
                                                            "Effect",
                                                            "Deny",
                                                            "Action",
                                                            "sns:Publish",
                                                            "Condition",
                                                            Map.of("Bool", Map.of("aws:SecureTransport", "false")))),
                                                    objectLike(Map.of(
                                                            "Effect",
                                                            "Allow",
                                                            "Action",
                                                            "sns:Publish",
                                                            "Principal",
                                                            Map.of("Service", "cloudwatch.amazonaws.com"),
                                                            "Condition",
                                                            Map.of(
                                                                    "StringEquals",
                                                                    Map.of(
                                                                            "aws:SourceAccount",
                                                                            Map.of("Ref", "AWS::AccountId")))))))))));
            defaults()
                    .hasResourceProperties(
                            "AWS::KMS::Key",
                            Map.of(
                                    "KeyPolicy",
                                    objectLike(Map.of(
                                            "Statement",
                                            arrayWith(List.of(objectLike(Map.of(
                                                    "Principal", Map.of("Service", "cloudwatch.amazonaws.com"),
                                                    "Action", List.of("kms:Decrypt", "kms:GenerateDataKey*")))))))));
        }

        @Test
        void subscriptionsByParameter() {
            defaults().resourceCountIs("AWS::SNS::Subscription", 0);
            alternatives().resourceCountIs("AWS::SNS::Subscription", 3);
            alternatives()
                    .hasResourceProperties(
                            "AWS::SNS::Subscription", Map.of("Protocol", "email", "Endpoint", "oncall@example.com"));
            alternatives()
                    .hasResourceProperties(
                            "AWS::SNS::Subscription", Map.of("Protocol", "email", "Endpoint", "lead@example.com"));
            alternatives()
                    .hasResourceProperties(
                            "AWS::SNS::Subscription",
                            Map.of("Protocol", "https", "Endpoint", "https://hooks.example.com/flight-controller"));
        }

        @Test
        void alarmsCoverDowntimeRestartsCheckpointsLagDeadLettersAndDeliveryAllWiredToTheTopic() {
            Template t = defaults();
            t.resourceCountIs("AWS::CloudWatch::Alarm", 7);
            Map<String, Object> topicRef = Map.of("Ref", stringLikeRegexp("AlertTopic.*"));
            t.allResourcesProperties(
                    "AWS::CloudWatch::Alarm",
                    objectLike(Map.of(
                            "AlarmActions",
                            List.of(topicRef),
                            "OKActions",
                            List.of(topicRef),
                            "ComparisonOperator",
                            "GreaterThanThreshold")));
            Map<String, Object> app = Map.of("Name", "Application", "Value", "flight-controller");
            t.hasResourceProperties(
                    "AWS::CloudWatch::Alarm",
                    Map.of(
                            "AlarmName",
                            "flight-controller-DowntimeAlarm",
                            "Namespace",
                            "AWS/KinesisAnalytics",
                            "MetricName",
                            "downtime",
                            "Dimensions",
                            List.of(app),
                            "Threshold",
                            0));
            for (String counter : List.of("fullRestarts", "numberOfFailedCheckpoints")) {
                t.hasResourceProperties(
                        "AWS::CloudWatch::Alarm",
                        Map.of(
                                "Metrics",
                                arrayWith(List.of(
                                        objectLike(Map.of("Expression", "RATE(m1)")),
                                        objectLike(Map.of(
                                                "MetricStat",
                                                objectLike(Map.of(
                                                        "Metric",
                                                        Map.of(
                                                                "Namespace",
                                                                "AWS/KinesisAnalytics",
                                                                "MetricName",
                                                                counter,
                                                                "Dimensions",
                                                                List.of(app))))))))));
            }
            t.hasResourceProperties(
                    "AWS::CloudWatch::Alarm",
                    Map.of(
                            "MetricName",
                            "millisBehindLatest",
                            "Statistic",
                            "Maximum",
                            "Threshold",
                            60000,
                            "EvaluationPeriods",
                            5));
            t.hasResourceProperties(
                    "AWS::CloudWatch::Alarm",
                    Map.of("MetricName", "numDeadLetters", "Namespace", "AWS/KinesisAnalytics", "Statistic", "Sum"));
            t.hasResourceProperties(
                    "AWS::CloudWatch::Alarm",
                    Map.of("MetricName", "NumberOfNotificationsFailed", "Namespace", "AWS/SNS"));
            t.hasResourceProperties(
                    "AWS::CloudWatch::Alarm",
                    Map.of("MetricName", "ApproximateNumberOfMessagesVisible", "Namespace", "AWS/SQS"));
            alternatives()
                    .hasResourceProperties(
                            "AWS::CloudWatch::Alarm", Map.of("MetricName", "millisBehindLatest", "Threshold", 120000));
        }

        @Test
        void dashboardShowsTheKeyMetrics() {
            Map<String, Object> dash = Templates.onlyProperties(defaults(), "AWS::CloudWatch::Dashboard");
            assertThat(dash.get("DashboardName")).isEqualTo("flight-controller");
            String body = String.valueOf(dash.get("DashboardBody"));
            for (String metric : List.of(
                    "downtime",
                    "uptime",
                    "fullRestarts",
                    "lastCheckpointDuration",
                    "numberOfFailedCheckpoints",
                    "millisBehindLatest",
                    "numRecordsInPerSecond",
                    "numDeadLetters",
                    "MatchedEvents",
                    "IncomingRecords",
                    "NumberOfNotificationsFailed",
                    "\"type\":\"alarm\"",
                    "DowntimeAlarm",
                    "SourceLagAlarm")) {
                assertThat(body).as("dashboard shows %s", metric).contains(metric);
            }
        }
    }

    @Nested
    class Outputs {
        @Test
        void busStreamApplicationTopicAndTimestream() {
            Template t = defaults();
            t.hasOutput("EventBusName", objectLike(Map.of("Value", ref("EventBus"))));
            t.hasOutput(
                    "EventStreamArn",
                    objectLike(
                            Map.of("Value", Map.of("Fn::GetAtt", List.of(stringLikeRegexp("EventStream.*"), "Arn")))));
            t.hasOutput("ApplicationName", objectLike(Map.of("Value", Map.of("Ref", "Application"))));
            t.hasOutput("AlertTopicArn", objectLike(Map.of("Value", ref("AlertTopic"))));
            t.hasOutput("TimestreamDatabaseName", objectLike(Map.of("Value", Map.of("Ref", "TimestreamDatabase"))));
            t.hasOutput(
                    "TimestreamTableName",
                    objectLike(Map.of("Value", Map.of("Fn::GetAtt", List.of("TimestreamTable", "Name")))));
            t.hasOutput("ArtifactBucketName", anyValue());
            assertThat(t.findOutputs("InfluxTokenSecretArn")).isEmpty();
        }

        @Test
        void influxVariantOutputsTheSecretAndTheDefaultBus() {
            Template t = alternatives();
            t.hasOutput("EventBusName", objectLike(Map.of("Value", "default")));
            t.hasOutput("InfluxTokenSecretArn", anyValue());
            assertThat(t.findOutputs("TimestreamDatabaseName")).isEmpty();
        }
    }
}
