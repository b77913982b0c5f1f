package io.flightcontroller.adapters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flightcontroller.adapters.influx.InfluxLineProtocolSink;
import io.flightcontroller.adapters.influx.InfluxSinkOptions;
import io.flightcontroller.adapters.influx.InfluxToken;
import io.flightcontroller.adapters.sns.SnsAlertSink;
import io.flightcontroller.adapters.sns.SnsSinkOptions;
import io.flightcontroller.adapters.timestream.TimestreamSink;
import io.flightcontroller.adapters.timestream.TimestreamSinkOptions;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each sink reads its own {@link ConfigOption}s from its property group: retry keys are read, every error names the
 * key, and {@code options()} lists every key once.
 */
class SinkOptionsTest {

    private static Configuration group(String... keyValues) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put(keyValues[i], keyValues[i + 1]);
        }
        return Configuration.fromMap(m);
    }

    private static final String[] SNS = {"sns.topic.arn", "arn:aws:sns:eu-west-1:123456789012:alerts"};
    private static final String[] TIMESTREAM = {
        "timestream.database", "fc", "timestream.table", "metrics", "timestream.region", "eu-west-1"
    };
    private static final String[] INFLUX = {
        "influxdb.url",
        "https://influx.example:8086",
        "influxdb.org",
        "fc",
        "influxdb.bucket",
        "metrics",
        "influxdb.token",
        "t"
    };

    private static String[] with(String[] base, String key, String value) {
        String[] out = java.util.Arrays.copyOf(base, base.length + 2);
        out[base.length] = key;
        out[base.length + 1] = value;
        return out;
    }

    static Stream<Arguments> invalidValues() {
        return Stream.of(
                Arguments.of(SNS, "sns.max.attempts", "0", "sns.max.attempts: must be at least 1, got 0"),
                Arguments.of(SNS, "sns.max.batch.size", "11", "sns.max.batch.size: must be 1..10"),
                Arguments.of(SNS, "sns.max.buffered", "10", "sns.max.buffered: must be more than sns.max.batch.size"),
                Arguments.of(
                        SNS, "sns.backoff.max.ms", "50", "sns.backoff.max.ms: must be at least sns.backoff.base.ms"),
                Arguments.of(SNS, "sns.max.in.flight", "many", "sns.max.in.flight: not a valid value: many"),
                Arguments.of(SNS, "sns.max.batch.size.bytes", "300000", "sns.max.batch.size.bytes: must be 1..262144"),
                Arguments.of(SNS, "sns.endpoint", "127.0.0.1:4566", "sns.endpoint: must be an absolute http(s) URL"),
                Arguments.of(SNS, "sns.topic.arn", "alerts", "sns.topic.arn: must look like arn:aws:sns:"),
                Arguments.of(
                        TIMESTREAM, "timestream.max.attempts", "-1", "timestream.max.attempts: must be at least 1"),
                Arguments.of(
                        TIMESTREAM, "timestream.max.batch.size", "101", "timestream.max.batch.size: must be 1..100"),
                Arguments.of(
                        TIMESTREAM,
                        "timestream.max.time.in.buffer.ms",
                        "0",
                        "timestream.max.time.in.buffer.ms: must be at least 1"),
                Arguments.of(TIMESTREAM, "timestream.region", "Europe", "timestream.region: not an AWS region id"),
                Arguments.of(TIMESTREAM, "timestream.table", " ", "timestream.table: required when metrics.sink"),
                Arguments.of(INFLUX, "influxdb.max.batch.size", "5001", "influxdb.max.batch.size: must be 1..5000"),
                Arguments.of(INFLUX, "influxdb.backoff.base.ms", "-5", "influxdb.backoff.base.ms: must be at least 0"),
                Arguments.of(INFLUX, "influxdb.url", "ftp://influx", "influxdb.url: must be an absolute http(s) URL"),
                Arguments.of(INFLUX, "influxdb.token.secret", "s", "influxdb.token: set either"));
    }

    @ParameterizedTest(name = "{1}={2}")
    @MethodSource("invalidValues")
    void anInvalidValueIsRejectedNamingItsKey(String[] base, String key, String value, String message) {
        Configuration g = group(with(base, key, value));
        Function<Configuration, Object> read = base == SNS
                ? SnsSinkOptions::fromConfiguration
                : base == TIMESTREAM ? TimestreamSinkOptions::fromConfiguration : InfluxSinkOptions::fromConfiguration;
        String expectedKey = message.substring(0, message.indexOf(':'));
        assertThatThrownBy(() -> read.apply(g))
                .isInstanceOf(InvalidOptionException.class)
                .hasMessageStartingWith(message)
                .satisfies(
                        e -> assertThat(((InvalidOptionException) e).getKey()).isEqualTo(expectedKey));
    }

    @Test
    void retryKeysOfAPropertyGroupReachTheSink() {
        SnsSinkOptions sns = SnsSinkOptions.fromConfiguration(
                group(with(with(SNS, "sns.max.attempts", "3"), "sns.backoff.base.ms", "7")));
        assertThat(sns.getRetry().getMaxAttempts()).isEqualTo(3);
        assertThat(sns.getRetry().getBackoffBaseMs()).isEqualTo(7L);
        assertThat(sns.getRegion()).isEqualTo("eu-west-1");
        SnsAlertSink sink = SnsAlertSink.builder()
                .setOptions(sns)
                .setDeadLetterHandler(d -> {})
                .build();
        assertThat(sink.getOptions().getRetry().getMaxAttempts()).isEqualTo(3);

        TimestreamSinkOptions ts =
                TimestreamSinkOptions.fromConfiguration(group(with(TIMESTREAM, "timestream.max.batch.size", "40")));
        assertThat(ts.getRetry().getMaxBatchSize()).isEqualTo(40);
        assertThat(TimestreamSink.builder()
                        .setOptions(ts)
                        .setDeadLetterHandler(d -> {})
                        .build()
                        .getOptions()
                        .getRetry()
                        .getMaxBatchSize())
                .isEqualTo(40);

        InfluxSinkOptions influx =
                InfluxSinkOptions.fromConfiguration(group(with(INFLUX, "influxdb.max.in.flight", "2")));
        assertThat(influx.getRetry().getMaxInFlight()).isEqualTo(2);
        assertThat(influx.getToken().resolve()).isEqualTo("t");
        assertThat(influx.toString()).doesNotContain("=t ").contains("token=***");
        InfluxLineProtocolSink sink2 = InfluxLineProtocolSink.builder()
                .setOptions(influx)
                .setDeadLetterHandler(d -> {})
                .build();
        assertThat(sink2.getOptions().getRetry().getMaxInFlight()).isEqualTo(2);
    }

    @Test
    void absentRetryKeysTakeTheSinksDefaults() {
        assertThat(SnsSinkOptions.fromConfiguration(group(SNS)).getRetry().getMaxAttempts())
                .isEqualTo(SnsSinkOptions.RETRY.maxAttempts.defaultValue())
                .isEqualTo(10);
        assertThat(TimestreamSinkOptions.fromConfiguration(group(TIMESTREAM))
                        .getRetry()
                        .getMaxBatchSize())
                .isEqualTo(TimestreamSinkOptions.MAX_RECORDS_PER_WRITE);
        assertThat(InfluxSinkOptions.fromConfiguration(group(INFLUX)).getRetry().getBackoffBaseMs())
                .isEqualTo(InfluxSinkOptions.DEFAULT_BACKOFF_BASE_MS);
    }

    @Test
    void builderValuesAreValidatedLikePropertyGroupValues() {
        assertThatThrownBy(() -> TimestreamSink.builder()
                        .setDatabase("fc")
                        .setTable("m")
                        .setRegion("eu-west-1")
                        .setMaxBufferedRequests(50)
                        .setMaxBatchSize(60)
                        .setDeadLetterHandler(d -> {})
                        .build())
                .hasMessage("timestream.max.buffered: must be more than timestream.max.batch.size (60), got 50");
        assertThatThrownBy(() -> InfluxLineProtocolSink.builder()
                        .setUrl("http://h:1")
                        .setOrg("o")
                        .setBucket("b")
                        .setToken(InfluxToken.literal("t"))
                        .setMaxRecordSizeInBytes(0)
                        .setDeadLetterHandler(d -> {})
                        .build())
                .hasMessageStartingWith("influxdb.max.record.size.bytes: must be 1..");
    }

    @Test
    void everySinkListsEachOfItsKeysOnceUnderItsPrefix() {
        assertKeys(SnsSinkOptions.options(), "sns.", "sns.topic.arn", "sns.max.attempts", "sns.backoff.max.ms");
        assertKeys(TimestreamSinkOptions.options(), "timestream.", "timestream.database", "timestream.max.attempts");
        assertKeys(InfluxSinkOptions.options(), "influxdb.", "influxdb.token.secret", "influxdb.max.attempts");
    }

    private static void assertKeys(List<ConfigOption<?>> options, String prefix, String... expected) {
        Set<String> keys = new HashSet<>();
        for (ConfigOption<?> o : options) {
            assertThat(keys.add(o.key())).as("duplicate key %s", o.key()).isTrue();
            assertThat(o.key()).startsWith(prefix);
            assertThat(o.description().getBlocks())
                    .as("description of %s", o.key())
                    .isNotEmpty();
        }
        assertThat(keys).contains(expected).hasSize(options.size());
    }
}
