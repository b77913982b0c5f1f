package io.flightcontroller.benchmark;

import com.espertech.esper.common.client.EPCompiled;
import com.espertech.esper.common.client.configuration.Configuration;
import com.espertech.esper.compiler.client.CompilerArguments;
import com.espertech.esper.compiler.client.EPCompilerProvider;
import com.espertech.esper.runtime.client.EPDeployment;
import com.espertech.esper.runtime.client.EPEventService;
import com.espertech.esper.runtime.client.EPRuntime;
import com.espertech.esper.runtime.client.EPRuntimeProvider;
import com.espertech.esper.runtime.client.EPStatement;
import io.flightcontroller.domain.event.ProcessEvent;

/**
 * The same matching as the two default measures, in Esper EPL: per correlation id, a start followed by its end within
 * the 7-day timeout (or a timeout), duplicate starts ignored for 8 days, on event time: the runtime's clock is external
 * and is advanced to (largest event time - out-of-orderness), which is what the Flink watermark does; at the end of the
 * input it is advanced to the largest event time (like Flight Controller's end-of-input cap).
 */
final class EsperMatcher implements AutoCloseable {
    private static final String PATTERN = "select a.correlationId as id, a.timeMs as startMs, b.timeMs as endMs "
            + "from pattern [every-distinct(a.correlationId, 8 days) a=ProcessEvent(eventType='project_requested') "
            + "-> (b=ProcessEvent(eventType='%s', correlationId=a.correlationId) or timer:interval(7 days))];\n";
    private static int instances;

    private final EPRuntime runtime;
    private final EPEventService events;
    private final long outOfOrdernessMs;
    private long clock = Long.MIN_VALUE;
    private long maxTime = Long.MIN_VALUE;
    long matched;
    long timedOut;
    long leadSum;

    EsperMatcher(long outOfOrdernessMs) throws Exception {
        this.outOfOrdernessMs = outOfOrdernessMs;
        Configuration cfg = new Configuration();
        cfg.getCommon().addEventType("ProcessEvent", ProcessEvent.class);
        cfg.getRuntime().getThreading().setInternalTimerEnabled(false);
        String epl = "@name('assigned') " + String.format(PATTERN, WorkloadGenerator.ASSIGNED) + "@name('created') "
                + String.format(PATTERN, WorkloadGenerator.CREATED);
        EPCompiled compiled = EPCompilerProvider.getCompiler().compile(epl, new CompilerArguments(cfg));
        runtime = EPRuntimeProvider.getRuntime("flight-controller-bench-" + (instances++), cfg);
        runtime.initialize();
        events = runtime.getEventService();
        events.clockExternal();
        events.advanceTime(0);
        EPDeployment d = runtime.getDeploymentService().deploy(compiled);
        for (EPStatement st : d.getStatements()) {
            st.addListener((newEvents, oldEvents, statement, rt) -> {
                for (com.espertech.esper.common.client.EventBean b : newEvents) {
                    Object end = b.get("endMs");
                    if (end == null) {
                        timedOut++;
                    } else {
                        matched++;
                        leadSum += (Long) end - (Long) b.get("startMs");
                    }
                }
            });
        }
    }

    void send(ProcessEvent e) {
        long t = e.getTimeMs();
        if (t > maxTime) {
            maxTime = t;
            long wm = t - outOfOrdernessMs - 1;
            if (wm > clock) {
                clock = wm;
                events.advanceTime(wm);
            }
        }
        events.sendEventBean(e, "ProcessEvent");
    }

    /** End of input: fire deadlines up to the largest event time. */
    void finish() {
        if (maxTime > clock) {
            clock = maxTime;
            events.advanceTime(maxTime);
        }
    }

    @Override
    public void close() {
        runtime.destroy();
    }
}
