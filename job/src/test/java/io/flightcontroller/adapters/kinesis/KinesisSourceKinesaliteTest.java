package io.flightcontroller.adapters.kinesis;

import static org.assertj.core.api.Assertions.assertThat;

import io.flightcontroller.app.JobConfig;
import io.flightcontroller.app.JobWiring;
import io.flightcontroller.config.RuntimePropertyKeys;
import io.flightcontroller.domain.event.DeadLetter;
import io.flightcontroller.domain.measure.MeasureKind;
import io.flightcontroller.domain.result.Alert;
import io.flightcontroller.domain.result.Measurement;
import io.flightcontroller.pipeline.FlightControllerTopology;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordResponse;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/**
 * End to end against a real Kinesis API on loopback (kinesalite, started per test class on a free port): 2-shard
 * streams fed with EventBridge envelopes using explicit hash keys; the job built by {@link JobWiring#build} from a
 * {@link JobConfig} reads them with {@link KinesisSources} on a mini-cluster, one source subtask holding both shards.
 * Proves that envelopes are parsed (and a malformed record is dead-lettered), lead times are measured, and the
 * watermark passes a case's deadline (TIMEOUT alert) although one shard is silent: whether it never delivered
 * anything, or delivered and then went quiet (the case {@code idle.timeout} exists for, with a control run showing the
 * stall without it).
 */
class KinesisSourceKinesaliteTest {
    private static final String REGION = "us-east-1";

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    private static Kinesalite kinesalite;
    private static KinesisClient kinesis;
    private static volatile String currentStream;

    private static final Map<String, Queue<Object>> COLLECTED = new ConcurrentHashMap<>();

    @BeforeAll
    static void startKinesalite() throws Exception {
        // credentials for the connector's SDK (default provider chain) and the test client; kinesalite ignores them
        System.setProperty("aws.accessKeyId", "test");
        System.setProperty("aws.secretKey", "test");
        System.setProperty("aws.secretAccessKey", "test");
        System.setProperty("aws.cborEnabled", "false");
        kinesalite = Kinesalite.start();
        kinesis = KinesisClient.builder()
                .endpointOverride(URI.create(kinesalite.endpoint()))
                .region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    @AfterAll
    static void stopKinesalite() throws Exception {
        if (kinesis != null) {
            kinesis.close();
        }
        if (kinesalite != null) {
            kinesalite.close();
        }
    }

    /**
     * The scenario: every record goes to one shard, the other shard never delivers anything.
     */
    @Test
    void allRecordsOnOneShardTheOtherNeverDeliversLeadTimesAndTimeoutAreEmitted() throws Exception {
        String scenario = "one-shard";
        Shard[] s = createStream(scenario);
        Shard busy = s[0];
        putCases(busy);
        assertThat(records(scenario, s[1]))
                .as("the second shard must stay silent")
                .isEmpty();

        JobClient job = startJob(scenario, "PT1S");
        try {
            awaitOutputs(scenario, job);
        } finally {
            job.cancel().get(30, TimeUnit.SECONDS);
        }
        assertCases(scenario, false);
    }

    /**
     * The hazard idleness exists for: both shards deliver, then one goes quiet while the other keeps going. The
     * connector keeps the quiet shard's last watermark (10:00:25 here) as the subtask minimum until the shard has been
     * silent for {@code idle.timeout}; after that it is left out and the watermark passes c3's deadline.
     */
    @Test
    void aShardThatGoesQuietStopsHoldingBackTheWatermarkAfterTheIdleTimeout() throws Exception {
        String scenario = "goes-quiet";
        Shard[] s = createStream(scenario);
        putQuietShardCase(scenario, s[1]);
        putCases(s[0]);

        JobClient job = startJob(scenario, "PT1S");
        try {
            awaitOutputs(scenario, job);
        } finally {
            job.cancel().get(30, TimeUnit.SECONDS);
        }
        assertCases(scenario, true);
    }

    /**
     * Control for the test above: with an idle timeout far longer than the test, the quiet shard holds the watermark
     * at its last event time and c3 does not time out (proving the previous test depends on the idleness).
     */
    @Test
    void withoutIdlenessTheQuietShardHoldsBackTheWatermark() throws Exception {
        String scenario = "no-idleness";
        Shard[] s = createStream(scenario);
        putQuietShardCase(scenario, s[1]);
        putCases(s[0]);

        JobClient job = startJob(scenario, "PT1H");
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            // wait until everything has been read (c0 measured means both shards were consumed), then a while longer
            while (System.nanoTime() < deadline
                    && collected(scenario, "dead-letters").isEmpty()) {
                assertThat(job.getJobStatus().get().isGloballyTerminalState())
                        .as("job ended early")
                        .isFalse();
                Thread.sleep(200);
            }
            assertThat(collected(scenario, "dead-letters")).as("records read").hasSize(1);
            Thread.sleep(6000);
        } finally {
            job.cancel().get(30, TimeUnit.SECONDS);
        }
        assertThat(timeouts(scenario))
                .as("no timeout while the quiet shard holds the watermark")
                .isEmpty();
    }

