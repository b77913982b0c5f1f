package io.flightcontroller.app;

import io.flightcontroller.adapters.grafana.GrafanaDashboards;
import io.flightcontroller.adapters.parse.MeasuresYaml;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dashboards}: Grafana dashboard JSON generated from the measures file ({@link GrafanaDashboards}), one
 * overview and one dashboard per measure, for the Timestream or the InfluxDB 3 (SQL) metric sink.
 */
@Command(
        name = "dashboards",
        mixinStandardHelpOptions = true,
        description = "Write Grafana dashboards (JSON, one overview and one per measure) over the records the "
                + "Timestream or InfluxDB metric sink writes, generated from the measures file. Import them in "
                + "Grafana (Dashboards > New > Import) and pick the data source.")
final class DashboardsCommand implements Callable<Integer> {
    @Option(names = "--measures", required = true, description = "measures YAML file")
    Path measures;

    @Option(
            names = "--datasource",
            required = true,
            description =
                    "timestream (Amazon Timestream plugin) or influxdb (InfluxDB 3 SQL, e.g. Timestream for InfluxDB)")
    String datasource;

    @Option(
            names = {"-o", "--output"},
            required = true,
            description = "folder for the dashboard JSON files")
    Path output;

    @Option(
            names = "--timestream-database",
            defaultValue = GrafanaDashboards.DEFAULT_TIMESTREAM_DATABASE,
            description = "default of the dashboards' database variable (default: ${DEFAULT-VALUE})")
    String timestreamDatabase;

    @Option(
            names = "--timestream-table",
            defaultValue = GrafanaDashboards.DEFAULT_TIMESTREAM_TABLE,
            description = "default of the dashboards' table variable (default: ${DEFAULT-VALUE})")
    String timestreamTable;

    @Override
    public Integer call() throws Exception {
        GrafanaDashboards.Datasource ds = GrafanaDashboards.Datasource.parse(datasource);
        List<Path> files = new GrafanaDashboards(MeasuresYaml.read(measures), ds, timestreamDatabase, timestreamTable)
                .write(output);
        System.out.printf("dashboards (%s): %d files in %s%n", ds.id(), files.size(), output.toAbsolutePath());
        for (Path f : files) {
            System.out.println("  " + f.getFileName());
        }
        return 0;
    }
}
