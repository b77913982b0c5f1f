package io.flightcontroller.adapters.sns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flightcontroller.adapters.JsonLinesDeadLetterHandler;
import io.flightcontroller.domain.event.DeadLetter;
import io.flightcontroller.domain.result.Alert;
import io.flightcontroller.domain.result.Severity;
import io.flightcontroller.testing.MotoServer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The SNS alert sink against a real SNS API (moto server on loopback): alerts published by a Flink job arrive in an
 * SQS queue subscribed to the topic with their body, attributes and count; FIFO topics; a burst; and the failure paths
 * (dead letters, fatal configuration errors).
 */
class SnsAlertSinkIntegrationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static MotoServer moto;
    private static SnsClient sns;
    private static SqsClient sqs;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startMoto() {
        moto = MotoServer.start();
        StaticCredentialsProvider creds =
                StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));
        sns = SnsClient.builder()
                .region(Region.US_EAST_1)
                .credentialsProvider(creds)
                .endpointOverride(URI.create(moto.endpoint()))
                .build();
        sqs = SqsClient.builder()
                .region(Region.US_EAST_1)
                .credentialsProvider(creds)
                .endpointOverride(URI.create(moto.endpoint()))
                .build();
    }

    @AfterAll
    static void stopMoto() {
        if (sns != null) {
            sns.close();
            sqs.close();
        }
        if (moto != null) {
            moto.close();
        }
    }

    @Test
    void alertsArriveWithJsonBodyAndFilterAttributes() throws Exception {
        Topic t = topicWithQueue("alerts-" + shortId(), false, false);
        List<Alert> alerts = new ArrayList<>();
        alerts.add(breach("assign", "case-1", "a-1"));
        alerts.add(burnRate("assign", "b-1"));
        Alert timeout = breach("triage", "case-2", "a-2");
        timeout.setKind(Alert.Kind.TIMEOUT);
        alerts.add(timeout);

        run(alerts, sink(t.arn).setDeadLetterHandler(deadLetters()).build());

        List<Message> messages = receiveAll(t.queueUrl, 3);
        assertThat(messages).hasSize(3);
        Map<String, Message> byId = new HashMap<>();
        for (Message m : messages) {
            byId.put(JSON.readTree(m.body()).get("alert_id").asText(), m);
        }
        JsonNode breach = JSON.readTree(byId.get("a-1").body());
        assertThat(breach.get("kind").asText()).isEqualTo("breach");
        assertThat(breach.get("severity").asText()).isEqualTo("page");
        assertThat(breach.get("measure").asText()).isEqualTo("assign");
        assertThat(breach.get("correlation_id").asText()).isEqualTo("case-1");
        assertThat(breach.get("start_time").asText()).isEqualTo("2024-03-01T10:00:00Z");
        assertThat(breach.get("deadline").asText()).isEqualTo("2024-03-01T11:00:00Z");
        assertThat(breach.get("observed_lead_ms").asLong()).isEqualTo(3_600_000L);
        assertThat(breach.get("objective").asDouble()).isEqualTo(0.9);
        assertThat(breach.get("subject").asText()).isEqualTo("assign breached 1h for case-1");
        assertThat(byId.get("a-1").messageAttributes().get("severity").stringValue())
                .isEqualTo("page");
        assertThat(byId.get("a-1").messageAttributes().get("measure").stringValue())
                .isEqualTo("assign");
        assertThat(byId.get("a-1").messageAttributes().get("kind").stringValue())
                .isEqualTo("breach");

        JsonNode burn = JSON.readTree(byId.get("b-1").body());
        assertThat(burn.get("kind").asText()).isEqualTo("burn_rate_firing");
        assertThat(burn.get("burn_rate").asDouble()).isEqualTo(14.5);
        assertThat(burn.get("window").asText()).isEqualTo("PT1H");
        assertThat(burn.has("correlation_id")).isFalse();
        assertThat(byId.get("a-2").messageAttributes().get("kind").stringValue())
                .isEqualTo("timeout");
        assertThat(deadLetterLines()).isEmpty();
    }

    @Test
    void fifoTopicGetsMeasureAsGroupAndAlertIdAsDeduplicationId() throws Exception {
        Topic t = topicWithQueue("alerts-" + shortId() + ".fifo", true, false);
        List<Alert> alerts = new ArrayList<>();
        alerts.add(breach("assign", "case-1", "a-1"));
        alerts.add(breach("triage", "case-2", "a-2"));
        alerts.add(breach("assign", "case-3", "a-3"));
        alerts.add(breach("assign", "case-1", "a-1")); // the same alert again (a replay): de-duplicated by alert id

        run(alerts, sink(t.arn).setDeadLetterHandler(deadLetters()).build());

        List<Message> messages = receiveAll(t.queueUrl, 4);
        assertThat(messages).hasSize(3); // the FIFO queue dropped the duplicate by its de-duplication id
        // moto does not copy the FIFO attributes to the raw-delivered SQS message; its record of what SNS received does
        int checked = 0;
        for (JsonNode n : sentNotifications(t.arn)) {
            JsonNode body = JSON.readTree(n.get(1).asText());
            assertThat(n.get(4).asText())
                    .as("MessageGroupId")
                    .isEqualTo(body.get("measure").asText());
            checked++;
        }
        assertThat(checked).isEqualTo(4);
        assertThat(deadLetterLines()).isEmpty();
    }

    @Test
    void entryRejectedInsidePartlyFailedBatchIsDeadLetteredAndTheRestIsDelivered() throws Exception {
        // FIFO topic without content-based de-duplication: SNS rejects the entry that has no de-duplication id
        Topic t = topicWithQueue("alerts-" + shortId() + ".fifo", true, false);
        List<Alert> alerts = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            alerts.add(breach("assign", "case-" + i, "a-" + i));
        }
        alerts.add(breach("assign", "case-no-id", null));

        run(alerts, sink(t.arn).setDeadLetterHandler(deadLetters()).build());

        assertThat(queueDepth(t.queueUrl)).isEqualTo(9);
        List<DeadLetter> dead = deadLetterLines();
        assertThat(dead).hasSize(1);
        assertThat(dead.get(0).getStage()).isEqualTo("sink:sns");
        assertThat(dead.get(0).getReason()).isEqualTo(DeadLetter.REASON_SINK_REJECTED);
        assertThat(dead.get(0).getCorrelationId()).isEqualTo("case-no-id");
        assertThat(dead.get(0).getDetail()).contains("InvalidParameter").contains(t.arn);
    }

    @Test
    void burstOfFiveThousandAlertsIsDeliveredCompletely() throws Exception {
        // no queue subscribed: moto's SNS-to-SQS fan-out slows down as a queue grows (minutes for 5,000); the topic's
        // record of published notifications (moto-api) is the count
        String arn = sns.createTopic(b -> b.name("burst-" + shortId())).topicArn();
        List<Alert> alerts = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            alerts.add(breach("assign", "case-" + i, "burst-" + i));
        }

        long start = System.nanoTime();
        run(alerts, sink(arn).setDeadLetterHandler(deadLetters()).build());
        System.out.println("5000 alerts published in " + (System.nanoTime() - start) / 1_000_000 + " ms");

        JsonNode sent = sentNotifications(arn);
        assertThat(sent.size()).isEqualTo(5_000);
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (JsonNode n : sent) {
            ids.add(JSON.readTree(n.get(1).asText()).get("alert_id").asText());
        }
        assertThat(ids).hasSize(5_000);
        assertThat(deadLetterLines()).isEmpty();
    }

    @Test
    void alertsThatCannotBePublishedEndInTheDeadLetterFileAfterMaxAttempts() throws Exception {
        // an endpoint where nothing listens: every attempt fails with a retryable network error
        String nowhere = "http://127.0.0.1:" + io.flightcontroller.testing.LoopbackServers.freePort();
        List<Alert> alerts = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            alerts.add(breach("assign", "case-" + i, "lost-" + i));
        }
        SnsAlertSink sink = SnsAlertSink.builder()
                .setTopicArn(arn("nowhere"))
                .setEndpoint(nowhere)
                .setMaxAttempts(3)
                .setBackoff(10, 50)
                .setDeadLetterHandler(deadLetters())
                .build();

        run(alerts, sink);

        List<DeadLetter> dead = deadLetterLines();
        assertThat(dead).hasSize(25);
        assertThat(dead).allSatisfy(d -> {
            assertThat(d.getReason()).isEqualTo(DeadLetter.REASON_SINK_REJECTED);
            assertThat(d.getDetail()).contains("gave up after 3 attempts");
            assertThat(d.getRaw()).contains("\"alert_id\":\"lost-");
        });
    }

    @Test
    void missingTopicFailsTheJobWithAClearMessage() {
        List<Alert> alerts = new ArrayList<>();
        alerts.add(breach("assign", "case-1", "a-1"));
        String missing = arn("does-not-exist-" + shortId());
        SnsAlertSink sink = sink(missing).setDeadLetterHandler(deadLetters()).build();

        assertThatThrownBy(() -> run(alerts, sink))
                .hasStackTraceContaining("SNS rejected PublishBatch to " + missing)
                .hasStackTraceContaining("non-retryable");
    }

    // ---------------------------------------------------------------------------------------------------------------

    private static void run(List<Alert> alerts, SnsAlertSink sink) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        env.fromData(alerts).sinkTo(sink);
        env.execute("sns-sink-test");
    }

    /** @return moto's record of a topic's notifications: [messageId, message, subject, attributes, groupId] each */
    private static JsonNode sentNotifications(String topicArn) throws Exception {
        for (JsonNode topic :
                JSON.readTree(moto.get("/moto-api/data.json")).path("sns").path("Topic")) {
            if (topicArn.equals(topic.path("arn").asText())) {
                return topic.path("sent_notifications");
            }
        }
        throw new AssertionError("topic not in moto's data: " + topicArn);
    }

    private static SnsAlertSinkBuilder sink(String topicArn) {
        return SnsAlertSink.builder()
                .setTopicArn(topicArn)
                .setEndpoint(moto.endpoint())
                .setBackoff(10, 200);
    }

    private JsonLinesDeadLetterHandler deadLetters() {
        return new JsonLinesDeadLetterHandler(tmp.resolve("dead-letters.jsonl").toString());
    }

    private List<DeadLetter> deadLetterLines() throws Exception {
        Path p = tmp.resolve("dead-letters.jsonl");
        List<DeadLetter> out = new ArrayList<>();
        if (Files.exists(p)) {
            for (String line : Files.readAllLines(p, StandardCharsets.UTF_8)) {
                out.add(JSON.readValue(line, DeadLetter.class));
            }
        }
        return out;
    }

    private static final class Topic {
        final String arn;
        final String queueUrl;

        Topic(String arn, String queueUrl) {
            this.arn = arn;
            this.queueUrl = queueUrl;
        }
    }

    private static Topic topicWithQueue(String name, boolean fifo, boolean contentDedup) {
        Map<String, String> topicAttributes = new HashMap<>();
        Map<QueueAttributeName, String> queueAttributes = new HashMap<>();
        if (fifo) {
            topicAttributes.put("FifoTopic", "true");
            topicAttributes.put("ContentBasedDeduplication", Boolean.toString(contentDedup));
            queueAttributes.put(QueueAttributeName.FIFO_QUEUE, "true");
        }
        String topicArn =
                sns.createTopic(b -> b.name(name).attributes(topicAttributes)).topicArn();
        String queueUrl = sqs.createQueue(b -> b.queueName(name).attributes(queueAttributes))
                .queueUrl();
        String queueArn = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes()
                .get(QueueAttributeName.QUEUE_ARN);
        String sub = sns.subscribe(b -> b.topicArn(topicArn).protocol("sqs").endpoint(queueArn))
                .subscriptionArn();
        sns.setSubscriptionAttributes(
                b -> b.subscriptionArn(sub).attributeName("RawMessageDelivery").attributeValue("true"));
        return new Topic(topicArn, queueUrl);
    }

    private static List<Message> receiveAll(String queueUrl, int expected) {
        List<Message> out = new ArrayList<>();
        for (int i = 0; i < 50 && out.size() < expected; i++) {
            List<Message> batch = sqs.receiveMessage(b -> b.queueUrl(queueUrl)
                            .maxNumberOfMessages(10)
                            .messageAttributeNames("All")
                            .messageSystemAttributeNames(MessageSystemAttributeName.ALL)
                            .waitTimeSeconds(0))
                    .messages();
            for (Message m : batch) {
                out.add(m);
                sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
            }
        }
        return out;
    }

    private static int queueDepth(String queueUrl) {
        return Integer.parseInt(sqs.getQueueAttributes(
                        b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                .attributes()
                .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
    }

    private static String arn(String topic) {
        return "arn:aws:sns:" + MotoServer.REGION + ":" + MotoServer.ACCOUNT + ":" + topic;
    }

    private static String shortId() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    static Alert breach(String measure, String correlationId, String alertId) {
        Alert a = new Alert();
        a.setKind(Alert.Kind.BREACH);
        a.setSeverity(Severity.PAGE);
        a.setMeasure(measure);
        a.setCaseKey(correlationId);
        a.setCorrelationId(correlationId);
        a.setStartMs(1_709_287_200_000L); // 2024-03-01T10:00:00Z
        a.setDeadlineMs(1_709_290_800_000L);
        a.setObservedLeadMs(3_600_000L);
        a.setObjective(0.9);
        a.setSubject(measure + " breached 1h for " + correlationId);
        a.setAlertId(alertId);
        return a;
    }

    static Alert burnRate(String measure, String alertId) {
        Alert a = new Alert();
        a.setKind(Alert.Kind.BURN_RATE_FIRING);
        a.setSeverity(Severity.PAGE);
        a.setMeasure(measure);
        a.setStartMs(1_709_287_200_000L);
        a.setDeadlineMs(1_709_290_800_000L);
        a.setBurnRate(14.5);
        a.setObjective(0.9);
        a.setWindow("PT1H");
        a.setSubject(measure + " burning error budget at 14.5x");
        a.setAlertId(alertId);
        return a;
    }
}
