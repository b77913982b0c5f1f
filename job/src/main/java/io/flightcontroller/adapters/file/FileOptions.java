package io.flightcontroller.adapters.file;

import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** Options of the file source ({@link JsonLinesFormat}) and of the alerts file ({@link JsonLinesFileSink}). */
public final class FileOptions {
    private FileOptions() {}

    /** JSON Lines input file or folder (bounded), property group of the source. */
    public static final ConfigOption<String> PATH = ConfigOptions.key("file.path")
            .stringType()
            .noDefaultValue()
            .withDescription("JSON Lines file or folder (bounded), required for source.type=file");

    /** JSON Lines file of alerts, property group of the alerts. */
    public static final ConfigOption<String> ALERTS_PATH = ConfigOptions.key("alerts.file.path")
            .stringType()
            .noDefaultValue()
            .withDescription("JSON Lines file, required for alerts.sink=file");

    /** @return the source's options */
    public static List<ConfigOption<String>> sourceOptions() {
        return List.of(PATH);
    }

    /** @return the alerts file's options */
    public static List<ConfigOption<String>> alertOptions() {
        return List.of(ALERTS_PATH);
    }
}
