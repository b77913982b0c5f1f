package io.flightcontroller.infra;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.Policy;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kinesis.Stream;
import software.amazon.awscdk.services.kms.IKey;
import software.constructs.Construct;

/**
 * IAM: the Managed Flink application's service execution role and its one inline policy, least privilege.
 *
 * <p>Shape: the role trusts {@code kinesisanalytics.amazonaws.com} for this account only ({@code aws:SourceAccount});
 * each statement names the one resource it needs (the stream and, with EFO, its consumer; the key; the jar and the
 * measures object; the Timestream table or the InfluxDB secret; the topic; the log group and log stream). The only
 * {@code "Resource": "*"} is {@code timestream:DescribeEndpoints}, which has no resource-level permission
 * ({@code IamPolicyTest} audits every statement; {@code infra-cdk/README.md} has the table).
 */
final class Iam extends StackPart {
    private final Role role;
    private final Policy policy;

    /**
     * @param scope the stack
     * @param id construct id
     * @param settings validated parameters
     * @param key the stack's key (stream and topic)
     * @param ingestion the stream the job reads
     * @param storage the jar, the measures object and the metric store
     * @param alerting the topic the job publishes alerts to
     * @param monitoring the log group and log stream the application writes to
     */
    Iam(
            Construct scope,
            String id,
            StackSettings settings,
            IKey key,
            Ingestion ingestion,
            Storage storage,
            Alerting alerting,
            Monitoring monitoring) {
        super(scope, id);
        Stream stream = ingestion.stream();
        role = Role.Builder.create(this, "ApplicationRole")
                .description("Service execution role of the Flight Controller Managed Flink application")
                .assumedBy(new ServicePrincipal("kinesisanalytics.amazonaws.com")
                        .withConditions(Map.of("StringEquals", Map.of("aws:SourceAccount", Aws.ACCOUNT_ID))))
                .build();
        List<PolicyStatement> statements = new ArrayList<>();
        statements.add(allow(
                "ReadEventStream",
                List.of(
                        "kinesis:DescribeStream",
                        "kinesis:DescribeStreamSummary",
                        "kinesis:GetRecords",
                        "kinesis:GetShardIterator",
                        "kinesis:ListShards"),
                stream.getStreamArn()));
        if (settings.enhancedFanOut()) {
            statements.add(allow(
                    "ManageEfoConsumer",
                    List.of(
                            "kinesis:RegisterStreamConsumer",
                            "kinesis:DeregisterStreamConsumer",
                            "kinesis:ListStreamConsumers"),
                    stream.getStreamArn()));
            statements.add(allow(
                    "ReadWithEfo",
                    List.of("kinesis:DescribeStreamConsumer", "kinesis:SubscribeToShard"),
                    stream.getStreamArn() + "/consumer/" + settings.appName() + ":*"));
        }
        // Decrypt: reading the KMS-encrypted stream. GenerateDataKey: publishing to the KMS-encrypted topic.
        statements.add(allow("UseEncryptionKey", List.of("kms:Decrypt", "kms:GenerateDataKey"), key.getKeyArn()));
        statements.add(
                allow("ReadApplicationCode", List.of("s3:GetObject", "s3:GetObjectVersion"), storage.codeObjectArn()));
        if (settings.measuresS3Key() != null) {
            statements.add(allow(
                    "ReadMeasures",
                    List.of("s3:GetObject", "s3:GetObjectVersion"),
                    storage.artifacts().arnForObjects(settings.measuresS3Key())));
        }
        if (storage.table() != null) {
            statements.add(allow(
                    "WriteMetrics",
                    List.of("timestream:WriteRecords", "timestream:DescribeTable"),
                    storage.table().getAttrArn()));
            // Allow-listed: DescribeEndpoints (endpoint discovery of the Timestream SDK) has no resource-level
            // permission.
            statements.add(allow("DiscoverTimestreamEndpoints", List.of("timestream:DescribeEndpoints"), "*"));
        }
        if (storage.influxToken() != null) {
            statements.add(allow(
                    "ReadInfluxToken",
                    List.of("secretsmanager:GetSecretValue"),
                    storage.influxToken().getSecretArn()));
        }
        statements.add(
                allow("PublishAlerts", List.of("sns:Publish"), alerting.topic().getTopicArn()));
        statements.add(allow("ListLogGroups", List.of("logs:DescribeLogGroups"), Monitoring.logsArn(this, "*")));
        statements.add(allow(
                "ListLogStreams", List.of("logs:DescribeLogStreams"), monitoring.logGroupArn() + ":log-stream:*"));
        statements.add(allow("WriteLogs", List.of("logs:PutLogEvents"), monitoring.logStreamArn()));
        policy = Policy.Builder.create(this, "ApplicationPolicy")
                .roles(List.of(role))
                .statements(statements)
                .build();
    }

    /** @return the application's service execution role */
    Role role() {
        return role;
    }

    /** @return the role's policy; the application must be created after it (the service checks the role) */
    Policy policy() {
        return policy;
    }

    private static PolicyStatement allow(String sid, List<String> actions, String resource) {
        return PolicyStatement.Builder.create()
                .sid(sid)
                .effect(Effect.ALLOW)
                .actions(actions)
                .resources(List.of(resource))
                .build();
    }
}
