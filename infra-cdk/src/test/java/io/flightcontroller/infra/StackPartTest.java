package io.flightcontroller.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.CfnResource;
import software.amazon.awscdk.Stack;
import software.constructs.Construct;
import software.constructs.IConstruct;

/**
 * The stack's parts group resources in the construct tree without changing any logical id, so that a stack deployed
 * before the split is updated in place, never replaced.
 */
class StackPartTest {

    @Test
    void logicalIdOfAPathIsTheCdksDefaultAtAnyDepth() {
        Stack stack = new Stack(new App(), "Plain");
        resource(stack, "Top");
        resource(stack, "x".repeat(300));
        Construct bucket = new Construct(stack, "Artifact-Bucket");
        resource(bucket, "Resource");
        Construct deep = new Construct(new Construct(new Construct(stack, "Outer"), "Default"), "OuterInner");
        resource(new Construct(deep, "Inner"), "Resource");
        resource(deep, "Policy.v2");
        resource(new Construct(stack, "y".repeat(300)), "Resource");

        List<CfnElement> elements = new ArrayList<>();
        for (IConstruct c : stack.getNode().findAll()) {
            if (c instanceof CfnElement) {
                elements.add((CfnElement) c);
            }
        }
        assertThat(elements).hasSize(6);
        for (CfnElement e : elements) {
            assertThat(StackPart.logicalId(pathBelow(stack, e)))
                    .as("logical id of %s", e.getNode().getPath())
                    .isEqualTo(stack.getLogicalId(e));
        }
    }

    /**
     * Logical ids of the stateful resources (and the application) as stacks deployed before the split carry them:
     * a different id would make CloudFormation create a new key, stream, bucket, table or application.
     */
    @Test
    void partsDoNotEnterLogicalIdsSoDeployedResourcesKeepTheirs() {
        Map<String, String> defaults = Map.of(
                "AWS::KMS::Key", "EncryptionKey1B843E66",
                "AWS::Kinesis::Stream", "EventStream271A91DB",
                "AWS::Events::EventBus", "EventBus7B8748AA",
                "AWS::SQS::Queue", "EventDeliveryDeadLetterQueueD90EBC8F",
                "AWS::S3::Bucket", "ArtifactBucket7410C9EF",
                "AWS::Timestream::Database", "TimestreamDatabase",
                "AWS::Timestream::Table", "TimestreamTable",
                "AWS::SNS::Topic", "AlertTopic2720D535",
                "AWS::Logs::LogGroup", "ApplicationLogGroupE33FCF9B",
                "AWS::KinesisAnalyticsV2::Application", "Application");
        defaults.forEach((type, id) -> assertThat(
                        Templates.of(Templates.DEFAULTS).findResources(type).keySet())
                .as(type)
                .containsExactly(id));
        assertThat(Templates.of(Templates.ALTERNATIVES)
                        .findResources("AWS::SecretsManager::Secret")
                        .keySet())
                .containsExactly("InfluxTokenSecret0DDE634A");
    }

    @Test
    void eachResourceSitsInItsPartOfTheConstructTree() {
        FlightControllerStack stack = Templates.build(Templates.DEFAULTS);
        Map<String, List<String>> parts = Map.of(
                "Ingestion", List.of("EventStream", "EventBus", "EventDeliveryDeadLetterQueue", "ProducerEventsRule"),
                "Storage", List.of("ArtifactBucket", "JobJar", "TimestreamDatabase", "TimestreamTable"),
                "Alerting", List.of("AlertTopic"),
                "Monitoring", List.of("ApplicationLogGroup", "ApplicationLogStream", "DowntimeAlarm", "Dashboard"),
                "Iam", List.of("ApplicationRole", "ApplicationPolicy"),
                "FlinkApplication", List.of("Application", "ApplicationLogging"));
        parts.forEach((part, children) -> {
            IConstruct p = stack.getNode().findChild(part);
            assertThat(p).as(part).isInstanceOf(StackPart.class);
            children.forEach(child -> assertThat(p.getNode().tryFindChild(child))
                    .as("%s/%s", part, child)
                    .isNotNull());
        });
    }

    private static void resource(Construct scope, String id) {
        CfnResource.Builder.create(scope, id).type("Test::Thing::Here").build();
    }

    private static List<String> pathBelow(Stack stack, CfnElement e) {
        List<String> ids = new ArrayList<>();
        boolean below = false;
        for (IConstruct s : e.getNode().getScopes()) {
            if (below) {
                ids.add(s.getNode().getId());
            }
            below |= s == stack;
        }
        return ids;
    }
}