    private static Shard[] createStream(String stream) throws InterruptedException {
        currentStream = stream;
        kinesis.createStream(b -> b.streamName(stream).shardCount(2));
        for (int i = 0;
                i < 100
                        && kinesis.describeStreamSummary(b -> b.streamName(stream))
                                        .streamDescriptionSummary()
                                        .streamStatus()
                                != StreamStatus.ACTIVE;
                i++) {
            Thread.sleep(50);
        }
        List<Shard> shards = kinesis.listShards(b -> b.streamName(stream)).shards();
        assertThat(shards).hasSize(2);
        return shards.toArray(new Shard[0]);
    }

    /** c1 and c2 complete (5 and 2 min), c3 never completes (deadline 10:12), c4 moves event time to 10:30. */
    private static void putCases(Shard shard) {
        put(shard, envelope("c1", "order_placed", "2026-11-02T10:00:00Z"));
        put(shard, envelope("c2", "order_placed", "2026-11-02T10:01:00Z"));
        put(shard, envelope("c3", "order_placed", "2026-11-02T10:02:00Z"));
        put(shard, envelope("c2", "order_shipped", "2026-11-02T10:03:00Z"));
        put(shard, envelope("c1", "order_shipped", "2026-11-02T10:05:00Z"));
        put(shard, "this is not JSON");
        put(shard, envelope("c4", "order_placed", "2026-11-02T10:30:00Z"));
        // a jump of 25 minutes moves the watermark only once another instant corroborates it (CorroboratedClock)
        put(shard, envelope("c5", "order_placed", "2026-11-02T10:30:01Z"));
    }

    /** One complete case (c0, 30 s) on the shard that then goes quiet: its watermark stays at 10:00:25. */
    private static void putQuietShardCase(String stream, Shard quiet) {
        put(quiet, envelope("c0", "order_placed", "2026-11-02T10:00:00Z"));
        put(quiet, envelope("c0", "order_shipped", "2026-11-02T10:00:30Z"));
        assertThat(records(stream, quiet)).hasSize(2);
    }

