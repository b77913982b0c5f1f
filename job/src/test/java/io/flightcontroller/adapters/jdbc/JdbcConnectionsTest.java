package io.flightcontroller.adapters.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.connector.jdbc.JdbcConnectionOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JDBC driver is found per job class loader, as on a Flink cluster where every submission of the jar gets a
 * class loader of its own: {@code DriverManager} refuses a caller the drivers registered from another class loader,
 * so the second submission of the same jar to one JobManager used to fail with "No suitable driver found".
 */
class JdbcConnectionsTest {

    @TempDir
    Path dir;

    /** A class loader holding this test's whole class path again, as Flink's user-code class loader holds the jar. */
    private static URLClassLoader jobClassLoader() throws MalformedURLException {
        List<URL> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            urls.add(new File(entry).toURI().toURL());
        }
        return new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader());
    }

    private static Object callStatic(ClassLoader loader, String className, String method, String arg) throws Exception {
        Thread t = Thread.currentThread();
        ClassLoader before = t.getContextClassLoader();
        t.setContextClassLoader(loader);
        try {
            Method m = Class.forName(className, true, loader).getMethod(method, String.class);
            return m.invoke(null, arg);
        } catch (InvocationTargetException e) {
            throw (Exception) e.getCause();
        } finally {
            t.setContextClassLoader(before);
        }
    }

    private static int resultTables(String url) throws SQLException {
        try (Connection c = JdbcConnections.open(url);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void tablesAreCreatedFromEachOfTwoJobClassLoadersInOneJvm() throws Exception {
        String first = "jdbc:sqlite:" + dir.resolve("first.db");
        String second = "jdbc:sqlite:" + dir.resolve("second.db");
        try (URLClassLoader job1 = jobClassLoader();
                URLClassLoader job2 = jobClassLoader()) {
            callStatic(job1, JdbcTables.class.getName(), "createIfMissing", first);
            callStatic(job2, JdbcTables.class.getName(), "createIfMissing", second);
        }
        assertThat(resultTables(first)).isEqualTo(JdbcTables.TABLES.size());
        assertThat(resultTables(second)).isEqualTo(JdbcTables.TABLES.size());
    }

    @Test
    void theDriverComesFromTheCallersOwnClassLoader() throws Exception {
        try (URLClassLoader job = jobClassLoader()) {
            Object driverName =
                    callStatic(job, JdbcConnections.class.getName(), "driverClassName", "jdbc:sqlite::memory:");
            assertThat(driverName).isEqualTo("org.sqlite.JDBC");
            Thread t = Thread.currentThread();
            ClassLoader before = t.getContextClassLoader();
            t.setContextClassLoader(job);
            try {
                Object driver = Class.forName(JdbcConnections.class.getName(), true, job)
                        .getMethod("driverFor", String.class)
                        .invoke(null, "jdbc:sqlite::memory:");
                assertThat(driver.getClass().getClassLoader()).isSameAs(job);
            } finally {
                t.setContextClassLoader(before);
            }
        }
    }

    @Test
    void sinkConnectionOptionsNameTheBundledDriverSoTheConnectorLoadsItByName() {
        JdbcConnectionOptions sqlite = JdbcOutputs.connectionOptions("jdbc:sqlite:" + dir.resolve("x.db"));
        JdbcConnectionOptions postgres = JdbcOutputs.connectionOptions("jdbc:postgresql://127.0.0.1:5432/postgres");
        assertThat(sqlite.getDriverName()).isEqualTo("org.sqlite.JDBC");
        assertThat(postgres.getDriverName()).isEqualTo("org.postgresql.Driver");
    }

    @Test
    void aUrlNoBundledDriverTakesIsRefusedNamingTheUrlWithoutItsPassword() {
        assertThatThrownBy(() -> JdbcConnections.open("jdbc:nosuchdb://host/db?user=u&password=secret"))
                .isInstanceOf(SQLException.class)
                .hasMessage("no JDBC driver on the class path takes jdbc:nosuchdb://host/db?user=u&password=***")
                .matches(e -> "08001".equals(((SQLException) e).getSQLState()));
        assertThatThrownBy(() -> JdbcOutputs.connectionOptions("jdbc:nosuchdb://host/db"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("jdbc:nosuchdb://host/db");
    }
}
