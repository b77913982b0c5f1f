package io.flightcontroller.benchmark;

import io.flightcontroller.adapters.parse.MeasuresYaml;
import io.flightcontroller.domain.event.ParsedRecord;
import io.flightcontroller.domain.event.ProcessEvent;
import io.flightcontroller.domain.measure.MeasuresConfig;
import io.flightcontroller.domain.result.Alert;
import io.flightcontroller.domain.result.Measurement;
import io.flightcontroller.pipeline.FlightControllerTopology;
import io.flightcontroller.pipeline.PipelineCounters;
import io.flightcontroller.pipeline.PipelineOptions;
import io.flightcontroller.serialization.DomainSerializers;
import java.time.Duration;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Real-time latency on the mini-cluster. A FLIP-27 {@link DataGeneratorSource} with a rate limiter emits a steady rate
 * of events whose event time is the wall-clock time at emission; cases start, and most end after a short lead time,
 * some after the SLO threshold (BREACH) and a few never (TIMEOUT). Sinks record {@code System.currentTimeMillis()} on
 * arrival.
 *
 * <p>With bounded out-of-orderness {@code ooo}, the source's watermark is {@code maxEventTime - ooo - 1 ms}, emitted
 * every auto-watermark interval. Event time here is wall-clock time, so the first moment at which a watermark
 * <em>could</em> pass a deadline {@code D} is wall-clock {@code D + ooo} (+1 ms): that is "the watermark passing the
 * deadline", and the breach latency is {@code arrival - (D + ooo)}. It contains the wait for the next periodic
 * watermark (uniform in [0, interval)), the network hops (records and watermarks wait in network buffers up to the
 * buffer timeout, or until the buffer is full), the timer firing and the sink. Same for an end event at time {@code E}:
 * the measure operator processes buffered events in event-time order once the watermark passes them, so
 * {@code arrival - (E + ooo)} is the job's own delay and {@code arrival - E} the raw delay the user sees.
 */
final class LatencyRun {
    /** The job's {@code state.layout} in the latency runs (set once by {@link Benchmark} before they start). */
    static PipelineOptions.StateLayout stateLayout = PipelineOptions.StateLayout.PER_MEASURE;

    static final String START = "lat_requested";
    static final String END = "lat_done";
    static final String MEASURE = "latency_probe";

    /** Samples of one run: key time (deadline or end event time) and arrival, both epoch ms. */
    static final class Samples {
        final long[] key;
        final long[] arrival;
        final AtomicLong n = new AtomicLong();

        Samples(int cap) {
            key = new long[cap];
            arrival = new long[cap];
        }

        void add(long k, long a) {
            long i = n.getAndIncrement();
            if (i < key.length) {
                key[(int) i] = k;
                arrival[(int) i] = a;
            }
        }

        int size() {
            return (int) Math.min(n.get(), key.length);
        }
    }

    static volatile Samples BREACHES;
    static volatile Samples ENDS;
    static volatile long FIRST_EMIT_MS;
    static volatile long LAST_EMIT_MS;

    /** Result of one latency run. */
    static final class Result {
        long events;
        double seconds;
        long wmIntervalMs;
        long oooMs;
        long bufferTimeoutMs;
        Histogram breach;
        Histogram end;
        Histogram endRaw;
        Map<String, Object> acc;
    }

    /**
     * Emits, per call, either the due end of an earlier case (event time = now) or the start of a new case. 80 % of
     * cases end 0.1-1.5 s after their start, 15 % 2.5-5 s after (after the 2 s SLO threshold: a BREACH alert, then a
     * late-but-before-timeout lead), 5 % never (BREACH at 2 s, TIMEOUT at 10 s).
     */
    static final class CaseGenerator implements GeneratorFunction<Long, ParsedRecord> {
        private static final long serialVersionUID = 1L;
        private transient PriorityQueue<long[]> due; // {dueMs, caseNo}
        private transient SplittableRandom rnd;
        private transient long nextCase;

        @Override
        public void open(SourceReaderContext readerContext) {
            due = new PriorityQueue<>((a, b) -> Long.compare(a[0], b[0]));
            rnd = new SplittableRandom(11 + readerContext.getIndexOfSubtask());
            nextCase = (long) readerContext.getIndexOfSubtask() << 40;
        }

        @Override
        public ParsedRecord map(Long index) {
            long now = System.currentTimeMillis();
            if (FIRST_EMIT_MS == 0) {
                FIRST_EMIT_MS = now;
            }
            LAST_EMIT_MS = now;
            long[] head = due.peek();
            ProcessEvent e;
            if (head != null && head[0] <= now) {
                due.poll();
                e = ProcessEvent.of(null, "c" + head[1], END, now, null);
            } else {
                long c = nextCase++;
                double u = rnd.nextDouble();
                if (u < 0.80) {
                    due.add(new long[] {now + 100 + rnd.nextLong(1_400), c});
                } else if (u < 0.95) {
                    due.add(new long[] {now + 2_500 + rnd.nextLong(2_500), c});
                }
                e = ProcessEvent.of(null, "c" + c, START, now, null);
            }
            return ParsedRecord.ofEvent(e);
        }
    }

    /** Records arrival time of BREACH alerts of the probe measure. */
    static final class AlertProbe implements Sink<Alert> {
        private static final long serialVersionUID = 1L;

