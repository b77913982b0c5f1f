package io.flightcontroller.adapters.jdbc;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Properties;
import org.apache.flink.connector.jdbc.JdbcConnectionOptions;
import org.apache.flink.connector.jdbc.datasource.connections.JdbcConnectionProvider;
import org.apache.flink.connector.jdbc.datasource.connections.SimpleJdbcConnectionProvider;

/**
 * flink-connector-jdbc's {@link SimpleJdbcConnectionProvider} with one transaction per batch: the sink's connection has
 * auto-commit off, and every {@link PreparedStatement#executeBatch} on it commits when it succeeds and rolls back when
 * it fails.
 *
 * <p>Why: the at-least-once {@code JdbcSink} runs each batch with {@code executeBatch} and leaves the connection in
 * auto-commit, and sqlite-jdbc runs a batch as one statement after the other, each its own transaction: one commit
 * (write-ahead-log frames, lock and index updates) per row. The profile of the benchmark's SQLite row put the sinks'
 * time in {@code NativeDB.step} under {@code DB.executeBatch}, about half of it system time. With this provider a batch
 * (up to 1,000 rows, or what 200 ms, a checkpoint or the end of input flushes) is one commit. On PostgreSQL a batch
 * is one transaction too, and a failed statement no longer leaves the next retry inside an aborted transaction: the
 * rollback ends it.
 *
 * <p>Shape: the rows written are the same as with auto-commit: the connector flushes, retries (up to 3 times, a
 * failed batch re-run whole) and closes as before; a batch that fails leaves none of its rows instead of some, and its
 * retry upserts them all. What a completed checkpoint covers is committed before the checkpoint completes, as
 * before (the connector flushes on every checkpoint). Other statements ({@code execute}, {@code executeUpdate}) are
 * not committed by this provider: the sink runs batches only.
 */
final class BatchCommitConnectionProvider implements JdbcConnectionProvider {
    private static final long serialVersionUID = 1L;

    private final SimpleJdbcConnectionProvider raw;
    private transient Connection rawSeen;
    private transient Connection wrapped;

    /** @param options the sink's connection options (URL, driver class name) */
    BatchCommitConnectionProvider(JdbcConnectionOptions options) {
        this.raw = new SimpleJdbcConnectionProvider(options);
    }

    @Override
    public Connection getConnection() {
        Connection c = raw.getConnection();
        if (c == null || c == rawSeen) {
            return c == null ? null : wrapped;
        }
        try {
            return wrap(c);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot turn auto-commit off on the JDBC sink's connection", e);
        }
    }

    @Override
    public Properties getProperties() {
        return raw.getProperties();
    }

    @Override
    public boolean isConnectionValid() throws SQLException {
        return raw.isConnectionValid();
    }

    @Override
    public Connection getOrEstablishConnection() throws SQLException, ClassNotFoundException {
        Connection c = raw.getOrEstablishConnection();
        return c == rawSeen ? wrapped : wrap(c);
    }

    @Override
    public void closeConnection() {
        raw.closeConnection();
        rawSeen = null;
        wrapped = null;
    }

    @Override
    public Connection reestablishConnection() throws SQLException, ClassNotFoundException {
        closeConnection();
        return getOrEstablishConnection();
    }

    @Override
    public void close() throws Exception {
        closeConnection();
    }

    /**
     * @param c an open connection of the underlying provider
     * @return {@code c} with auto-commit off whose prepared statements commit each batch
     * @throws SQLException when auto-commit cannot be turned off
     */
    private Connection wrap(Connection c) throws SQLException {
        c.setAutoCommit(false);
        rawSeen = c;
        wrapped = committingConnection(c);
        return wrapped;
    }

    /**
     * @param c a connection with auto-commit off
     * @return {@code c}, whose {@code prepareStatement(String)} statements commit after each successful
     *     {@code executeBatch} and roll back after a failed one
     */
    static Connection committingConnection(Connection c) {
        return (Connection) Proxy.newProxyInstance(
                BatchCommitConnectionProvider.class.getClassLoader(),
                new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    Object result = invoke(c, method, args);
                    if (result instanceof PreparedStatement
                            && method.getName().equals("prepareStatement")
                            && args.length == 1) {
                        return committingStatement(c, (PreparedStatement) result);
                    }
                    return result;
                });
    }

    private static PreparedStatement committingStatement(Connection c, PreparedStatement ps) {
        InvocationHandler h = (proxy, method, args) -> {
            if (!method.getName().equals("executeBatch") || (args != null && args.length > 0)) {
                return invoke(ps, method, args);
            }
            try {
                int[] counts = ps.executeBatch();
                c.commit();
                return counts;
            } catch (SQLException e) {
                try {
                    c.rollback();
                } catch (SQLException r) {
                    e.addSuppressed(r);
                }
                throw e;
            }
        };
        return (PreparedStatement) Proxy.newProxyInstance(
                BatchCommitConnectionProvider.class.getClassLoader(), new Class<?>[] {PreparedStatement.class}, h);
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
