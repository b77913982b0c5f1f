package io.flightcontroller.adapters.jdbc;

import io.flightcontroller.adapters.json.Json;
import io.flightcontroller.domain.event.DeadLetter;
import io.flightcontroller.domain.event.EventTimes;
import io.flightcontroller.domain.result.Alert;
import io.flightcontroller.domain.result.ErrorBudget;
import io.flightcontroller.domain.result.Measurement;
import io.flightcontroller.domain.result.OpenCase;
import io.flightcontroller.domain.result.WindowAggregate;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.apache.flink.connector.jdbc.JdbcStatementBuilder;

/**
 * The database schema of Flight Controller's results and the statements that upsert into it. The SQL is portable
 * between SQLite (3.24+) and PostgreSQL (9.5+): {@code TEXT}, {@code BIGINT}, {@code INTEGER}, {@code SMALLINT},
 * {@code DOUBLE PRECISION} columns, times as ISO-8601 UTC text, and {@code INSERT ... ON CONFLICT (key) DO UPDATE}
 * upserts, so a re-run of the same input gives the same tables.
 *
 * <p>Tables (primary keys in brackets): {@code lead_times} [measure, case_key, cycle], {@code measurements} (other
 * kinds) [measure, case_key, seq], {@code alerts} [alert_id], {@code window_aggregates} [measure, window,
 * window_start], {@code error_budgets} [measure, time], {@code open_cases} [measure, case_key], {@code dead_letters}
 * [dead_letter_id: SHA-256 of stage, reason and raw content, so identical bad records share one row while the
 * counters count each].
 */
public final class JdbcTables {
    private JdbcTables() {}

    /** DDL, one statement each. */
    public static final List<String> DDL = Collections.unmodifiableList(Arrays.asList(
            "CREATE TABLE IF NOT EXISTS lead_times (measure TEXT NOT NULL, case_key TEXT NOT NULL, cycle INTEGER NOT NULL,"
                    + " correlation_id TEXT, start_time TEXT NOT NULL, end_time TEXT NOT NULL, duration_ms BIGINT NOT NULL,"
                    + " good SMALLINT, late SMALLINT NOT NULL, after_timeout SMALLINT NOT NULL, dimensions TEXT,"
                    + " PRIMARY KEY (measure, case_key, cycle))",
            "CREATE TABLE IF NOT EXISTS measurements (measure TEXT NOT NULL, kind TEXT NOT NULL, case_key TEXT NOT NULL,"
                    + " seq INTEGER NOT NULL, correlation_id TEXT, start_time TEXT NOT NULL, end_time TEXT NOT NULL,"
                    + " value DOUBLE PRECISION NOT NULL, max_value DOUBLE PRECISION, late SMALLINT NOT NULL,"
                    + " dimensions TEXT, PRIMARY KEY (measure, case_key, seq))",
            "CREATE TABLE IF NOT EXISTS alerts (alert_id TEXT PRIMARY KEY, kind TEXT NOT NULL, severity TEXT,"
                    + " measure TEXT NOT NULL, case_key TEXT, correlation_id TEXT, start_time TEXT, deadline TEXT,"
                    + " observed_lead_ms BIGINT, burn_rate DOUBLE PRECISION, objective DOUBLE PRECISION, subject TEXT,"
                    + " missing_step TEXT)",
            "CREATE TABLE IF NOT EXISTS window_aggregates (measure TEXT NOT NULL, \"window\" TEXT NOT NULL,"
                    + " window_start TEXT NOT NULL, window_end TEXT NOT NULL, completed BIGINT NOT NULL, good BIGINT NOT NULL,"
                    + " bad BIGINT NOT NULL, compliance DOUBLE PRECISION, p50_ms DOUBLE PRECISION, p90_ms DOUBLE PRECISION,"
                    + " p95_ms DOUBLE PRECISION, p99_ms DOUBLE PRECISION, PRIMARY KEY (measure, \"window\", window_start))",
            "CREATE TABLE IF NOT EXISTS error_budgets (measure TEXT NOT NULL, time TEXT NOT NULL, \"window\" TEXT NOT NULL,"
                    + " events BIGINT NOT NULL, good BIGINT NOT NULL, bad BIGINT NOT NULL, budget DOUBLE PRECISION NOT NULL,"
                    + " remaining_fraction DOUBLE PRECISION, burn_rate DOUBLE PRECISION, PRIMARY KEY (measure, time))",
            "CREATE TABLE IF NOT EXISTS open_cases (measure TEXT NOT NULL, case_key TEXT NOT NULL, correlation_id TEXT,"
                    + " start_time TEXT NOT NULL, age_ms BIGINT NOT NULL, PRIMARY KEY (measure, case_key))",
            "CREATE TABLE IF NOT EXISTS dead_letters (dead_letter_id TEXT PRIMARY KEY, stage TEXT NOT NULL,"
                    + " reason TEXT NOT NULL, detail TEXT, correlation_id TEXT, event_time TEXT, raw TEXT)"));

