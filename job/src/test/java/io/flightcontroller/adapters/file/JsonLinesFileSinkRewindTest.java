package io.flightcontroller.adapters.file;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.List;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file sink of local runs restored from a checkpoint: the file ends as if the job had never been interrupted. */
class JsonLinesFileSinkRewindTest {
    @TempDir
    Path dir;

    private static void write(SinkWriter<String> w, String... lines) throws Exception {
        for (String l : lines) {
            w.write(l, null);
        }
    }

    @Test
    void aRestoredWriterCutsWhatTheInterruptedJobWroteAfterItsCheckpoint() throws Exception {
        Path file = dir.resolve("alerts.jsonl");
        JsonLinesFileSink<String> sink = new JsonLinesFileSink<>(file, s -> s);
        StatefulSinkWriter<String, Long> w = sink.restoreWriter(null, Collections.emptyList());
        write(w, "{\"alert_id\":\"a\"}", "{\"alert_id\":\"b\"}");
        w.flush(false); // the checkpoint's flush, then its state
        List<Long> state = w.snapshotState(1);
        write(w, "{\"alert_id\":\"c\"}", "{\"alert_id\":\"d\"}");
        w.flush(false); // flushed by the next checkpoint, which never completed
        w.close();
        Files.write(file, "{\"alert_id\":\"e".getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);

        StatefulSinkWriter<String, Long> resumed = sink.restoreWriter(null, state);
        assertThat(JsonLinesFileSink.rewind(file).get().lines()).isEqualTo(3); // c, d and the half line
        write(resumed, "{\"alert_id\":\"c\"}", "{\"alert_id\":\"d\"}", "{\"alert_id\":\"e\"}");
        resumed.flush(true);
        resumed.close();
        assertThat(Files.readAllLines(file))
                .containsExactly(
                        "{\"alert_id\":\"a\"}",
                        "{\"alert_id\":\"b\"}",
                        "{\"alert_id\":\"c\"}",
                        "{\"alert_id\":\"d\"}",
                        "{\"alert_id\":\"e\"}");
    }

    @Test
    void restoredWithoutARecordedLengthOnlyAHalfLineIsCut() throws Exception {
        Path file = dir.resolve("dead-letters.jsonl");
        Files.write(file, "{\"n\":1}\n{\"n\":2}\n{\"n\"".getBytes(StandardCharsets.UTF_8));
        JsonLinesFileSink<String> sink = new JsonLinesFileSink<>(file, s -> s);
        StatefulSinkWriter<String, Long> w = sink.restoreWriter(null, Collections.emptyList());
        assertThat(JsonLinesFileSink.rewind(file).get().lines()).isEqualTo(1);
        write(w, "{\"n\":3}");
        w.close();
        assertThat(Files.readAllLines(file)).containsExactly("{\"n\":1}", "{\"n\":2}", "{\"n\":3}");
    }

    @Test
    void aFileShorterThanAtTheCheckpointIsAppendedToAsItIs() throws Exception {
        Path file = dir.resolve("alerts.jsonl");
        Files.write(file, "{\"n\":1}\n".getBytes(StandardCharsets.UTF_8));
        JsonLinesFileSink<String> sink = new JsonLinesFileSink<>(file, s -> s);
        StatefulSinkWriter<String, Long> w = sink.restoreWriter(null, Collections.singletonList(1_000L));
        assertThat(JsonLinesFileSink.rewind(file).get().bytes()).isZero();
        write(w, "{\"n\":2}");
        assertThat(w.snapshotState(2)).containsExactly((long) "{\"n\":1}\n{\"n\":2}\n".length());
        w.close();
        assertThat(Files.readAllLines(file)).containsExactly("{\"n\":1}", "{\"n\":2}");
    }
}
