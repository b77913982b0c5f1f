package io.flightcontroller.adapters.kinesis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** {@link KinesisSources#consumerProperties}: every source setting reaches the consumer's property of its name. */
class KinesisSourcesTest {

    @Test
    void everySourceSettingBecomesItsConsumerProperty() {
        Instant start = Instant.parse("2026-11-02T10:00:00.250Z");
        KinesisSourceOptions k = KinesisSourceOptions.builder("arn:aws:kinesis:us-east-2:123456789012:stream/orders")
                .initialPosition(KinesisSourceOptions.InitialPosition.AT_TIMESTAMP)
                .initialTimestamp(start)
                .reader(KinesisSourceOptions.Reader.EFO)
                .efoConsumerName("flight-controller")
                .endpoint("http://127.0.0.1:4567")
                .build();

        Properties p = KinesisSources.consumerProperties(k, Duration.ofSeconds(10));

        assertThat(p.getProperty("aws.region")).isEqualTo("us-east-2");
        assertThat(p.getProperty("aws.endpoint")).isEqualTo("http://127.0.0.1:4567");
        assertThat(p.getProperty("flink.stream.initpos")).isEqualTo("AT_TIMESTAMP");
        assertThat(p.getProperty("flink.stream.initpos.timestamp")).isEqualTo(start.getEpochSecond() + ".250");
        assertThat(p.getProperty("flink.stream.recordpublisher")).isEqualTo("EFO");
        assertThat(p.getProperty("flink.stream.efo.consumername")).isEqualTo("flight-controller");
        assertThat(p.getProperty("flink.shard.idle.interval")).isEqualTo("10000");
    }

    @Test
    void pollingWithoutIdleTimeoutSetsNeitherTheConsumerNameNorTheIdleInterval() {
        KinesisSourceOptions k =
                KinesisSourceOptions.builder("events").region("eu-west-1").build();

        Properties p = KinesisSources.consumerProperties(k, null);

        assertThat(p.getProperty("flink.stream.initpos")).isEqualTo("LATEST");
        assertThat(p.getProperty("flink.stream.recordpublisher")).isEqualTo("POLLING");
        assertThat(p)
                .doesNotContainKeys(
                        "flink.stream.efo.consumername",
                        "flink.shard.idle.interval",
                        "aws.endpoint",
                        "flink.stream.initpos.timestamp");
    }
}
