package io.flightcontroller.adapters.influx;

import io.flightcontroller.adapters.DeadLetterHandler;
import io.flightcontroller.adapters.RetryBackoff;
import io.flightcontroller.adapters.RetryingSinkOptions;
import io.flightcontroller.adapters.RetryingSinkWriter;
import io.flightcontroller.adapters.SinkErrorClassifier;
import io.flightcontroller.adapters.metrics.MetricPoint;
import io.flightcontroller.domain.event.DeadLetter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.ElementConverter;
import org.apache.flink.connector.base.sink.writer.ResultHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POSTs batches of line-protocol lines to the InfluxDB v2 write API ({@code /api/v2/write?org=&bucket=&precision=ms},
 * header {@code Authorization: Token ...}) with {@link HttpClient} and settles each line:
 * <ul>
 *   <li>2xx: written;</li>
 *   <li>429 and 5xx, network errors, timeouts: retried with backoff ({@link RetryBackoff}), dead-lettered after the
 *       attempt limit;</li>
 *   <li>401, 403 (token) and 404 (org or bucket not found): fail the job with {@link InfluxSinkException};</li>
 *   <li>other 4xx (400 bad line or field-type conflict, 413, 422): the batch is re-sent line by line so the good lines
 *       land and only the lines InfluxDB rejects go to the dead-letter handler with its answer (InfluxDB may have
 *       stored the good lines of a partly written batch already; writing them again is an idempotent overwrite).</li>
 * </ul>
 */
public class InfluxLineProtocolSinkWriter extends RetryingSinkWriter<MetricPoint, String> {
    private static final Logger LOG = LoggerFactory.getLogger(InfluxLineProtocolSinkWriter.class);
    /** Name of the counter of lines handed to the dead-letter handler. */
    public static final String DEAD_LETTER_COUNTER = "numInfluxLinesDeadLettered";
    /** Dead-letter stage of this sink. */
    public static final String STAGE = "sink:influxdb";
    /**
     * InfluxDB's status classification: 401, 403 (token) and 404 (org or bucket not found) are fatal; 429 is
     * throttling and 5xx a server error, both retried; any other status (400 bad line or field-type conflict, 413,
     * 422) is an invalid request, isolated line by line.
     */
    public static final SinkErrorClassifier ERRORS = SinkErrorClassifier.builder()
            .fatalStatuses(401, 403, 404)
            .otherClientErrors(SinkErrorClassifier.Outcome.INVALID_REQUEST)
            .rateExceededMessage(false)
            .build();

    private final HttpClient http;
    private final URI writeUri;
    private final String authorization;
    private final Duration timeout;

    InfluxLineProtocolSinkWriter(
            ElementConverter<MetricPoint, String> converter,
            WriterInitContext context,
            RetryingSinkOptions options,
            Collection<BufferedRequestState<String>> states,
            DeadLetterHandler deadLetters,
            URI writeUri,
            String token,
            Duration timeout) {
        super(converter, context, options, states, deadLetters, DEAD_LETTER_COUNTER);
        this.http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        this.writeUri = writeUri;
        this.authorization = "Token " + token;
        this.timeout = timeout;
    }

    @Override
    protected void submitRequestEntries(List<String> entries, ResultHandler<String> handler) {
        post(entries).whenComplete((response, error) -> {
            try {
                onAnswer(entries, response, error, handler);
            } catch (RuntimeException e) {
                handler.completeExceptionally(e);
            }
        });
    }

