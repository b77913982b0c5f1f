package io.flightcontroller.adapters.sns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flightcontroller.adapters.SinkErrorClassifier;
import io.flightcontroller.domain.result.Alert;
import org.junit.jupiter.api.Test;

/** The alert-to-SNS mapping, option validation and error classification, without a server. */
class SnsAlertElementConverterTest {
    private static final String STANDARD = "arn:aws:sns:eu-west-1:123456789012:alerts";
    private static final String FIFO = "arn:aws:sns:eu-west-1:123456789012:alerts.fifo";

    @Test
    void standardTopicEntryHasJsonBodyAndAttributesButNoFifoFields() throws Exception {
        SnsAlertEntry e = new SnsAlertElementConverter(STANDARD)
                .convert(SnsAlertSinkIntegrationTest.breach("assign", "case-1", "a-1"));
        JsonNode body = new ObjectMapper().readTree(e.message());
        assertThat(body.get("start_time").asText()).isEqualTo("2024-03-01T10:00:00Z");
        assertThat(body.get("deadline").asText()).isEqualTo("2024-03-01T11:00:00Z");
        assertThat(e.messageAttributes()).containsOnlyKeys("alert_id", "severity", "measure", "kind");
        assertThat(e.messageAttributes().get("alert_id").stringValue())
                .isEqualTo(body.get("alert_id").asText())
                .isEqualTo("a-1");
        assertThat(e.messageGroupId()).isNull();
        assertThat(e.messageDeduplicationId()).isNull();
    }

    @Test
    void fifoTopicEntryUsesMeasureAsGroupAndAlertIdAsDeduplicationId() {
        Alert a = SnsAlertSinkIntegrationTest.breach("assign", "case-1", "a-1");
        SnsAlertEntry e = new SnsAlertElementConverter(FIFO).convert(a);
        assertThat(e.messageGroupId()).isEqualTo("assign");
        assertThat(e.messageDeduplicationId()).isEqualTo("a-1");
        a.setAlertId(new String(new char[200]).replace('\0', 'x'));
        assertThat(new SnsAlertElementConverter(FIFO).convert(a).messageDeduplicationId())
                .hasSize(64);
    }

    @Test
    void builderNamesTheInvalidOption() {
        assertThatThrownBy(() ->
                        SnsAlertSink.builder().setDeadLetterHandler(d -> {}).build())
                .hasMessageStartingWith("sns.topic.arn: is required");
        assertThatThrownBy(() -> SnsAlertSink.builder()
                        .setTopicArn(STANDARD)
                        .setMaxBatchSize(11)
                        .setDeadLetterHandler(d -> {})
                        .build())
                .hasMessage("sns.max.batch.size: must be 1..10 (SNS PublishBatch limit), got 11");
        assertThatThrownBy(() -> SnsAlertSink.builder()
                        .setTopicArn(STANDARD)
                        .setMaxAttempts(0)
                        .setDeadLetterHandler(d -> {})
                        .build())
                .hasMessage("sns.max.attempts: must be at least 1, got 0");
        assertThatThrownBy(() -> SnsAlertSink.builder().setTopicArn(STANDARD).build())
                .hasMessageContaining("dead-letter handler");
    }

    @Test
    void throttlingAndServerErrorsAreRetriedConfigurationErrorsAreFatal() {
        assertThat(SnsAlertSinkWriter.ERRORS.classify("Throttling", "Rate exceeded", 400))
                .isEqualTo(SinkErrorClassifier.Outcome.THROTTLED);
        assertThat(SnsAlertSinkWriter.ERRORS.classify(null, "Rate exceeded", 400))
                .isEqualTo(SinkErrorClassifier.Outcome.THROTTLED);
        assertThat(SnsAlertSinkWriter.ERRORS.classify("InternalError", "boom", 500))
                .isEqualTo(SinkErrorClassifier.Outcome.RETRYABLE);
        assertThat(SnsAlertSinkWriter.ERRORS.classify("NotFound", "Topic does not exist", 404))
                .isEqualTo(SinkErrorClassifier.Outcome.FATAL);
        assertThat(SnsAlertSinkWriter.ERRORS.classify("AuthorizationError", "denied", 403))
                .isEqualTo(SinkErrorClassifier.Outcome.FATAL);
    }
}