    /**
     * Columns added after a table was first released: {table, column, type}. {@code CREATE TABLE IF NOT EXISTS} leaves
     * an existing table as it is, so {@link #createIfMissing} adds each one a database lacks.
     */
    static final List<String[]> ADDED_COLUMNS =
            Collections.unmodifiableList(Collections.singletonList(new String[] {"alerts", "missing_step", "TEXT"}));

    /**
     * Creates the tables that do not exist yet and adds the columns of {@link #ADDED_COLUMNS} to tables that lack
     * them ({@code ALTER TABLE ... ADD COLUMN}, the same SQL on SQLite and PostgreSQL).
     *
     * @param jdbcUrl database URL
     * @throws SQLException when the database cannot be reached or a statement fails
     */
    public static void createIfMissing(String jdbcUrl) throws SQLException {
        try (Connection c = JdbcConnections.open(jdbcUrl);
                Statement s = c.createStatement()) {
            for (String ddl : DDL) {
                s.execute(ddl);
            }
            for (String[] added : ADDED_COLUMNS) {
                if (!hasColumn(s, added[0], added[1])) {
                    s.execute("ALTER TABLE " + added[0] + " ADD COLUMN " + added[1] + " " + added[2]);
                }
            }
        }
    }

    /** Probes the column with a query that reads no row (portable, unlike the catalogues of the two databases). */
    private static boolean hasColumn(Statement s, String table, String column) {
        try {
            s.executeQuery("SELECT " + column + " FROM " + table + " WHERE 1 = 0")
                    .close();
            return true;
        } catch (SQLException e) {
            return false; // the column does not exist (autocommit: the failed statement leaves no transaction open)
        }
    }

    /** The result tables, in creation order. */
    public static final List<String> TABLES = Collections.unmodifiableList(Arrays.asList(
            "lead_times",
            "measurements",
            "alerts",
            "window_aggregates",
            "error_budgets",
            "open_cases",
            "dead_letters"));

    /**
     * Empties every result table, so that what a bounded run leaves is exactly this run's result (its summary then
     * counts this run only, and a re-run of the same input gives the same tables).
     *
     * @param jdbcUrl database URL
     * @throws SQLException on failure
     */
    public static void clearAll(String jdbcUrl) throws SQLException {
        try (Connection c = JdbcConnections.open(jdbcUrl);
                Statement s = c.createStatement()) {
            for (String t : TABLES) {
                s.execute("DELETE FROM " + t);
            }
        }
    }

    /** The column {@code window}, quoted: WINDOW is a reserved word in PostgreSQL (not in SQLite). */
    static final String WINDOW = "\"window\"";

    static String upsert(String table, List<String> columns, List<String> key) {
        StringBuilder sb = new StringBuilder("INSERT INTO ")
                .append(table)
                .append(" (")
                .append(String.join(", ", columns))
                .append(") VALUES (");
        for (int i = 0; i < columns.size(); i++) {
            sb.append(i == 0 ? "?" : ", ?");
        }
        sb.append(") ON CONFLICT (").append(String.join(", ", key)).append(") DO UPDATE SET ");
        boolean first = true;
        for (String c : columns) {
            if (key.contains(c)) {
                continue;
            }
            sb.append(first ? "" : ", ").append(c).append(" = EXCLUDED.").append(c);
            first = false;
        }
        return sb.toString();
    }

