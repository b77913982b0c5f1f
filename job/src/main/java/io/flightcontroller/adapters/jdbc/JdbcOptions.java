package io.flightcontroller.adapters.jdbc;

import io.flightcontroller.adapters.InvalidOptionException;
import io.flightcontroller.adapters.Options;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;

/** Options of the JDBC sinks ({@link JdbcOutputs}). */
public final class JdbcOptions {
    private JdbcOptions() {}

    /** JDBC URL of the results database. */
    public static final ConfigOption<String> URL = ConfigOptions.key("jdbc.url")
            .stringType()
            .noDefaultValue()
            .withDescription("JDBC URL, e.g. jdbc:sqlite:results.db or jdbc:postgresql://host/db");

    /** @return every option of the JDBC sinks */
    public static List<ConfigOption<String>> options() {
        return List.of(URL);
    }

    /**
     * Reads the URL and normalises it once ({@link JdbcOutputs#effectiveUrl}).
     *
     * @param group the property group's settings
     * @param why why the URL is required, e.g. {@code required when metrics.sink=jdbc}
     * @return the URL to connect with
     * @throws InvalidOptionException naming {@code jdbc.url} when it is missing or not a {@code jdbc:} URL
     */
    public static String url(Configuration group, String why) {
        String url = Options.required(group, URL, why);
        if (!url.startsWith("jdbc:")) {
            throw new InvalidOptionException(URL.key(), "must start with jdbc:, was " + url);
        }
        return JdbcOutputs.effectiveUrl(url);
    }
}
