package io.flightcontroller.infra;

import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.events.EventBus;
import software.amazon.awscdk.services.events.EventPattern;
import software.amazon.awscdk.services.events.IEventBus;
import software.amazon.awscdk.services.events.Match;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.targets.KinesisStream;
import software.amazon.awscdk.services.events.targets.KinesisStreamProps;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kinesis.Stream;
import software.amazon.awscdk.services.kinesis.StreamEncryption;
import software.amazon.awscdk.services.kinesis.StreamMode;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;

/**
 * Ingestion: the event bus (new, or the account's default), the KMS-encrypted Kinesis stream, and the rule that puts
 * the producers' events into the stream, with a dead-letter queue for events EventBridge cannot deliver.
 *
 * <p>Shape: stream capacity on-demand or {@code shardCount} provisioned shards, retention
 * {@code streamRetentionHours}; the rule matches {@code source} by prefix (and optionally detail-types), partitions by
 * {@link #PARTITION_KEY_PATH} and retries a failed put 185 times for up to 24 h (EventBridge's maximum) before the
 * event goes to the queue (SQS-managed encryption, 14 days retention).
 */
final class Ingestion extends StackPart {
    /** Partition key path of the rule's Kinesis target: one case's events stay on one shard, in order. */
    static final String PARTITION_KEY_PATH = "$.detail.correlation_id";

    private final Stream stream;
    private final IEventBus bus;
    private final Queue deliveryDeadLetters;
    private final Rule rule;

    /**
     * @param scope the stack
     * @param id construct id
     * @param settings validated parameters
     * @param key the stack's key, encrypts the stream
     */
    Ingestion(Construct scope, String id, StackSettings settings, IKey key) {
        super(scope, id);
        stream = Stream.Builder.create(this, "EventStream")
                .encryption(StreamEncryption.KMS)
                .encryptionKey(key)
                .streamMode(settings.onDemand() ? StreamMode.ON_DEMAND : StreamMode.PROVISIONED)
                .shardCount(settings.onDemand() ? null : settings.shardCount())
                .retentionPeriod(Duration.hours(settings.streamRetentionHours()))
                .build();
        bus = settings.usesDefaultBus()
                ? EventBus.fromEventBusName(this, "EventBus", StackSettings.DEFAULT_BUS)
                : EventBus.Builder.create(this, "EventBus")
                        .eventBusName(settings.eventBusName())
                        .build();
        deliveryDeadLetters = Queue.Builder.create(this, "EventDeliveryDeadLetterQueue")
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .retentionPeriod(Duration.days(14))
                .build();
        EventPattern.Builder pattern = EventPattern.builder().source(Match.prefix(settings.eventSourcePrefix()));
        if (!settings.eventDetailTypes().isEmpty()) {
            pattern.detailType(settings.eventDetailTypes());
        }
        rule = Rule.Builder.create(this, "ProducerEventsRule")
                .eventBus(bus)
                .description("Producers' process events to the Flight Controller stream, partitioned by correlation_id")
                .eventPattern(pattern.build())
                .targets(List.of(new KinesisStream(
                        stream,
                        KinesisStreamProps.builder()
                                .partitionKeyPath(PARTITION_KEY_PATH)
                                .deadLetterQueue(deliveryDeadLetters)
                                .retryAttempts(185)
                                .maxEventAge(Duration.hours(24))
                                .build())))
                .build();
        // The Kinesis target does not add this itself: EventBridge may send undeliverable events of this rule only.
        deliveryDeadLetters.addToResourcePolicy(PolicyStatement.Builder.create()
                .sid("AllowUndeliverableEventsOfTheRule")
                .principals(List.of(new ServicePrincipal("events.amazonaws.com")))
                .actions(List.of("sqs:SendMessage"))
                .resources(List.of(deliveryDeadLetters.getQueueArn()))
                .conditions(Map.of("ArnEquals", Map.of("aws:SourceArn", rule.getRuleArn())))
                .build());
    }

    /** @return the Kinesis stream the job reads */
    Stream stream() {
        return stream;
    }

    /** @return the bus the producers put events on */
    IEventBus bus() {
        return bus;
    }

    /** @return the queue of events EventBridge could not put into the stream */
    Queue deliveryDeadLetters() {
        return deliveryDeadLetters;
    }

    /** @return the rule from the bus to the stream */
    Rule rule() {
        return rule;
    }
}
