package io.flightcontroller.adapters.influx;

import io.flightcontroller.adapters.InvalidOptionException;
import io.flightcontroller.adapters.Options;
import io.flightcontroller.adapters.RetryingSinkOptions;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;

/**
 * Options of the InfluxDB line-protocol sink: its {@link ConfigOption}s (keys of the runtime property group
 * {@code FlightController.Sinks}), defaults and limits, and the validated values read by {@link #fromConfiguration}.
 *
 * <p>Shape: {@code influxdb.url} (absolute http(s) base URL, without {@code /api/v2/write}), {@code influxdb.org},
 * {@code influxdb.bucket} required; exactly one of {@code influxdb.token.secret} (Secrets Manager secret id or ARN,
 * read by each writer when it starts) and {@code influxdb.token} (plain text: tests and local runs); the shared retry
 * keys {@code influxdb.max.attempts}, ... ({@link RetryingSinkOptions}).
 *
 * <p>Batch size: InfluxDB's "Optimize writes" guide (https://docs.influxdata.com/influxdb/v2/write-data/best-practices/
 * optimize-writes/) recommends batches of 5,000 lines. The request body is capped well below InfluxDB OSS's default
 * {@code http-max-body-size} of 25,000,000 bytes (InfluxDB v2 configuration options).
 */
