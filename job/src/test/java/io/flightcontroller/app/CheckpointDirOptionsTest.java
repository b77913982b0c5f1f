package io.flightcontroller.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code run --checkpoint-dir / --checkpoint-interval}: what is refused, before any job starts, on one line. */
class CheckpointDirOptionsTest {
    @TempDir
    Path dir;

    private String[] err = new String[1];

    private int run(String... extra) {
        StringWriter w = new StringWriter();
        CommandLine cl = FlightControllerCli.commandLine();
        cl.setErr(new PrintWriter(w));
        String[] args = new String[6 + extra.length];
        args[0] = "run";
        args[1] = "--measures";
        args[2] = FlightControllerCliTest.repo("job/src/main/resources/measures.yaml")
                .toString();
        args[3] = "--input";
        args[4] = FlightControllerCliTest.repo("sample-data/events.jsonl").toString();
        args[5] = "--out-dir=" + dir.resolve("out");
        System.arraycopy(extra, 0, args, 6, extra.length);
        int code = cl.execute(args);
        err[0] = w.toString().trim();
        return code;
    }

    @Test
    void anIntervalWithoutAFolderIsRefusedNamingTheInterval() {
        assertThat(run("--checkpoint-interval", "PT5S")).isEqualTo(CliErrors.USAGE);
        assertThat(err[0]).isEqualTo("flight-controller run: --checkpoint-interval PT5S: needs --checkpoint-dir");
    }

    @Test
    void anIntervalBelowFlinksSmallestIsRefused() {
        assertThat(run("--checkpoint-dir", dir.resolve("c").toString(), "--checkpoint-interval", "PT0.005S"))
                .isEqualTo(CliErrors.USAGE);
        assertThat(err[0])
                .isEqualTo("flight-controller run: --checkpoint-interval PT0.005S: must be at least 10 ms"
                        + " (Flink's smallest interval)");
    }

    @Test
    void aFolderWithCheckpointsNoRunDescribesIsRefusedNotCleared() throws Exception {
        Path c = dir.resolve("c");
        Path foreign = Files.createDirectories(c.resolve("checkpoints")).resolve("keep-me.txt");
        Files.write(foreign, new byte[] {1});
        assertThat(run("--checkpoint-dir", c.toString())).isEqualTo(CliErrors.USAGE);
        assertThat(err[0])
                .startsWith("flight-controller run: --checkpoint-dir " + c.toAbsolutePath()
                        + ": has checkpoints/ or savepoints/ that no run.properties describes")
                .doesNotContain("\n");
        assertThat(foreign).exists();
    }

    @Test
    void aFolderAnotherRunUsesIsRefused() throws Exception {
        Path c = Files.createDirectories(dir.resolve("c"));
        try (FileChannel ch = FileChannel.open(
                        c.resolve(LocalCheckpoints.LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock held = ch.lock()) {
            assertThat(run("--checkpoint-dir", c.toString())).isEqualTo(CliErrors.USAGE);
        }
        assertThat(err[0])
                .isEqualTo("flight-controller run: --checkpoint-dir " + c.toAbsolutePath()
                        + ": another run is using this folder");
    }
}
