package io.flightcontroller.adapters.jdbc;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Properties;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * Opens JDBC connections with the driver bundled in this jar, without {@link DriverManager}'s registry.
 *
 * <p>Why: on a Flink cluster every submitted job gets its own user-code class loader. {@link DriverManager} lists
 * the drivers that were registered once per JVM and hands a caller only the drivers its own class loader can see
 * as the same class, so the second job submitted to the same JobManager (or TaskManager) finds none of its drivers
 * and fails with {@code No suitable driver found for jdbc:sqlite:...}. This class asks
 * {@link ServiceLoader} for the {@code java.sql.Driver} services of the class loader that loaded it (the job's),
 * then of the thread's context class loader, takes the first driver whose {@link Driver#acceptsURL} takes the URL and
 * calls {@link Driver#connect} directly. {@link DriverManager} is only the last resort, for drivers registered by hand.
 *
 * <p>Shape: stateless; a lookup reads the {@code META-INF/services/java.sql.Driver} files of the class path (the
 * shaded jar lists {@code org.sqlite.JDBC} and {@code org.postgresql.Driver}). Errors name the URL with any
 * {@code password=} value shown as {@code ***}.
 */
public final class JdbcConnections {
    private JdbcConnections() {}

    /**
     * Opens a connection.
     *
     * @param url JDBC URL, e.g. {@code jdbc:sqlite:/tmp/x.db} or {@code jdbc:postgresql://host:5432/db?user=u}
     * @return an open connection (the caller closes it)
     * @throws SQLException when no bundled driver takes the URL (SQLState 08001) or the driver cannot connect
     */
    public static Connection open(String url) throws SQLException {
        Driver driver = driverFor(url);
        Connection c = driver.connect(url, new Properties());
        if (c == null) {
            throw new SQLException("JDBC driver " + driver.getClass().getName() + " refused " + masked(url), "08001");
        }
        return c;
    }

    /**
     * The driver that takes a URL: the first of the job's own {@code java.sql.Driver} services, then the context
     * class loader's, then {@link DriverManager}'s.
     *
     * @param url JDBC URL
     * @return a driver whose {@link Driver#acceptsURL} is true for {@code url}
     * @throws SQLException with SQLState 08001 when none takes it
     */
    public static Driver driverFor(String url) throws SQLException {
        for (ClassLoader loader : loaders()) {
            ServiceLoader<Driver> services = ServiceLoader.load(Driver.class, loader);
            Iterator<Driver> it = services.iterator();
            while (true) {
                Driver d;
                try {
                    if (!it.hasNext()) {
                        break;
                    }
                    d = it.next();
                } catch (ServiceConfigurationError broken) {
                    continue; // a listed driver that cannot be loaded: try the others
                }
                if (d.acceptsURL(url)) {
                    return d;
                }
            }
        }
        try {
            return DriverManager.getDriver(url);
        } catch (SQLException none) {
            throw new SQLException("no JDBC driver on the class path takes " + masked(url), "08001", none);
        }
    }

    /**
     * @param url JDBC URL
     * @return the class name of {@link #driverFor}'s driver, for connection options that load a driver by name
     *     (flink-connector-jdbc's {@code JdbcConnectionOptionsBuilder.withDriverName})
     * @throws SQLException when no driver takes the URL
     */
    public static String driverClassName(String url) throws SQLException {
        return driverFor(url).getClass().getName();
    }

    /**
     * @param url JDBC URL
     * @return the URL with the value of every {@code password=} parameter replaced by {@code ***}
     */
    public static String masked(String url) {
        return url == null ? null : url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }

    private static List<ClassLoader> loaders() {
        List<ClassLoader> loaders = new ArrayList<>(2);
        ClassLoader own = JdbcConnections.class.getClassLoader();
        if (own != null) {
            loaders.add(own);
        }
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        if (context != null && context != own) {
            loaders.add(context);
        }
        return loaders;
    }
}
