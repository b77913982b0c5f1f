package io.flightcontroller.benchmark;

import io.flightcontroller.adapters.parse.EventParser;
import io.flightcontroller.domain.event.ParsedRecord;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** JMH: parse-only rate of {@link EventParser} on generated lines (one line per invocation, cycling 4,096 lines). */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ParseBenchmark {
    private String[] lines;
    private EventParser parser;
    private int i;

    @Setup
    public void setup() {
        WorkloadGenerator g = new WorkloadGenerator(new WorkloadGenerator.Settings().cases(2_000), false);
        lines = new String[4096];
        for (int k = 0; k < lines.length && g.hasNext(); k++) {
            lines[k] = g.next().json;
        }
        parser = new EventParser();
    }

    @Benchmark
    public ParsedRecord parse() {
        String l = lines[i++ & 4095];
        return parser.parse(l);
    }
}
