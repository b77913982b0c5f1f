package io.flightcontroller.infra;

import io.flightcontroller.config.RuntimePropertyKeys;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.iam.AccountRootPrincipal;
import software.amazon.awscdk.services.iam.PolicyDocument;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.Key;
import software.constructs.Construct;
import software.constructs.IConstruct;

/**
 * The whole Flight Controller deployment in one stack, wired from its parts: {@link Ingestion} (EventBridge bus and
 * rule, KMS-encrypted Kinesis stream), {@link Storage} (artifact bucket and jar, Timestream or an InfluxDB token
 * secret), {@link Alerting} (the KMS-encrypted alert topic), {@link Monitoring} (CloudWatch logging, alarms, dashboard),
 * {@link Iam} (the application's least-privilege role) and {@link FlinkApplication} (the Managed Service for Apache
 * Flink application), and with {@code -c grafana=true} {@link Dashboards} (an Amazon Managed Grafana workspace). The stack itself holds the KMS key the parts share and the outputs.
 *
 * <p>All parameters come from {@link StackSettings}; the application's runtime properties are keyed by the job's own
 * {@link RuntimePropertyKeys} constants. The parts do not enter logical ids ({@link StackPart}): every resource keeps
 * the logical id it had when the stack was one constructor, so an update never replaces it.
 */
public class FlightControllerStack extends Stack {
    private final StackSettings settings;

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
        Ingestion ingestion = new Ingestion(this, "Ingestion", settings, key);
        Storage storage = new Storage(this, "Storage", settings);
        Alerting alerting = new Alerting(this, "Alerting", settings, key);
        Monitoring monitoring = new Monitoring(this, "Monitoring", settings, ingestion, alerting);
        Iam iam = new Iam(this, "Iam", settings, key, ingestion, storage, alerting, monitoring);
        FlinkApplication application =
                new FlinkApplication(this, "FlinkApplication", settings, ingestion, storage, alerting, monitoring, iam);

        output("EventBusName", ingestion.bus().getEventBusName(), "Event bus the producers put events on");
        output("EventStreamArn", ingestion.stream().getStreamArn(), "Kinesis stream the rule writes to");
        output("ApplicationName", application.application().getRef(), "Managed Flink application");
        output("AlertTopicArn", alerting.topic().getTopicArn(), "SNS topic for alerts and alarms");
        output(
                "ArtifactBucketName",
                storage.artifacts().getBucketName(),
                "Bucket for application jars and measures files");
        output("ApplicationLogGroupName", monitoring.logGroup().getLogGroupName(), "Application log group");
        if (storage.database() != null) {
            output("TimestreamDatabaseName", storage.database().getRef(), "Timestream database of the metrics");
            output("TimestreamTableName", storage.table().getAttrName(), "Timestream table of the metrics");
        }
        if (storage.influxToken() != null) {
            output("InfluxTokenSecretArn", storage.influxToken().getSecretArn(), "Secret holding the InfluxDB token");
        }
        if (settings.grafana()) {
            Dashboards dashboards = new Dashboards(this, "Dashboards", settings, storage);
            output("GrafanaWorkspaceId", dashboards.workspace().getAttrId(), "Amazon Managed Grafana workspace");
            output(
                    "GrafanaWorkspaceUrl",
                    "https://" + dashboards.workspace().getAttrEndpoint(),
                    "Grafana workspace URL");
            output(
                    "GrafanaDashboardsZip",
                    dashboards.files().getS3ObjectUrl(),
                    "Generated Grafana dashboards (zip of JSON files) to import into the workspace");
        }
    }

    /** @return the settings this stack was built from */
    public StackSettings getSettings() {
        return settings;
    }

    /**
     * The CDK's default logical id of the element's path below this stack, with the {@link StackPart}s left out.
     *
     * @param element a CloudFormation element of this stack
     * @return its logical id
     */
    @Override
    protected String allocateLogicalId(CfnElement element) {
        List<String> components = new ArrayList<>();
        boolean belowStack = false;
        for (IConstruct scope : element.getNode().getScopes()) {
            if (scope == this) {
                belowStack = true;
            } else if (belowStack && !(scope instanceof StackPart)) {
                components.add(scope.getNode().getId());
            }
        }
        return StackPart.logicalId(components);
    }

    /**
     * The stack's KMS key for the stream and the topic. Its policy lists actions instead of the usual {@code kms:*}:
     * administration and use by this account's IAM principals (which IAM policies then narrow), and use by CloudWatch so
     * alarms can publish to the encrypted topic.
     */
    private Key encryptionKey() {
        PolicyDocument keyPolicy = PolicyDocument.Builder.create()
                .statements(List.of(
                        PolicyStatement.Builder.create()
                                .sid("AccountAdministrationAndIamDelegation")
                                .principals(List.of(new AccountRootPrincipal()))
                                .actions(List.of(
                                        "kms:Create*",
                                        "kms:Describe*",
                                        "kms:Enable*",
                                        "kms:List*",
                                        "kms:Put*",
                                        "kms:Update*",
                                        "kms:Revoke*",
                                        "kms:Disable*",
                                        "kms:Get*",
                                        "kms:Delete*",
                                        "kms:TagResource",
                                        "kms:UntagResource",
                                        "kms:ScheduleKeyDeletion",
                                        "kms:CancelKeyDeletion",
                                        "kms:RotateKeyOnDemand",
                                        "kms:Encrypt",
                                        "kms:Decrypt",
                                        "kms:ReEncrypt*",
                                        "kms:GenerateDataKey*"))
                                .resources(List.of("*"))
                                .build(),
                        PolicyStatement.Builder.create()
                                .sid("CloudWatchAlarmsPublishToEncryptedTopic")
                                .principals(List.of(new ServicePrincipal("cloudwatch.amazonaws.com")))
                                .actions(List.of("kms:Decrypt", "kms:GenerateDataKey*"))
                                .resources(List.of("*"))
                                .build()))
                .build();
        return Key.Builder.create(this, "EncryptionKey")
                .description("Flight Controller (" + settings.appName() + "): event stream and alert topic")
                .enableKeyRotation(true)
                .policy(keyPolicy)
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
    }

    private void output(String id, String value, String description) {
        CfnOutput.Builder.create(this, id).value(value).description(description).build();
    }
}