        @Override
        @SuppressWarnings("deprecation")
        public SinkWriter<Alert> createWriter(InitContext context) {
            return new SinkWriter<Alert>() {
                @Override
                public void write(Alert a, Context context) {
                    long now = System.currentTimeMillis();
                    if (a.getKind() == Alert.Kind.BREACH && MEASURE.equals(a.getMeasure())) {
                        BREACHES.add(a.getDeadlineMs(), now);
                    }
                }

                @Override
                public void flush(boolean endOfInput) {}

                @Override
                public void close() {}
            };
        }
    }

    /** Records arrival time of lead-time measurements of the probe measure. */
    static final class MeasurementProbe implements Sink<Measurement> {
        private static final long serialVersionUID = 1L;

        @Override
        @SuppressWarnings("deprecation")
        public SinkWriter<Measurement> createWriter(InitContext context) {
            return new SinkWriter<Measurement>() {
                @Override
                public void write(Measurement m, Context context) {
                    long now = System.currentTimeMillis();
                    if (MEASURE.equals(m.getMeasure())) {
                        ENDS.add(m.getEndMs(), now);
                    }
                }

                @Override
                public void flush(boolean endOfInput) {}

                @Override
                public void close() {}
            };
        }
    }

    static MeasuresConfig measures() {
        return MeasuresYaml.parse(String.join(
                "\n",
                "measures:",
                "  - name: " + MEASURE,
                "    start: " + START,
                "    end: " + END,
                "    timeout: PT10S",
                "    slo: { threshold: PT2S, objective: 0.95, window: P1D }",
                ""));
    }

    /**
     * @param rate events per second
     * @param seconds run length
     * @param warmupSeconds samples whose deadline / end time falls in the first seconds are dropped (JIT, start-up)
     * @param wmIntervalMs auto-watermark interval
     * @param ooo out-of-orderness
     * @param bufferTimeoutMs network buffer timeout (Flink default 100 ms), or -1 to keep the default
     */
    static Result run(int rate, int seconds, int warmupSeconds, long wmIntervalMs, Duration ooo, long bufferTimeoutMs)
            throws Exception {
        int cap = rate * seconds + 16;
        BREACHES = new Samples(cap);
        ENDS = new Samples(cap);
        FIRST_EMIT_MS = 0;
        LAST_EMIT_MS = 0;
        PipelineOptions options = PipelineOptions.builder(measures())
                .outOfOrderness(ooo)
                .stateLayout(stateLayout)
                .build();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1, new Configuration());
        env.getConfig().setAutoWatermarkInterval(wmIntervalMs);
        if (bufferTimeoutMs >= 0) {
            env.setBufferTimeout(bufferTimeoutMs);
        }
        long count = (long) rate * seconds;
        DataGeneratorSource<ParsedRecord> src = new DataGeneratorSource<>(
                new CaseGenerator(), count, RateLimiterStrategy.perSecond(rate), DomainSerializers.PARSED_RECORD);
        DataStream<ParsedRecord> input = env.fromSource(
                        src, FlightControllerTopology.watermarkStrategy(options), "steady generator")
                .setParallelism(1);
        FlightControllerTopology.Outputs out = FlightControllerTopology.build(input, options);
        out.alerts.sinkTo(new AlertProbe()).name("alert probe");
        out.measurements.sinkTo(new MeasurementProbe()).name("measurement probe");
        out.deadLetters.sinkTo(new BenchSources.DiscardingSink<>()).name("discard dead letters");
        out.aggregates.sinkTo(new BenchSources.DiscardingSink<>()).name("discard aggregates");
        out.errorBudgets.sinkTo(new BenchSources.DiscardingSink<>()).name("discard budgets");
        out.openCases.sinkTo(new BenchSources.DiscardingSink<>()).name("discard open cases");
        long t0 = System.nanoTime();
        JobExecutionResult jr = env.execute("latency " + rate + "/s wm " + wmIntervalMs + " ms");
        Result r = new Result();
        r.seconds = (System.nanoTime() - t0) / 1e9;
        r.events = count;
        r.wmIntervalMs = wmIntervalMs;
        r.oooMs = ooo.toMillis();
        r.bufferTimeoutMs = bufferTimeoutMs >= 0 ? bufferTimeoutMs : 100;
        r.acc = jr.getAllAccumulatorResults();
        // steady state only: after the warm-up, and before the end of input (whose capped final watermark fires the
        // remaining timers at once, earlier than a real watermark would)
        long from = FIRST_EMIT_MS + warmupSeconds * 1000L;
        long to = LAST_EMIT_MS - ooo.toMillis() - 2 * wmIntervalMs - 1000;
        r.breach = hist(BREACHES, from, to, ooo.toMillis());
        r.end = hist(ENDS, from, to, ooo.toMillis());
        r.endRaw = hist(ENDS, from, to, 0);
        return r;
    }

    private static Histogram hist(Samples s, long from, long to, long shiftMs) {
        Histogram h = new Histogram(3_600_000L, 3);
        for (int i = 0; i < s.size(); i++) {
            long k = s.key[i];
            if (k >= from && k <= to) {
                h.recordValue(Math.max(0, s.arrival[i] - (k + shiftMs)));
            }
        }
        return h;
    }

    static long num(Map<String, Object> acc, String k) {
        Object v = acc.get(k);
        return v instanceof Number ? ((Number) v).longValue() : 0;
    }

    static String counters(Result r) {
        return "matched " + num(r.acc, PipelineCounters.MATCHED) + ", breached " + num(r.acc, PipelineCounters.BREACHED)
                + ", timed_out " + num(r.acc, PipelineCounters.TIMED_OUT);
    }

    private LatencyRun() {}
}
