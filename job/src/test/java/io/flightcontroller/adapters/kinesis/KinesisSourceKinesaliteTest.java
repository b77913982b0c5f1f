package io.flightcontroller.adapters.kinesis;

import static org.assertj.core.api.Assertions.assertThat;

import io.flightcontroller.app.JobConfig;
import io.flightcontroller.app.ManagedFlinkJob;
import io.flightcontroller.config.RuntimePropertyKeys;
import io.flightcontroller.domain.Alert;
import io.flightcontroller.domain.DeadLetter;
import io.flightcontroller.domain.Measurement;
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
 * End to end against a real Kinesis API on loopback (kinesalite): a 2-shard stream where every record goes to one
 * shard and the other stays silent; the job built by {@link ManagedFlinkJob#build} from a {@link JobConfig} reads it
 * with {@link KinesisSources} on a mini-cluster (one source subtask holding both shards). Proves that EventBridge
 * envelopes are parsed, lead times are measured, and the watermark passes a case's deadline (TIMEOUT alert) although
 * one shard never delivers anything, because idle shards stop holding back the watermark after
 * {@code idle.timeout}.
 */
class KinesisSourceKinesaliteTest {
    private static final String STREAM = "flight-controller-events";
    private static final String REGION = "us-east-1";

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
                    .build());

    private static Kinesalite kinesalite;
    private static KinesisClient kinesis;

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

    @Test
    void readsEventBridgeRecordsFromOneShardMeasuresLeadTimesAndTimesOutWhileTheOtherShardIsSilent()
            throws Exception {
        kinesis.createStream(b -> b.streamName(STREAM).shardCount(2));
        awaitActive();
        List<Shard> shards = kinesis.listShards(b -> b.streamName(STREAM)).shards();
        assertThat(shards).hasSize(2);
        Shard busy = shards.get(0);
        Shard silent = shards.get(1);

        // order_placed -> order_shipped, timeout 10 min; times are event times in the records, not wall clock
        put(busy, envelope("c1", "order_placed", "2026-11-02T10:00:00Z"));
        put(busy, envelope("c2", "order_placed", "2026-11-02T10:01:00Z"));
        put(busy, envelope("c3", "order_placed", "2026-11-02T10:02:00Z")); // never shipped: deadline 10:12
        put(busy, envelope("c2", "order_shipped", "2026-11-02T10:03:00Z"));
        put(busy, envelope("c1", "order_shipped", "2026-11-02T10:05:00Z"));
        put(busy, "this is not JSON");
        put(busy, envelope("c4", "order_placed", "2026-11-02T10:30:00Z")); // moves the watermark past 10:12

        GetRecordsResponse onSilent = kinesis.getRecords(b -> b.shardIterator(kinesis.getShardIterator(i -> i
                .streamName(STREAM).shardId(silent.shardId()).shardIteratorType(ShardIteratorType.TRIM_HORIZON))
                .shardIterator()));
        assertThat(onSilent.records()).as("the second shard must stay silent").isEmpty();

        Map<String, Properties> groups = new HashMap<>();
        Properties source = new Properties();
        source.setProperty(RuntimePropertyKeys.KINESIS_STREAM, STREAM);
        source.setProperty(RuntimePropertyKeys.KINESIS_REGION, REGION);
        source.setProperty(RuntimePropertyKeys.KINESIS_ENDPOINT, kinesalite.endpoint());
        source.setProperty(RuntimePropertyKeys.KINESIS_INITIAL_POSITION, "TRIM_HORIZON");
        groups.put(RuntimePropertyKeys.GROUP_SOURCE, source);
        Properties time = new Properties();
        time.setProperty(RuntimePropertyKeys.IDLE_TIMEOUT, "PT1S");
        time.setProperty(RuntimePropertyKeys.OUT_OF_ORDERNESS, "PT5S");
        groups.put(RuntimePropertyKeys.GROUP_TIME, time);
        Properties measures = new Properties();
        measures.setProperty(RuntimePropertyKeys.MEASURES_YAML, "measures:\n"
                + "  - name: order_lead_time\n"
                + "    start: order_placed\n"
                + "    end: order_shipped\n"
                + "    timeout: PT10M\n");
        groups.put(RuntimePropertyKeys.GROUP_MEASURES, measures);
        Properties sinks = new Properties();
        sinks.setProperty(RuntimePropertyKeys.METRICS_SINK, "none");
        groups.put(RuntimePropertyKeys.GROUP_SINKS, sinks);
        JobConfig config = JobConfig.fromPropertyGroups(groups);

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1); // one source subtask reads both shards: the silent one must not stall it
        env.getConfig().setAutoWatermarkInterval(100);
        FlightControllerTopology.Outputs out = ManagedFlinkJob.build(env, config);
        out.measurements.sinkTo(new CollectSink<>("measurements")).name("collect measurements");
        out.alerts.sinkTo(new CollectSink<>("alerts")).name("collect alerts");
        out.deadLetters.sinkTo(new CollectSink<>("dead-letters")).name("collect dead letters");

        JobClient job = env.executeAsync("kinesis-source-test");
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (System.nanoTime() < deadline && !(leadTimes().size() >= 2 && !timeouts().isEmpty()
                    && !collected("dead-letters").isEmpty())) {
                assertThat(job.getJobStatus().get().isGloballyTerminalState()).as("job ended early").isFalse();
                Thread.sleep(200);
            }
            Thread.sleep(1000); // let anything wrong (such as a timeout of c4) show up
        } finally {
            job.cancel().get(30, TimeUnit.SECONDS);
        }

        assertThat(leadTimes()).containsOnly(
                "c1=" + TimeUnit.MINUTES.toMillis(5), "c2=" + TimeUnit.MINUTES.toMillis(2));
        List<Alert> timeouts = collected("alerts").stream().map(Alert.class::cast)
                .filter(a -> a.getKind() == Alert.Kind.TIMEOUT).collect(Collectors.toList());
        assertThat(timeouts).extracting(Alert::getCorrelationId).containsExactly("c3");
        assertThat(timeouts.get(0).getDeadlineMs())
                .isEqualTo(java.time.Instant.parse("2026-11-02T10:12:00Z").toEpochMilli());
        assertThat(collected("dead-letters")).hasSize(1);
        assertThat(((DeadLetter) collected("dead-letters").get(0)).getRaw()).contains("this is not JSON");
    }

    private static List<String> leadTimes() {
        return collected("measurements").stream().map(Measurement.class::cast)
                .filter(m -> "lead_time".equals(m.getKind()))
                .map(m -> m.getCorrelationId() + "=" + m.valueAsLong()).collect(Collectors.toList());
    }

    private static List<Alert> timeouts() {
        return collected("alerts").stream().map(Alert.class::cast)
                .filter(a -> a.getKind() == Alert.Kind.TIMEOUT).collect(Collectors.toList());
    }

    private static List<Object> collected(String name) {
        return new ArrayList<>(COLLECTED.computeIfAbsent(name, k -> new ConcurrentLinkedQueue<>()));
    }

    private static void awaitActive() throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            if (kinesis.describeStreamSummary(b -> b.streamName(STREAM)).streamDescriptionSummary().streamStatus()
                    == StreamStatus.ACTIVE) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("stream " + STREAM + " did not become ACTIVE");
    }

    /** Puts one record with an explicit hash key inside {@code shard}'s range, so it lands on that shard. */
    private static void put(Shard shard, String data) {
        PutRecordResponse r = kinesis.putRecord(b -> b.streamName(STREAM).partitionKey("pk")
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
                public void flush(boolean endOfInput) {
                }

                @Override
                public void close() {
                }
            };
        }
    }
}
