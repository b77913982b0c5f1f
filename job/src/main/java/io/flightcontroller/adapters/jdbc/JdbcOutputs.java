package io.flightcontroller.adapters.jdbc;

import io.flightcontroller.domain.event.DeadLetter;
import io.flightcontroller.domain.measure.MeasureKind;
import io.flightcontroller.domain.result.Alert;
import io.flightcontroller.domain.result.ErrorBudget;
import io.flightcontroller.domain.result.Measurement;
import io.flightcontroller.domain.result.OpenCase;
import io.flightcontroller.domain.result.WindowAggregate;
import org.apache.flink.connector.jdbc.JdbcConnectionOptions;
import org.apache.flink.connector.jdbc.JdbcExecutionOptions;
import org.apache.flink.connector.jdbc.JdbcStatementBuilder;
import org.apache.flink.connector.jdbc.core.datastream.sink.JdbcSink;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * Attaches the JDBC sinks (flink-connector-jdbc's Sink V2 {@link JdbcSink}, at-least-once with idempotent upserts) for
 * every output of the topology to one database. Batches of up to 1,000 rows, flushed at least every 200 ms, on each
 * checkpoint and at end of input, each batch one transaction ({@link BatchCommitConnectionProvider}); 3 retries per
 * batch. SQLite allows one writer at a time, so for a {@code jdbc:sqlite:}
 * URL every sink runs at parallelism 1 and the connection waits up to 60 s for the file lock.
 */
public final class JdbcOutputs {
    private JdbcOutputs() {}

    /**
     * Adds SQLite settings to a {@code jdbc:sqlite:} URL that does not set them: a 60 s wait for the file lock
     * ({@code busy_timeout}), write-ahead logging ({@code journal_mode=WAL}) and {@code synchronous=NORMAL} (in WAL mode
     * a commit no longer waits for an fsync; the database stays consistent, a power loss may lose the last commits,
     * which a replay rewrites). Each batch of the sinks is one commit ({@link BatchCommitConnectionProvider}); with
     * SQLite's default rollback journal each commit would also sync the file twice.
     * Other URLs are returned unchanged.
     *
     * @param url JDBC URL
     * @return the URL to connect with
     */
    public static String effectiveUrl(String url) {
        if (!url.startsWith("jdbc:sqlite:")) {
            return url;
        }
        StringBuilder u = new StringBuilder(url);
        for (String[] p :
                new String[][] {{"busy_timeout", "60000"}, {"journal_mode", "WAL"}, {"synchronous", "NORMAL"}}) {
            if (!url.contains(p[0] + "=")) {
                u.append(u.indexOf("?") < 0 ? '?' : '&')
                        .append(p[0])
                        .append('=')
                        .append(p[1]);
            }
        }
        return u.toString();
    }

    /**
     * Attaches one sink per table: lead-time measurements to {@code lead_times}, the other measurements to
     * {@code measurements}, and alerts, window aggregates, error budgets, open cases and dead letters to their tables.
     *
     * @param url database URL, already passed through {@link #effectiveUrl} (tables must exist:
     *     {@link JdbcTables#createIfMissing})
     * @param measurements leads, counts and values
     * @param alerts alerts
     * @param aggregates window aggregates
     * @param errorBudgets error budget snapshots
     * @param openCases open cases at end of input
     * @param deadLetters dead letters
     */
    public static void attach(
            String url,
            DataStream<Measurement> measurements,
            DataStream<Alert> alerts,
            DataStream<WindowAggregate> aggregates,
            DataStream<ErrorBudget> errorBudgets,
            DataStream<OpenCase> openCases,
            DataStream<DeadLetter> deadLetters) {
        boolean sqlite = url.startsWith("jdbc:sqlite:");
        sink(
                measurements
                        .filter(m -> m.getKind() == MeasureKind.LEAD_TIME)
                        .name("lead times only")
                        .uid("jdbc-lead-times-filter"),
                "lead_times",
                JdbcTables.LEAD_TIMES_SQL,
                JdbcTables.LEAD_TIMES,
                url,
                sqlite);
        sink(
                measurements
                        .filter(m -> m.getKind() != MeasureKind.LEAD_TIME)
                        .name("other measurements")
                        .uid("jdbc-measurements-filter"),
                "measurements",
                JdbcTables.MEASUREMENTS_SQL,
                JdbcTables.MEASUREMENTS,
                url,
                sqlite);
        sink(alerts, "alerts", JdbcTables.ALERTS_SQL, JdbcTables.ALERTS, url, sqlite);
        sink(aggregates, "window_aggregates", JdbcTables.AGGREGATES_SQL, JdbcTables.AGGREGATES, url, sqlite);
        sink(errorBudgets, "error_budgets", JdbcTables.BUDGETS_SQL, JdbcTables.BUDGETS, url, sqlite);
        sink(openCases, "open_cases", JdbcTables.OPEN_CASES_SQL, JdbcTables.OPEN_CASES, url, sqlite);
        // one writer: two identical records rejected twice share one dead_letter_id, and their rows must land in the
        // order they were rejected (round-robin over parallel writers would make the last writer random)
        sink(deadLetters, "dead_letters", JdbcTables.DEAD_LETTERS_SQL, JdbcTables.DEAD_LETTERS, url, true);
    }

    /**
     * The sinks' connection options: the URL and the class name of the bundled driver that takes it. With a driver
     * name, flink-connector-jdbc's {@code SimpleJdbcConnectionProvider} loads the driver through the task's context
     * class loader (the job's) instead of asking {@code DriverManager}, which only offers drivers registered from the
     * class loader of the first job that ran in the TaskManager (see {@link JdbcConnections}).
     *
     * @param url JDBC URL, as given to the sinks
     * @return connection options
     * @throws IllegalArgumentException when no bundled driver takes the URL
     */
    static JdbcConnectionOptions connectionOptions(String url) {
        String driver;
        try {
            driver = JdbcConnections.driverClassName(url);
        } catch (java.sql.SQLException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        return new JdbcConnectionOptions.JdbcConnectionOptionsBuilder()
                .withUrl(url)
                .withDriverName(driver)
                .build();
    }

    private static <T> void sink(
            DataStream<T> stream,
            String table,
            String sql,
            JdbcStatementBuilder<T> binder,
            String url,
            boolean sqlite) {
        JdbcSink<T> sink = JdbcSink.<T>builder()
                .withQueryStatement(sql, binder)
                .withExecutionOptions(JdbcExecutionOptions.builder()
                        .withBatchSize(1000)
                        .withBatchIntervalMs(200)
                        .withMaxRetries(3)
                        .build())
                .buildAtLeastOnce(new BatchCommitConnectionProvider(connectionOptions(url)));
        org.apache.flink.streaming.api.datastream.DataStreamSink<T> s =
                stream.sinkTo(sink).name("jdbc " + table).uid("jdbc-" + table);
        if (sqlite) {
            s.setParallelism(1);
        }
    }
}
