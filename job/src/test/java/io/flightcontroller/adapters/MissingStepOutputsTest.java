package io.flightcontroller.adapters;

import static org.assertj.core.api.Assertions.assertThat;

import io.flightcontroller.adapters.jdbc.JdbcTables;
import io.flightcontroller.adapters.json.AlertJson;
import io.flightcontroller.adapters.sns.SnsAlertElementConverter;
import io.flightcontroller.adapters.sns.SnsAlertEntry;
import io.flightcontroller.domain.result.Alert;
import io.flightcontroller.domain.result.Severity;
import io.flightcontroller.testing.PostgresServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code missing_step} of a sequence's TIMEOUT alert in every alert output: the alerts table (also of a database
 * created before the column existed, on SQLite and PostgreSQL), the alert JSON (alerts file, SNS body, log) and the
 * SNS message attributes.
 */
class MissingStepOutputsTest {

    @RegisterExtension
    static final PostgresServer POSTGRES = new PostgresServer();

    @TempDir
    Path dir;

    /** The alerts table as released before missing_step. */
    static final String OLD_ALERTS = "CREATE TABLE alerts (alert_id TEXT PRIMARY KEY, kind TEXT NOT NULL,"
            + " severity TEXT, measure TEXT NOT NULL, case_key TEXT, correlation_id TEXT, start_time TEXT,"
            + " deadline TEXT, observed_lead_ms BIGINT, burn_rate DOUBLE PRECISION, objective DOUBLE PRECISION,"
            + " subject TEXT)";

    static Alert timeout(String id, String missingStep) {
        Alert a = new Alert();
        a.setKind(Alert.Kind.TIMEOUT);
        a.setSeverity(Severity.INFO);
        a.setMeasure("project_lead_time");
        a.setCaseKey("p-1");
        a.setCorrelationId("p-1");
        a.setStartMs(1_700_000_000_000L);
        a.setDeadlineMs(1_700_003_600_000L);
        a.setObservedLeadMs(3_600_000L);
        a.setMissingStep(missingStep);
        a.setSubject("[TIMEOUT] project_lead_time: case p-1 did not reach step 2 (project_assigned)");
        a.setAlertId(id);
        return a;
    }

    /** Creates the old table with one row, runs the job's table set-up, upserts a new alert; rows by id. */
    static List<String> upgradeAndWrite(String url) throws Exception {
        try (Connection c = DriverManager.getConnection(url);
                Statement s = c.createStatement()) {
            s.execute(OLD_ALERTS);
            s.execute("INSERT INTO alerts (alert_id, kind, measure) VALUES ('old', 'BREACH', 'm')");
        }
        JdbcTables.createIfMissing(url);
        JdbcTables.createIfMissing(url); // idempotent: the column is added once
        try (Connection c = DriverManager.getConnection(url);
                PreparedStatement ps = c.prepareStatement(JdbcTables.ALERTS_SQL)) {
            JdbcTables.ALERTS.accept(ps, timeout("new", "project_assigned"));
            ps.executeUpdate();
        }
        List<String> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT alert_id, missing_step FROM alerts ORDER BY alert_id")) {
            while (rs.next()) {
                rows.add(rs.getString(1) + "=" + rs.getString(2));
            }
        }
        return rows;
    }

    @Test
    void anExistingSqliteDatabaseGetsTheMissingStepColumn() throws Exception {
        assertThat(upgradeAndWrite("jdbc:sqlite:" + dir.resolve("old.db")))
                .containsExactly("new=project_assigned", "old=null");
    }

    @Test
    void anExistingPostgresDatabaseGetsTheMissingStepColumn() throws Exception {
        assertThat(upgradeAndWrite(POSTGRES.jdbcUrl())).containsExactly("new=project_assigned", "old=null");
    }

    @Test
    void theAlertJsonCarriesTheMissingStep_onlyWhenThereIsOne() {
        assertThat(AlertJson.toJson(timeout("a", "project_assigned")))
                .contains("\"missing_step\":\"project_assigned\"");
        assertThat(AlertJson.toJson(timeout("a", null))).doesNotContain("missing_step");
    }

    @Test
    void theSnsMessageHasAMissingStepAttributeForFilterPolicies() {
        SnsAlertElementConverter converter = new SnsAlertElementConverter("arn:aws:sns:eu-west-1:123456789012:t");
        SnsAlertEntry e = converter.convert(timeout("a", "project_assigned"));
        assertThat(e.messageAttributes().get("missing_step").stringValue()).isEqualTo("project_assigned");
        assertThat(e.messageAttributes().get("kind").stringValue()).isEqualTo("timeout");
        assertThat(e.message()).contains("\"missing_step\":\"project_assigned\"");
        assertThat(converter.convert(timeout("a", null)).messageAttributes()).doesNotContainKey("missing_step");
    }
}
