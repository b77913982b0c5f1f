package io.flightcontroller.serialization;

import static org.assertj.core.api.Assertions.assertThat;

import io.flightcontroller.domain.event.ProcessEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * One serializer instance is shared by threads (Flink treats a {@code TypeSerializerSingleton} as stateless: the
 * serializer of a static state descriptor serves every subtask in the JVM, and the heap state backend copies state
 * with it on each task thread while a checkpoint runs).
 */
class VersionedSerializerThreadsTest {

    @Test
    void oneInstanceCopiesEachThreadsRecordsIntactWhileOthersCopyTheirs() throws Exception {
        DomainSerializers.ProcessEventSerializer shared = new DomainSerializers.ProcessEventSerializer();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Long>> wrong = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                String id = "case-of-thread-" + t;
                wrong.add(pool.submit(() -> {
                    long bad = 0;
                    for (int i = 0; i < 50_000; i++) {
                        ProcessEvent e = new ProcessEvent();
                        e.setCorrelationId(id);
                        e.setEventType("ticket_opened");
                        e.setTimeMs(i);
                        try {
                            ProcessEvent c = shared.copy(e);
                            if (!id.equals(c.getCorrelationId()) || c.getTimeMs() != i) {
                                bad++;
                            }
                        } catch (RuntimeException garbled) {
                            bad++;
                        }
                    }
                    return bad;
                }));
            }
            for (Future<Long> f : wrong) {
                assertThat(f.get())
                        .as("copies that came back with another thread's record or garbled")
                        .isZero();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