    private static JobClient startJob(String stream, String idleTimeout) throws Exception {
        Map<String, Properties> groups = new HashMap<>();
        Properties source = new Properties();
        source.setProperty(RuntimePropertyKeys.KINESIS_STREAM, stream);
        source.setProperty(RuntimePropertyKeys.KINESIS_REGION, REGION);
        source.setProperty(RuntimePropertyKeys.KINESIS_ENDPOINT, kinesalite.endpoint());
        source.setProperty(RuntimePropertyKeys.KINESIS_INITIAL_POSITION, "TRIM_HORIZON");
        groups.put(RuntimePropertyKeys.GROUP_SOURCE, source);
        Properties time = new Properties();
        time.setProperty(RuntimePropertyKeys.IDLE_TIMEOUT, idleTimeout);
        time.setProperty(RuntimePropertyKeys.OUT_OF_ORDERNESS, "PT5S");
        groups.put(RuntimePropertyKeys.GROUP_TIME, time);
        Properties measures = new Properties();
        measures.setProperty(
                RuntimePropertyKeys.MEASURES_YAML,
                "measures:\n"
                        + "  - name: order_lead_time\n"
                        + "    start: order_placed\n"
                        + "    end: order_shipped\n"
                        + "    timeout: PT10M\n");
        groups.put(RuntimePropertyKeys.GROUP_MEASURES, measures);
        Properties sinks = new Properties();
        sinks.setProperty(RuntimePropertyKeys.METRICS_SINK, "none");
        groups.put(RuntimePropertyKeys.GROUP_SINKS, sinks);
        Properties alerts = new Properties();
        alerts.setProperty(RuntimePropertyKeys.ALERTS_SINK, "log");
        groups.put(RuntimePropertyKeys.GROUP_ALERTS, alerts);
        JobConfig config = JobConfig.fromPropertyGroups(groups);

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1); // one source subtask reads both shards: per-shard watermarks decide
        env.getConfig().setAutoWatermarkInterval(100);
        FlightControllerTopology.Outputs out = JobWiring.build(env, config);
        JobWiring.attachSinks(out, config);
        out.measurements.sinkTo(new CollectSink<>(stream + ":measurements")).name("collect measurements");
        out.alerts.sinkTo(new CollectSink<>(stream + ":alerts")).name("collect alerts");
        out.deadLetters.sinkTo(new CollectSink<>(stream + ":dead-letters")).name("collect dead letters");
        return env.executeAsync("kinesis-source-test-" + stream);
    }

    /** The job is unbounded: poll until the expected outputs are there (at most 120 s). */
    private static void awaitOutputs(String scenario, JobClient job) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline
                && !(leadTimes(scenario).size() >= 2
                        && !timeouts(scenario).isEmpty()
                        && !collected(scenario, "dead-letters").isEmpty())) {
            assertThat(job.getJobStatus().get().isGloballyTerminalState())
                    .as("job ended early")
                    .isFalse();
            Thread.sleep(200);
        }
        Thread.sleep(1000); // let anything wrong (such as a timeout of c4) show up
    }

    private static void assertCases(String scenario, boolean withC0) {
        List<String> expected = new ArrayList<>();
        expected.add("c1=" + TimeUnit.MINUTES.toMillis(5));
        expected.add("c2=" + TimeUnit.MINUTES.toMillis(2));
        if (withC0) {
            expected.add("c0=" + TimeUnit.SECONDS.toMillis(30));
        }
        assertThat(leadTimes(scenario)).containsExactlyInAnyOrderElementsOf(expected);
        List<Alert> timeouts = timeouts(scenario);
        assertThat(timeouts).extracting(Alert::getCorrelationId).containsExactly("c3");
        assertThat(timeouts.get(0).getDeadlineMs())
                .isEqualTo(java.time.Instant.parse("2026-11-02T10:12:00Z").toEpochMilli());
        assertThat(collected(scenario, "dead-letters")).hasSize(1);
        assertThat(((DeadLetter) collected(scenario, "dead-letters").get(0)).getRaw())
                .contains("this is not JSON");
    }

    private static List<software.amazon.awssdk.services.kinesis.model.Record> records(String stream, Shard shard) {
        GetRecordsResponse r = kinesis.getRecords(b -> b.shardIterator(kinesis.getShardIterator(i ->
                        i.streamName(stream).shardId(shard.shardId()).shardIteratorType(ShardIteratorType.TRIM_HORIZON))
                .shardIterator()));
        return r.records();
    }

    private static List<String> leadTimes(String scenario) {
        return collected(scenario, "measurements").stream()
                .map(Measurement.class::cast)
                .filter(m -> m.getKind() == MeasureKind.LEAD_TIME)
                .map(m -> m.getCorrelationId() + "=" + m.valueAsLong())
                .collect(Collectors.toList());
    }

    private static List<Alert> timeouts(String scenario) {
        return collected(scenario, "alerts").stream()
                .map(Alert.class::cast)
                .filter(a -> a.getKind() == Alert.Kind.TIMEOUT)
                .collect(Collectors.toList());
    }

    private static List<Object> collected(String scenario, String name) {
        return new ArrayList<>(COLLECTED.computeIfAbsent(scenario + ":" + name, k -> new ConcurrentLinkedQueue<>()));
    }

    /** Puts one record with an explicit hash key inside {@code shard}'s range, so it lands on that shard. */
    private static void put(Shard shard, String data) {
        PutRecordResponse r = kinesis.putRecord(b -> b.streamName(currentStream)
                .partitionKey("pk")
                .explicitHashKey(shard.hashKeyRange().startingHashKey())
                .data(SdkBytes.fromString(data, StandardCharsets.UTF_8)));
        assertThat(r.shardId()).isEqualTo(shard.shardId());
    }

    /** What an EventBridge rule with a Kinesis target delivers: the full event envelope as the record data. */
    private static String envelope(String correlationId, String type, String time) {
        return "{\"version\":\"0\",\"id\":\"" + UUID.randomUUID() + "\",\"detail-type\":\"" + type + "\","
                + "\"source\":\"shop.orders\",\"account\":\"123456789012\",\"time\":\"" + time + "\","
                + "\"region\":\"" + REGION + "\",\"resources\":[],"
                + "\"detail\":{\"correlation_id\":\"" + correlationId + "\",\"event_type\":\"" + type + "\","
                + "\"time\":\"" + time + "\",\"payload\":{\"team\":\"t1\"}}}";
    }

    /** Collects into a static map: the mini-cluster runs in this JVM. */
    private static final class CollectSink<T> implements Sink<T> {
        private static final long serialVersionUID = 1L;
        private final String name;

        CollectSink(String name) {
            this.name = name;
        }

        @Override
        @SuppressWarnings("deprecation")
        public SinkWriter<T> createWriter(InitContext context) {
            Queue<Object> q = COLLECTED.computeIfAbsent(name, k -> new ConcurrentLinkedQueue<>());
            return new SinkWriter<T>() {
                @Override
                public void write(T element, Context ctx) {
                    q.add(element);
                }

                @Override
                public void flush(boolean endOfInput) {}

                @Override
                public void close() {}
            };
        }
    }
}
