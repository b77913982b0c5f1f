package io.flightcontroller.adapters.sns;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flightcontroller.adapters.SinkStateHarness;
import io.flightcontroller.domain.result.Alert;
import io.flightcontroller.testing.MotoServer;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.RequestEntryWrapper;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * The SNS sink's checkpointed buffer: typed alert entries round-trip through {@link SnsAlertStateSerializer} field by
 * field (nulls, FIFO ids, a missing step, non-ASCII text included), and a writer restored from a checkpoint taken while
 * alerts were buffered publishes exactly those alerts, with their body and the {@code alert_id} attribute (SNS on
 * loopback: moto server).
 */
class SnsAlertStateSerializerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static MotoServer moto;
    private static SnsClient sns;

    @BeforeAll
    static void startMoto() {
        moto = MotoServer.start();
        sns = SnsClient.builder()
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .endpointOverride(URI.create(moto.endpoint()))
                .build();
    }

    @AfterAll
    static void stopMoto() {
        if (sns != null) {
            sns.close();
        }
        if (moto != null) {
            moto.close();
        }
    }

    private static List<Alert> alerts() {
        List<Alert> out = new ArrayList<>();
        out.add(SnsAlertSinkIntegrationTest.breach("assign", "case-1", "a-1"));
        Alert timeout = SnsAlertSinkIntegrationTest.breach("triage", "cas\u00e9-2", "a-2");
        timeout.setKind(Alert.Kind.TIMEOUT);
        timeout.setMissingStep("triaged");
        out.add(timeout);
        out.add(SnsAlertSinkIntegrationTest.burnRate("assign", "b-1")); // no correlation id
        out.add(SnsAlertSinkIntegrationTest.breach("assign", "case-3", null)); // no alert id
        return out;
    }

    @Test
    void bufferedAlertsRoundTripFieldByField() throws Exception {
        List<RequestEntryWrapper<SnsAlertEntry>> entries = new ArrayList<>();
        for (String arn : new String[] {"arn:aws:sns:eu-west-1:123456789012:t", "arn:aws:sns:eu-west-1:1:t.fifo"}) {
            SnsAlertElementConverter converter = new SnsAlertElementConverter(arn);
            for (Alert a : alerts()) {
                SnsAlertEntry e = converter.convert(a);
                entries.add(new RequestEntryWrapper<>(e, e.sizeInBytes()));
            }
        }

        BufferedRequestState<SnsAlertEntry> restored =
                SinkStateHarness.roundTrip(new SnsAlertStateSerializer(), entries);

        List<SnsAlertEntry> expected = new ArrayList<>();
        List<Long> sizes = new ArrayList<>();
        for (RequestEntryWrapper<SnsAlertEntry> w : entries) {
            expected.add(w.getRequestEntry());
            sizes.add(w.getSize());
        }
        assertThat(SinkStateHarness.entries(restored)).isEqualTo(expected);
        assertThat(SinkStateHarness.sizes(restored)).isEqualTo(sizes);
        for (int i = 0; i < expected.size(); i++) {
            assertThat(SinkStateHarness.entries(restored).get(i).toRequestEntry("3"))
                    .isEqualTo(expected.get(i).toRequestEntry("3"));
        }
        assertThat(expected.get(4).messageDeduplicationId()).isEqualTo("a-1"); // the FIFO ids were there to keep
        assertThat(expected.get(2).correlationId()).isNull();
    }

    @Test
    void aWriterRestoredFromACheckpointPublishesTheBufferedAlerts() throws Exception {
        String arn = sns.createTopic(
                        b -> b.name("restore-" + UUID.randomUUID().toString().substring(0, 8)))
                .topicArn();
        List<Alert> alerts = alerts().subList(0, 3);

        OperatorSubtaskState checkpoint = SinkStateHarness.bufferAndSnapshot(sink(arn), alerts);
        assertThat(sentNotifications(arn))
                .as("nothing published before the restore")
                .isEmpty();
        SinkStateHarness.restoreAndFlush(sink(arn), checkpoint);

        Map<String, JsonNode> published = new HashMap<>();
        for (JsonNode n : sentNotifications(arn)) {
            published.put(JSON.readTree(n.get(1).asText()).get("alert_id").asText(), n);
        }
        assertThat(published).hasSize(3);
        for (Alert a : alerts) {
            JsonNode n = published.get(a.getAlertId());
            assertThat(n.get(1).asText()).isEqualTo(SnsAlertElementConverter.body(a));
            assertThat(n.get(3).toString()).contains("alert_id").contains(a.getAlertId());
        }
    }

    private static SnsAlertSink sink(String arn) {
        return SnsAlertSink.builder()
                .setTopicArn(arn)
                .setEndpoint(moto.endpoint())
                .setMaxTimeInBufferMS(3_600_000L)
                .setBackoff(10, 200)
                .setDeadLetterHandler(d -> {
                    throw new AssertionError("unexpected dead letter: " + d);
                })
                .build();
    }

    /** @return moto's record of a topic's notifications: [messageId, message, subject, attributes, groupId] each */
    private static List<JsonNode> sentNotifications(String topicArn) throws Exception {
        for (JsonNode topic :
                JSON.readTree(moto.get("/moto-api/data.json")).path("sns").path("Topic")) {
            if (topicArn.equals(topic.path("arn").asText())) {
                List<JsonNode> out = new ArrayList<>();
                topic.path("sent_notifications").forEach(out::add);
                return out;
            }
        }
        throw new AssertionError("topic not in moto's data: " + topicArn);
    }
}
