package io.flightcontroller.infra;

import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.sns.SubscriptionProtocol;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.subscriptions.EmailSubscription;
import software.amazon.awscdk.services.sns.subscriptions.UrlSubscription;
import software.amazon.awscdk.services.sns.subscriptions.UrlSubscriptionProps;
import software.constructs.Construct;

/**
 * Alerting: the KMS-encrypted SNS topic that receives the job's alerts and the stack's alarms, with its e-mail and
 * HTTPS subscriptions.
 *
 * <p>Shape: TLS-only; the topic policy replaces SNS's default one, so it allows {@code sns:Publish} to CloudWatch
 * alarms of this account ({@code aws:SourceAccount}) explicitly; one subscription per {@code alertEmails} and
 * {@code alertHttpsUrls} entry.
 */
final class Alerting extends StackPart {
    private final Topic topic;

    /**
     * @param scope the stack
     * @param id construct id
     * @param settings validated parameters
     * @param key the stack's key, encrypts the topic
     */
    Alerting(Construct scope, String id, StackSettings settings, IKey key) {
        super(scope, id);
        topic = Topic.Builder.create(this, "AlertTopic")
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
            topic.addSubscription(new UrlSubscription(
                    url,
                    UrlSubscriptionProps.builder()
                            .protocol(SubscriptionProtocol.HTTPS)
                            .build()));
        }
    }

    /** @return the alert topic */
    Topic topic() {
        return topic;
    }
}
