package io.flightcontroller.adapters.influx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.flightcontroller.adapters.JsonLinesDeadLetterHandler;
import io.flightcontroller.adapters.metrics.MetricPoint;
import io.flightcontroller.domain.event.DeadLetter;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The InfluxDB sink's HTTP status handling against a scripted server on loopback (JDK HttpServer): retries on 429 and
 * 503, line-by-line isolation on 400, fatal 401; and the request's path, query and token header.
 */
class InfluxLineProtocolSinkHttpTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private HttpServer server;
    private final List<String> bodies = Collections.synchronizedList(new ArrayList<>());
    private final List<String> uris = Collections.synchronizedList(new ArrayList<>());
    private final List<String> auth = Collections.synchronizedList(new ArrayList<>());

    @TempDir
    Path tmp;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    /** Starts a server whose answer to the n-th request (1-based) and its body is given by {@code status}. */
    private String serve(java.util.function.BiFunction<Integer, String, Integer> status) throws Exception {
        AtomicInteger n = new AtomicInteger();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            String body;
            try (InputStream in = ex.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            bodies.add(body);
            uris.add(ex.getRequestURI().toString());
            auth.add(ex.getRequestHeaders().getFirst("Authorization"));
            int code = status.apply(n.incrementAndGet(), body);
            byte[] answer = code == 204
                    ? new byte[0]
                    : ("{\"code\":\"x\",\"message\":\"status " + code + "\"}").getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(code, code == 204 ? -1 : answer.length);
            if (code != 204) {
                ex.getResponseBody().write(answer);
            }
            ex.close();
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Test
    void throttledAndUnavailableAnswersAreRetriedUntilTheWriteSucceeds() throws Exception {
        String url = serve((n, body) -> n == 1 ? 429 : n == 2 ? 503 : 204);

        run(points(3), sink(url).build());

        assertThat(bodies).hasSize(3);
        assertThat(bodies.get(2)).isEqualTo(bodies.get(0));
        assertThat(bodies.get(2).split("\n")).hasSize(3);
        assertThat(uris.get(0)).isEqualTo("/api/v2/write?org=fc&bucket=metrics&precision=ms");
        assertThat(auth.get(0)).isEqualTo("Token secret-token");
        assertThat(deadLetters()).isEmpty();
    }

    @Test
    void badLineInABatchIsIsolatedAndDeadLetteredWhileTheOthersLand() throws Exception {
        String url =
                serve((n, body) -> body.contains("case-1 ") || body.contains("correlation_id=case-1,") ? 400 : 204);

        run(points(3), sink(url).build());

        List<DeadLetter> dead = deadLetters();
        assertThat(dead).hasSize(1);
        assertThat(dead.get(0).getStage()).isEqualTo(InfluxLineProtocolSinkWriter.STAGE);
        assertThat(dead.get(0).getCorrelationId()).isEqualTo("case-1");
        assertThat(dead.get(0).getEventTimeMs()).isEqualTo(1_001L);
        assertThat(dead.get(0).getDetail())
                .contains("InfluxDB rejected the line (400)")
                .contains("status 400");
        assertThat(bodies.subList(1, bodies.size())).hasSize(3); // the batch, then one request per line
    }

    @Test
    void linesThatKeepFailingAreDeadLetteredAfterMaxAttempts() throws Exception {
        String url = serve((n, body) -> 500);

        run(points(2), sink(url).setMaxAttempts(3).build());

        assertThat(bodies).hasSize(3);
        List<DeadLetter> dead = deadLetters();
        assertThat(dead).hasSize(2);
        assertThat(dead).allSatisfy(d -> assertThat(d.getDetail()).contains("gave up after 3 attempts"));
    }

    @Test
    void rejectedTokenFailsTheJobWithAClearMessage() throws Exception {
        String url = serve((n, body) -> 401);

        assertThatThrownBy(() -> run(points(1), sink(url).build()))
                .hasStackTraceContaining("InfluxDB rejected the write to " + url + "/api/v2/write with 401");
    }

    // ---------------------------------------------------------------------------------------------------------------

    private static List<MetricPoint> points(int n) {
        List<MetricPoint> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(MetricPoint.builder("lead_time", 1_000L + i)
                    .dimension("correlation_id", "case-" + i)
                    .field("duration_ms", (long) i)
                    .build());
        }
        return out;
    }

    private InfluxLineProtocolSinkBuilder sink(String url) {
        return InfluxLineProtocolSink.builder()
                .setUrl(url)
                .setOrg("fc")
                .setBucket("metrics")
                .setToken(InfluxToken.literal("secret-token"))
                .setBackoff(5, 50)
                .setDeadLetterHandler(new JsonLinesDeadLetterHandler(
                        tmp.resolve("dead-letters.jsonl").toString()));
    }

    private static void run(List<MetricPoint> points, InfluxLineProtocolSink sink) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        env.fromData(points).sinkTo(sink);
        env.execute("influx-sink-http-test");
    }

    private List<DeadLetter> deadLetters() throws Exception {
        Path p = tmp.resolve("dead-letters.jsonl");
        List<DeadLetter> out = new ArrayList<>();
        if (Files.exists(p)) {
            for (String line : Files.readAllLines(p, StandardCharsets.UTF_8)) {
                out.add(JSON.readValue(line, DeadLetter.class));
            }
        }
        return out;
    }
}
