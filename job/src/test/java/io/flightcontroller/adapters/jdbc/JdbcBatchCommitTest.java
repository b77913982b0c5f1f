package io.flightcontroller.adapters.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JDBC sinks' connection makes each batch one transaction ({@link BatchCommitConnectionProvider}): a successful
 * batch is committed as a whole, a failed one leaves none of its rows and the connection ready for the retry.
 */
class JdbcBatchCommitTest {

    @TempDir
    Path dir;

    private String url;

    @BeforeEach
    void tables() throws SQLException {
        url = JdbcOutputs.effectiveUrl("jdbc:sqlite:" + dir.resolve("results.db"));
        JdbcTables.createIfMissing(url);
    }

    private int openCases() throws SQLException {
        try (Connection c = JdbcConnections.open(url);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM open_cases")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static void addRow(PreparedStatement ps, String caseKey, String startTime) throws SQLException {
        ps.setString(1, "m");
        ps.setString(2, caseKey);
        ps.setString(3, caseKey);
        ps.setString(4, startTime);
        ps.setLong(5, 1_000);
        ps.addBatch();
    }

    private BatchCommitConnectionProvider provider() {
        return new BatchCommitConnectionProvider(JdbcOutputs.connectionOptions(url));
    }

    @Test
    void aBatchIsCommittedWhenExecuteBatchReturns() throws Exception {
        BatchCommitConnectionProvider p = provider();
        try {
            Connection c = p.getOrEstablishConnection();
            assertThat(c.getAutoCommit()).isFalse();
            try (PreparedStatement ps = p.getConnection().prepareStatement(JdbcTables.OPEN_CASES_SQL)) {
                addRow(ps, "a", "2026-01-01T00:00:00Z");
                addRow(ps, "b", "2026-01-01T00:00:01Z");
                assertThat(ps.executeBatch()).hasSize(2);
                // read through another connection: only committed rows are visible there
                assertThat(openCases()).isEqualTo(2);
            }
        } finally {
            p.close();
        }
    }

    @Test
    void aFailedBatchLeavesNoneOfItsRowsAndTheRetryWritesThemAll() throws Exception {
        BatchCommitConnectionProvider p = provider();
        try {
            p.getOrEstablishConnection();
            try (PreparedStatement ps = p.getConnection().prepareStatement(JdbcTables.OPEN_CASES_SQL)) {
                addRow(ps, "a", "2026-01-01T00:00:00Z");
                addRow(ps, "b", null); // start_time is NOT NULL: the second row fails
                assertThatThrownBy(ps::executeBatch).isInstanceOf(SQLException.class);
                // under auto-commit row "a" would have stayed
                assertThat(openCases()).isZero();

                addRow(ps, "a", "2026-01-01T00:00:00Z");
                addRow(ps, "b", "2026-01-01T00:00:01Z");
                ps.executeBatch();
                assertThat(openCases()).isEqualTo(2);
            }
        } finally {
            p.close();
        }
    }

    @Test
    void aReestablishedConnectionAlsoCommitsPerBatch() throws Exception {
        BatchCommitConnectionProvider p = provider();
        try {
            Connection first = p.getOrEstablishConnection();
            Connection second = p.reestablishConnection();
            assertThat(first.isClosed()).isTrue();
            assertThat(second.getAutoCommit()).isFalse();
            assertThat(p.getConnection()).isSameAs(second);
            try (PreparedStatement ps = second.prepareStatement(JdbcTables.OPEN_CASES_SQL)) {
                addRow(ps, "a", "2026-01-01T00:00:00Z");
                ps.executeBatch();
            }
            assertThat(openCases()).isEqualTo(1);
        } finally {
            p.close();
        }
    }
}
