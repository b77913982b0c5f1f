package io.flightcontroller.app;

import io.flightcontroller.adapters.parse.MeasuresYaml;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code report}: the notebooks run on a results database, as one HTML page ({@link NotebookReport}). */
@Command(
        name = "report",
        mixinStandardHelpOptions = true,
        description = "Run the notebooks (lead times, SLOs, process, data quality) on a results database and write "
                + "one HTML page. Needs Debian's jupyter-nbconvert, python3-pandas, python3-matplotlib, "
                + "python3-nbformat, python3-ipykernel, python3-yaml (and python3-psycopg2 for PostgreSQL).")
final class ReportCommand implements Callable<Integer> {
    @Option(
            names = "--db",
            defaultValue = "flight-controller-out/flight-controller.db",
            description = "results database: SQLite file or jdbc:sqlite: URL, or a PostgreSQL URL "
                    + "(postgresql://... or jdbc:postgresql://...) (default: ${DEFAULT-VALUE}, the output of run)")
    String db;

    @Option(
            names = "--measures",
            description = "measures YAML file, for SLO thresholds, objectives and burn-rate rules")
    Path measures;

    @Option(
            names = {"-o", "--output"},
            required = true,
            description = "the HTML page to write")
    Path output;

    @Option(names = "--notebooks", description = "notebooks folder (default: notebooks/ of this repository)")
    Path notebooks;

    @Option(
            names = "--jupyter",
            description = "jupyter executable (default: /usr/bin/jupyter, else jupyter on the PATH)")
    String jupyter;

    @Option(names = "--with-code", description = "keep the notebooks' code in the page")
    boolean withCode;

    @Option(
            names = "--timeout",
            defaultValue = "PT10M",
            description = "longest run of the notebooks, ISO-8601 (default: ${DEFAULT-VALUE})")
    Duration timeout;

    @Override
    public Integer call() throws Exception {
        if (measures != null) {
            MeasuresYaml.read(measures); // a broken file is reported with the measure and field, before jupyter runs
        }
        NotebookReport.Settings s = new NotebookReport.Settings();
        s.db = db;
        s.measures = measures;
        s.output = output;
        s.notebooks = notebooks;
        s.jupyter = jupyter;
        s.withCode = withCode;
        s.timeout = timeout;
        List<Path> books = NotebookReport.write(s);
        System.out.printf(
                "report: %s (%,d bytes) from %d notebooks on %s%n",
                output.toAbsolutePath(), Files.size(output), books.size(), db);
        return 0;
    }
}