public final class InfluxSinkOptions implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Default and largest lines per write request: 5,000 (InfluxDB "Optimize writes"). */
    public static final int MAX_LINES_PER_WRITE = 5_000;
    /** Largest request body the sink builds, bytes (below InfluxDB OSS's 25,000,000-byte default limit). */
    public static final long MAX_BATCH_BYTES = 10L * 1024 * 1024;
    /** Largest single line, bytes. */
    public static final long MAX_LINE_BYTES = 64L * 1024;

    /** Default attempts per line for retryable errors (429, 5xx, network) before it is dead-lettered. */
    public static final int DEFAULT_MAX_ATTEMPTS = 10;
    /** Default concurrent write requests per writer. */
    public static final int DEFAULT_MAX_IN_FLIGHT = 4;
    /** Default lines buffered per writer before backpressure. */
    public static final int DEFAULT_MAX_BUFFERED = 20_000;
    /** Default longest wait for a full batch, ms. */
    public static final long DEFAULT_MAX_TIME_IN_BUFFER_MS = 1_000L;
    /** Default cap of the first retry delay, ms (full jitter, doubles per attempt). */
    public static final long DEFAULT_BACKOFF_BASE_MS = 200L;
    /** Default largest retry delay, ms. */
    public static final long DEFAULT_BACKOFF_MAX_MS = 30_000L;
    /** Timeout of one write request, ms. */
    public static final long REQUEST_TIMEOUT_MS = 30_000L;

    /** Base URL of an InfluxDB v2 write API. Required. */
    public static final ConfigOption<String> URL = ConfigOptions.key("influxdb.url")
            .stringType()
            .noDefaultValue()
            .withDescription("Base URL of an InfluxDB v2 write API, e.g. https://host:8086.");
    /** Organisation. Required. */
    public static final ConfigOption<String> ORG =
            ConfigOptions.key("influxdb.org").stringType().noDefaultValue().withDescription("InfluxDB organisation.");
    /** Bucket. Required. */
    public static final ConfigOption<String> BUCKET =
            ConfigOptions.key("influxdb.bucket").stringType().noDefaultValue().withDescription("InfluxDB bucket.");
    /** Secrets Manager secret id or ARN of the token (its value, or JSON {@code {"token": ...}}). */
    public static final ConfigOption<String> TOKEN_SECRET = ConfigOptions.key("influxdb.token.secret")
            .stringType()
            .noDefaultValue()
            .withDescription("Secrets Manager secret id or ARN whose value is the token.");
    /** The token as plain text: tests and local runs only. */
    public static final ConfigOption<String> TOKEN = ConfigOptions.key("influxdb.token")
            .stringType()
            .noDefaultValue()
            .withDescription("The token as plain text: tests and local runs only.");

    /** The shared retry and batching keys under {@code influxdb.}. */
    public static final RetryingSinkOptions.Keys RETRY = RetryingSinkOptions.keys(
            "influxdb",
            "lines",
            RetryingSinkOptions.defaults(
                    DEFAULT_MAX_ATTEMPTS,
                    MAX_LINES_PER_WRITE,
                    DEFAULT_MAX_IN_FLIGHT,
                    DEFAULT_MAX_BUFFERED,
                    DEFAULT_MAX_TIME_IN_BUFFER_MS,
                    MAX_BATCH_BYTES,
                    MAX_LINE_BYTES,
                    DEFAULT_BACKOFF_BASE_MS,
                    DEFAULT_BACKOFF_MAX_MS),
            "lines per write request");

    private final String url;
    private final String org;
    private final String bucket;
    private final String tokenSecret;
    private final InfluxToken token;
    private final RetryingSinkOptions retry;

    private InfluxSinkOptions(
            String url, String org, String bucket, String tokenSecret, InfluxToken token, RetryingSinkOptions retry) {
        this.url = url;
        this.org = org;
        this.bucket = bucket;
        this.tokenSecret = tokenSecret;
        this.token = token;
        this.retry = retry;
    }

    /** @return every option of this sink, in documentation order */
    public static List<ConfigOption<?>> options() {
        List<ConfigOption<?>> all = new ArrayList<>();
        all.add(URL);
        all.add(ORG);
        all.add(BUCKET);
        all.add(TOKEN_SECRET);
        all.add(TOKEN);
        all.addAll(RETRY.all());
        return Collections.unmodifiableList(all);
    }

    /**
     * Reads and validates the InfluxDB options of a property group; absent keys take their defaults, unknown keys are
     * ignored.
     *
     * @param group e.g. the runtime property group {@code FlightController.Sinks}
     * @return the options
     * @throws InvalidOptionException naming the key that is missing or invalid
     */
    public static InfluxSinkOptions fromConfiguration(Configuration group) {
        return read(group, null);
    }

    /**
     * @param group the property group
     * @param explicitToken a token given directly (then the token keys are not read), or null
     * @return the options
     */
    static InfluxSinkOptions read(Configuration group, InfluxToken explicitToken) {
        String why = "required when metrics.sink=influxdb";
        String url = Options.httpUrl(URL, Options.required(group, URL, why));
        String org = Options.required(group, ORG, why);
        String bucket = Options.required(group, BUCKET, why);
        String secret = null;
        InfluxToken token = explicitToken;
        if (token == null) {
            secret = Options.string(group, TOKEN_SECRET);
            String plain = Options.string(group, TOKEN);
            Options.check(
                    secret != null || plain != null,
                    TOKEN_SECRET,
                    why + " (Secrets Manager secret id or ARN " + "of the token; " + TOKEN.key()
                            + " instead for local runs)");
            Options.check(
                    secret == null || plain == null,
                    TOKEN,
                    "set either " + TOKEN_SECRET.key() + " or " + TOKEN.key() + ", not both");
            token = secret != null
                    ? InfluxToken.secretsManager(secret, secretRegion(secret), null)
                    : InfluxToken.literal(plain);
        }
        return new InfluxSinkOptions(url, org, bucket, secret, token, RETRY.read(group));
    }

    /**
     * @param secret a secret id or ARN
     * @return the region of a secret given as ARN ({@code arn:aws:secretsmanager:REGION:...}), else null (the SDK's
     *     default region chain applies)
     */
    static String secretRegion(String secret) {
        if (!secret.startsWith("arn:")) {
            return null;
        }
        String[] parts = secret.split(":");
        return parts.length > 3 && !parts[3].isEmpty() ? parts[3] : null;
    }

    /** @return these options under their keys, except the token (see {@link #getToken()}) */
    public Configuration toConfiguration() {
        Configuration c = new Configuration();
        c.set(URL, url);
        c.set(ORG, org);
        c.set(BUCKET, bucket);
        RETRY.write(retry, c);
        return c;
    }

    /** @return base URL */
    public String getUrl() {
        return url;
    }
    /** @return organisation */
    public String getOrg() {
        return org;
    }
    /** @return bucket */
    public String getBucket() {
        return bucket;
    }
    /** @return where the token comes from, resolved by each writer when it starts */
    public InfluxToken getToken() {
        return token;
    }
    /** @return attempts, backoff and batching limits */
    public RetryingSinkOptions getRetry() {
        return retry;
    }

    @Override
    public String toString() {
        return "influxdb " + url + " org=" + org + " bucket=" + bucket + " token="
                + (tokenSecret != null ? "secret " + tokenSecret : "***") + " " + retry;
    }
}
