package io.flightcontroller.benchmark;

import io.flightcontroller.domain.event.ParsedRecord;
import io.flightcontroller.domain.event.ProcessEvent;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.streaming.api.functions.source.SourceFunction;

/** Sources and sinks used only by the benchmark (the mini-cluster runs in this JVM, so statics are shared). */
final class BenchSources {
    private BenchSources() {}

    /** A Sink V2 that drops everything. */
    static final class DiscardingSink<T> implements Sink<T> {
        private static final long serialVersionUID = 1L;

        @Override
        @SuppressWarnings("deprecation")
        public SinkWriter<T> createWriter(InitContext context) {
            return new SinkWriter<T>() {
                @Override
                public void write(T element, Context context) {}

                @Override
                public void flush(boolean endOfInput) {}

                @Override
                public void close() {}
            };
        }
    }

    /** A Sink V2 that counts down {@link #LATCH} when it sees a record whose string form contains the marker. */
    static final class MarkerSink<T> implements Sink<T> {
        private static final long serialVersionUID = 1L;
        static volatile CountDownLatch LATCH = new CountDownLatch(1);
        private final String marker;

        MarkerSink(String marker) {
            this.marker = marker;
        }

        @Override
        @SuppressWarnings("deprecation")
        public SinkWriter<T> createWriter(InitContext context) {
            return new SinkWriter<T>() {
                @Override
                public void write(T element, Context context) {
                    if (String.valueOf(element).contains(marker)) {
                        LATCH.countDown();
                    }
                }

                @Override
                public void flush(boolean endOfInput) {}

                @Override
                public void close() {}
            };
        }
    }

    /** Pre-parsed events straight from the generator (no JSON), bounded. */
    static final class GeneratorSource implements SourceFunction<ParsedRecord> {
        private static final long serialVersionUID = 1L;
        private final long cases;
        private final long seed;
        private volatile boolean running = true;

        GeneratorSource(long cases, long seed) {
            this.cases = cases;
            this.seed = seed;
        }

        @Override
        public void run(SourceContext<ParsedRecord> ctx) {
            WorkloadGenerator g = new WorkloadGenerator(
                    new WorkloadGenerator.Settings().cases(cases).seed(seed), true);
            while (running && g.hasNext()) {
                WorkloadGenerator.Line l = g.next();
                ParsedRecord r = l.event != null
                        ? ParsedRecord.ofEvent(l.event)
                        : new io.flightcontroller.adapters.parse.EventParser().parse(l.json);
                ctx.collect(r);
            }
        }

        @Override
        public void cancel() {
            running = false;
        }
    }

    /**
     * For the state measurement: emits a workload, then a marker case ({@code marker}: requested then assigned 1 ms
     * later) and two later events (two cases) that move the watermark past it by {@code advanceMs}, then stays alive (so state is
     * kept) until {@link #RELEASE} is counted down.
     */
    static final class HoldingSource implements SourceFunction<ParsedRecord> {
        private static final long serialVersionUID = 1L;
        static volatile CountDownLatch RELEASE = new CountDownLatch(1);
        static final AtomicLong EMITTED = new AtomicLong();
        private final long cases;
        private final double neverCompletes;
        private final long advanceMs;
        private volatile boolean running = true;

        HoldingSource(long cases, double neverCompletes, long advanceMs) {
            this.cases = cases;
            this.neverCompletes = neverCompletes;
            this.advanceMs = advanceMs;
        }

        @Override
        public void run(SourceContext<ParsedRecord> ctx) throws Exception {
            WorkloadGenerator.Settings s =
                    new WorkloadGenerator.Settings().cases(cases).seed(7);
            s.neverCompletes = neverCompletes;
            s.duplicates = 0;
            s.malformed = 0;
            s.meanInterArrivalMs = 10;
            // short lead times: every case ends within minutes of its start, so "within retention" really is
            s.assignMedianMs = 60_000;
            s.assignSigma = 0.5;
            s.createMedianMs = 60_000;
            s.createSigma = 0.5;
            WorkloadGenerator g = new WorkloadGenerator(s, true);
            long max = s.startMs;
            while (running && g.hasNext()) {
                ProcessEvent e = g.next().event;
                max = Math.max(max, e.getTimeMs());
                ctx.collect(ParsedRecord.ofEvent(e));
                EMITTED.incrementAndGet();
            }
            Map<String, Object> p = new LinkedHashMap<>();
            ctx.collect(ParsedRecord.ofEvent(ProcessEvent.of(null, "marker", WorkloadGenerator.REQUESTED, max + 1, p)));
            ctx.collect(ParsedRecord.ofEvent(ProcessEvent.of(null, "marker", WorkloadGenerator.ASSIGNED, max + 2, p)));
            // two cases at two times: the watermark's corroborated clock moves past a jump only once k = 2
            // consecutive arrivals of different cases are at or after it (one advancing event never moved it)
            long advanceTo = max + 2 + Math.max(10_000, advanceMs);
            ctx.collect(ParsedRecord.ofEvent(ProcessEvent.of(null, "advance", "unused_type", advanceTo, p)));
            ctx.collect(ParsedRecord.ofEvent(ProcessEvent.of(null, "advance-2", "unused_type", advanceTo + 1, p)));
            while (running && !RELEASE.await(100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                // hold the job (and its state) until released
            }
        }

        @Override
        public void cancel() {
            running = false;
        }
    }
}