    private CompletableFuture<HttpResponse<String>> post(List<String> lines) {
        StringBuilder body = new StringBuilder();
        for (String l : lines) {
            body.append(l).append('\n');
        }
        HttpRequest request = HttpRequest.newBuilder(writeUri)
                .timeout(timeout)
                .header("Authorization", authorization)
                .header("Content-Type", "text/plain; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8))
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }

    private void onAnswer(
            List<String> entries, HttpResponse<String> response, Throwable error, ResultHandler<String> handler) {
        if (error != null) {
            failedRequest(entries, "InfluxDB write failed: " + error, handler);
            return;
        }
        int status = response.statusCode();
        if (status / 100 == 2) {
            for (String e : entries) {
                succeeded(e);
            }
            handler.complete();
        } else if (isFatal(status)) {
            handler.completeExceptionally(fatal(response));
        } else if (isRetryable(status)) {
            LOG.debug("InfluxDB answered {} to a write of {} lines, retrying", status, entries.size());
            failedRequest(entries, "InfluxDB answered " + status + ": " + abbreviate(response.body()), handler);
        } else if (entries.size() == 1) {
            deadLetter(entries.get(0), "InfluxDB rejected the line (" + status + "): " + abbreviate(response.body()));
            handler.complete();
        } else {
            LOG.warn(
                    "InfluxDB answered {} to a write of {} lines ({}); re-sending them one by one",
                    status,
                    entries.size(),
                    abbreviate(response.body()));
            List<String> retries = new ArrayList<>();
            oneByOne(entries, 0, retries).whenComplete((ignored, e) -> {
                if (e != null) {
                    Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                            ? e.getCause()
                            : e;
                    handler.completeExceptionally(
                            cause instanceof Exception ? (Exception) cause : new RuntimeException(cause));
                } else {
                    finish(retries, handler);
                }
            });
        }
    }

    /** Sends {@code entries[i..]} one request per line, in order; settles each line; fails on a fatal answer. */
    private CompletableFuture<Void> oneByOne(List<String> entries, int i, List<String> retries) {
        if (i >= entries.size()) {
            return CompletableFuture.completedFuture(null);
        }
        String line = entries.get(i);
        return post(java.util.Collections.singletonList(line))
                .handle((response, error) -> {
                    if (error != null) {
                        failedAttempt(line, "InfluxDB write failed: " + error, retries);
                        return null;
                    }
                    int status = response.statusCode();
                    if (status / 100 == 2) {
                        succeeded(line);
                    } else if (isFatal(status)) {
                        throw fatal(response);
                    } else if (isRetryable(status)) {
                        failedAttempt(
                                line, "InfluxDB answered " + status + ": " + abbreviate(response.body()), retries);
                    } else {
                        deadLetter(line, "InfluxDB rejected the line (" + status + "): " + abbreviate(response.body()));
                    }
                    return null;
                })
                .thenCompose(ignored -> oneByOne(entries, i + 1, retries));
    }

    /**
     * @param status HTTP status of a write
     * @return true for 429 and 5xx (retry with backoff), by {@link #ERRORS}
     */
    static boolean isRetryable(int status) {
        SinkErrorClassifier.Outcome o = ERRORS.classify(null, null, status);
        return o == SinkErrorClassifier.Outcome.THROTTLED || o == SinkErrorClassifier.Outcome.RETRYABLE;
    }

    /**
     * @param status HTTP status of a write
     * @return true for 401, 403 (token) and 404 (org or bucket not found): fail the job, by {@link #ERRORS}
     */
    static boolean isFatal(int status) {
        return ERRORS.classify(null, null, status) == SinkErrorClassifier.Outcome.FATAL;
    }

    private InfluxSinkException fatal(HttpResponse<String> response) {
        String uri = writeUri.toString();
        return new InfluxSinkException("InfluxDB rejected the write to "
                + uri.substring(0, Math.max(0, uri.indexOf('?') < 0 ? uri.length() : uri.indexOf('?'))) + " with "
                + response.statusCode()
                + " (check the URL, org, bucket and the token's write permission): " + abbreviate(response.body()));
    }

    private static String abbreviate(String s) {
        if (s == null) {
            return "";
        }
        return s.length() > 500 ? s.substring(0, 500) + "..." : s;
    }

    @Override
    protected long getSizeInBytes(String entry) {
        return entry.getBytes(StandardCharsets.UTF_8).length + 1L;
    }

    @Override
    protected DeadLetter toDeadLetter(String entry, String detail) {
        Long time = null;
        int space = entry.lastIndexOf(' ');
        if (space > 0) {
            try {
                time = Long.parseLong(entry.substring(space + 1));
            } catch (NumberFormatException ignored) {
                // keep null
            }
        }
        return DeadLetter.of(STAGE, DeadLetter.REASON_SINK_REJECTED, detail, entry)
                .withEvent(correlationId(entry), time);
    }

    private static String correlationId(String line) {
        int at = line.indexOf(",correlation_id=");
        if (at < 0) {
            return null;
        }
        StringBuilder s = new StringBuilder();
        for (int i = at + ",correlation_id=".length(); i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\' && i + 1 < line.length()) {
                s.append(line.charAt(++i));
            } else if (c == ',' || c == ' ') {
                break;
            } else {
                s.append(c);
            }
        }
        return s.toString();
    }
}
