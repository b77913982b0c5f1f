package io.flightcontroller.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.flightcontroller.adapters.parse.MeasuresYaml;
import io.flightcontroller.pipeline.PipelineOptions;
import io.flightcontroller.testing.LoopbackServers;
import io.flightcontroller.testing.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The notebooks read PostgreSQL too: the sample events run into a PostgreSQL 15 on loopback, the lead-times notebook
 * executed with {@code FC_DB} set to the JDBC URL prints the figures PostgreSQL holds. Skipped only when
 * {@code /usr/bin/jupyter} is missing.
 */
class NotebooksPostgresTest {
    @RegisterExtension
    static final PostgresServer POSTGRES = new PostgresServer();

    @TempDir
    Path dir;

    @Test
    void leadTimesNotebookReadsAPostgresqlUrl() throws Exception {
        NotebooksTest.assumeJupyter();
        Path root = LoopbackServers.repoRoot();
        Path measures = root.resolve("job/src/main/resources/measures.yaml");
        LocalRun.Settings s = new LocalRun.Settings();
        s.measures = MeasuresYaml.read(measures);
        s.inputs.add(root.resolve("sample-data/events.jsonl"));
        s.jdbcUrl = POSTGRES.jdbcUrl();
        s.pipeline = PipelineOptions.builder(s.measures);
        s.progress = false;
        LocalRun.run(s, null);

        Path book = NotebooksTest.NOTEBOOKS.resolve("lead-times.ipynb");
        ProcessBuilder pb = new ProcessBuilder(Arrays.asList(
                        NotebookReport.DEBIAN_JUPYTER.toString(),
                        "nbconvert",
                        "--to",
                        "notebook",
                        "--execute",
                        "--ExecutePreprocessor.timeout=300",
                        "--output-dir",
                        dir.toString(),
                        book.toString()))
                .directory(NotebooksTest.NOTEBOOKS.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("nbconvert.log").toFile());
        pb.environment().put("FC_DB", POSTGRES.jdbcUrl());
        pb.environment().put("FC_MEASURES", measures.toString());
        pb.environment().put("MPLCONFIGDIR", dir.resolve("mpl").toString());
        Process p = pb.start();
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue())
                .as(LoopbackServers.tail(dir.resolve("nbconvert.log")))
                .isZero();

        List<String> lines = new ArrayList<>();
        String database = null;
        for (JsonNode cell : NotebooksTest.JSON
                .readTree(dir.resolve("lead-times.ipynb").toFile())
                .path("cells")) {
            for (JsonNode o : cell.path("outputs")) {
                for (String line : NotebooksTest.text(o.path("text")).split("\n")) {
                    if (line.startsWith("figure: ")) {
                        lines.add(line);
                    } else if (line.startsWith("results database: ")) {
                        database = line;
                    }
                }
            }
        }
        assertThat(database).contains("jdbc:postgresql://127.0.0.1:" + POSTGRES.port());
        try (Connection c = DriverManager.getConnection(POSTGRES.jdbcUrl())) {
            NotebooksTest.checkFigures("lead-times.ipynb on PostgreSQL", lines, c);
            assertThat(NotebooksTest.labels(lines))
                    .containsAll(NotebooksTest.prefixed(
                            "lead ", NotebooksTest.strings(c, "SELECT DISTINCT measure FROM lead_times")));
        }
        assertThat(Files.size(dir.resolve("lead-times.ipynb"))).isPositive();
    }
}