    /** Upsert of lead-time measurements. */
    public static final String LEAD_TIMES_SQL = upsert(
            "lead_times",
            Arrays.asList(
                    "measure",
                    "case_key",
                    "cycle",
                    "correlation_id",
                    "start_time",
                    "end_time",
                    "duration_ms",
                    "good",
                    "late",
                    "after_timeout",
                    "dimensions"),
            Arrays.asList("measure", "case_key", "cycle"));

    /** Binds a lead-time measurement. */
    public static final JdbcStatementBuilder<Measurement> LEAD_TIMES = (ps, m) -> {
        ps.setString(1, m.getMeasure());
        ps.setString(2, m.getCaseKey());
        ps.setInt(3, m.getCycle());
        ps.setString(4, m.getCorrelationId());
        ps.setString(5, EventTimes.iso(m.getStartMs()));
        ps.setString(6, EventTimes.iso(m.getEndMs()));
        ps.setLong(7, m.valueAsLong());
        setBool(ps, 8, m.getGood());
        ps.setInt(9, m.isLate() ? 1 : 0);
        ps.setInt(10, m.isAfterTimeout() ? 1 : 0);
        ps.setString(11, m.getDimensions().isEmpty() ? null : Json.line(m.getDimensions()));
    };

    /** Upsert of other measurements (cycle counts, counters, values). */
    public static final String MEASUREMENTS_SQL = upsert(
            "measurements",
            Arrays.asList(
                    "measure",
                    "kind",
                    "case_key",
                    "seq",
                    "correlation_id",
                    "start_time",
                    "end_time",
                    "value",
                    "max_value",
                    "late",
                    "dimensions"),
            Arrays.asList("measure", "case_key", "seq"));

    /** Binds a measurement of kind cycle_count, counter or value. */
    public static final JdbcStatementBuilder<Measurement> MEASUREMENTS = (ps, m) -> {
        ps.setString(1, m.getMeasure());
        ps.setString(2, m.getKind() == null ? null : m.getKind().yamlName());
        ps.setString(3, m.getCaseKey());
        ps.setInt(4, m.getCycle());
        ps.setString(5, m.getCorrelationId());
        ps.setString(6, EventTimes.iso(m.getStartMs()));
        ps.setString(7, EventTimes.iso(m.getEndMs()));
        ps.setDouble(8, m.getValue());
        setDouble(ps, 9, m.getMaxValue());
        ps.setInt(10, m.isLate() ? 1 : 0);
        ps.setString(11, m.getDimensions().isEmpty() ? null : Json.line(m.getDimensions()));
    };

    /** Upsert of alerts. */
    public static final String ALERTS_SQL = upsert(
            "alerts",
            Arrays.asList(
                    "alert_id",
                    "kind",
                    "severity",
                    "measure",
                    "case_key",
                    "correlation_id",
                    "start_time",
                    "deadline",
                    "observed_lead_ms",
                    "burn_rate",
                    "objective",
                    "subject",
                    "missing_step"),
            Collections.singletonList("alert_id"));

    /** Binds an alert. */
    public static final JdbcStatementBuilder<Alert> ALERTS = (ps, a) -> {
        ps.setString(1, a.getAlertId());
        ps.setString(2, a.getKind().name());
        ps.setString(3, a.getSeverity() == null ? null : a.getSeverity().label());
        ps.setString(4, a.getMeasure());
        ps.setString(5, a.getCaseKey());
        ps.setString(6, a.getCorrelationId());
        ps.setString(7, EventTimes.iso(a.getStartMs()));
        ps.setString(8, EventTimes.iso(a.getDeadlineMs()));
        if (a.getObservedLeadMs() == null) {
            ps.setNull(9, Types.BIGINT);
        } else {
            ps.setLong(9, a.getObservedLeadMs());
        }
        setDouble(ps, 10, a.getBurnRate());
        setDouble(ps, 11, a.getObjective());
        ps.setString(12, a.getSubject());
        ps.setString(13, a.getMissingStep());
    };

    /** Upsert of window aggregates. */
    public static final String AGGREGATES_SQL = upsert(
            "window_aggregates",
            Arrays.asList(
                    "measure",
                    WINDOW,
                    "window_start",
                    "window_end",
                    "completed",
                    "good",
                    "bad",
                    "compliance",
                    "p50_ms",
                    "p90_ms",
                    "p95_ms",
                    "p99_ms"),
            Arrays.asList("measure", WINDOW, "window_start"));

    /** Binds a window aggregate. */
    public static final JdbcStatementBuilder<WindowAggregate> AGGREGATES = (ps, w) -> {
        ps.setString(1, w.getMeasure());
        ps.setString(2, w.getWindow());
        ps.setString(3, EventTimes.iso(w.getWindowStartMs()));
        ps.setString(4, EventTimes.iso(w.getWindowEndMs()));
        ps.setLong(5, w.getCompleted());
        ps.setLong(6, w.getGood());
        ps.setLong(7, w.getBad());
        setDouble(ps, 8, w.getCompliance());
        setDouble(ps, 9, w.getP50());
        setDouble(ps, 10, w.getP90());
        setDouble(ps, 11, w.getP95());
        setDouble(ps, 12, w.getP99());
    };

    /** Upsert of error budgets. */
    public static final String BUDGETS_SQL = upsert(
            "error_budgets",
            Arrays.asList(
                    "measure", "time", WINDOW, "events", "good", "bad", "budget", "remaining_fraction", "burn_rate"),
            Arrays.asList("measure", "time"));

    /** Binds an error budget. */
    public static final JdbcStatementBuilder<ErrorBudget> BUDGETS = (ps, b) -> {
        ps.setString(1, b.getMeasure());
        ps.setString(2, EventTimes.iso(b.getTimeMs()));
        ps.setString(3, b.getWindow());
        ps.setLong(4, b.getEvents());
        ps.setLong(5, b.getGood());
        ps.setLong(6, b.getBad());
        ps.setDouble(7, b.getBudget());
        setDouble(ps, 8, b.getRemainingFraction());
        setDouble(ps, 9, b.getBurnRate());
    };

    /** Upsert of open cases. */
    public static final String OPEN_CASES_SQL = upsert(
            "open_cases",
            Arrays.asList("measure", "case_key", "correlation_id", "start_time", "age_ms"),
            Arrays.asList("measure", "case_key"));

    /** Binds an open case. */
    public static final JdbcStatementBuilder<OpenCase> OPEN_CASES = (ps, o) -> {
        ps.setString(1, o.getMeasure());
        ps.setString(2, o.getCaseKey());
        ps.setString(3, o.getCorrelationId());
        ps.setString(4, EventTimes.iso(o.getStartMs()));
        ps.setLong(5, o.getAgeMs());
    };

    /** Upsert of dead letters. */
    public static final String DEAD_LETTERS_SQL = upsert(
            "dead_letters",
            Arrays.asList("dead_letter_id", "stage", "reason", "detail", "correlation_id", "event_time", "raw"),
            Collections.singletonList("dead_letter_id"));

    /** Binds a dead letter. */
    public static final JdbcStatementBuilder<DeadLetter> DEAD_LETTERS = (ps, d) -> {
        ps.setString(1, sha256(d.getStage() + '\u0001' + d.getReason() + '\u0001' + d.getRaw()));
        ps.setString(2, d.getStage());
        ps.setString(3, d.getReason());
        ps.setString(4, d.getDetail());
        ps.setString(5, d.getCorrelationId());
        ps.setString(6, d.getEventTimeMs() == null ? null : EventTimes.iso(d.getEventTimeMs()));
        ps.setString(7, d.getRaw());
    };

    private static void setBool(PreparedStatement ps, int i, Boolean b) throws SQLException {
        if (b == null) {
            ps.setNull(i, Types.SMALLINT);
        } else {
            ps.setInt(i, b ? 1 : 0);
        }
    }

    private static void setDouble(PreparedStatement ps, int i, Double d) throws SQLException {
        if (d == null) {
            ps.setNull(i, Types.DOUBLE);
        } else {
            ps.setDouble(i, d);
        }
    }

    static String sha256(String s) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            StringBuilder sb = new StringBuilder();
            for (byte b : h) {
                sb.append(String.format("%02x", b));
            }
            return sb.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
