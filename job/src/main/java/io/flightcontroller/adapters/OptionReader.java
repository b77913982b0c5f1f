package io.flightcontroller.adapters;

import java.net.URI;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

/**
 * Reads string-typed {@link ConfigOption}s of one property group with errors that name the key
 * ({@link InvalidOptionException}). Values are trimmed; a blank value counts as absent. Every source and sink reads its
 * own options through this, so the keys, defaults and messages live beside the adapter that uses them.
 */
public final class OptionReader {
    private final Configuration group;

    /** @param group the property group's settings (e.g. {@code Configuration.fromMap}) */
    public OptionReader(Configuration group) {
        this.group = group == null ? new Configuration() : group;
    }

    /**
     * @param option the option
     * @return the trimmed value, or the option's default (null when it has none) when absent or blank
     */
    public String get(ConfigOption<String> option) {
        String v = group.getString(option.key(), null);
        if (v == null || v.trim().isEmpty()) {
            return option.hasDefaultValue() ? option.defaultValue() : null;
        }
        return v.trim();
    }

    /**
     * @param option the option
     * @param why why it is required, e.g. {@code required when source.type=kinesis}
     * @return the trimmed value
     * @throws InvalidOptionException when absent or blank
     */
    public String required(ConfigOption<String> option, String why) {
        String v = get(option);
        if (v == null) {
            throw new InvalidOptionException(option.key(), why);
        }
        return v;
    }

    /**
     * @param option the option
     * @param type enum type; values match constant names in any case
     * @param dflt value when absent
     * @param <E> enum type
     * @return the constant
     * @throws InvalidOptionException for a value that names no constant
     */
    public <E extends Enum<E>> E enumValue(ConfigOption<String> option, Class<E> type, E dflt) {
        String v = get(option);
        if (v == null) {
            return dflt;
        }
        for (E c : type.getEnumConstants()) {
            if (c.name().equalsIgnoreCase(v)) {
                return c;
            }
        }
        List<String> allowed = new ArrayList<>();
        for (E c : type.getEnumConstants()) {
            allowed.add(c.name().toLowerCase(Locale.ROOT));
        }
        throw new InvalidOptionException(option.key(), "one of " + allowed + " (any case), was " + v);
    }

    /**
     * @param option the option, an ISO-8601 duration such as {@code PT5S}
     * @param dflt value when absent
     * @param zeroOk whether {@code PT0S} is allowed
     * @return the duration
     * @throws InvalidOptionException for text that is no ISO-8601 duration, a negative one, or zero when not allowed
     */
    public Duration duration(ConfigOption<String> option, Duration dflt, boolean zeroOk) {
        String v = get(option);
        if (v == null) {
            return dflt;
        }
        Duration d;
        try {
            d = Duration.parse(v);
        } catch (DateTimeParseException e) {
            throw new InvalidOptionException(option.key(), "not an ISO-8601 duration (e.g. PT5S, PT1M, P1D): " + v);
        }
        if (d.isNegative() || (!zeroOk && d.isZero())) {
            throw new InvalidOptionException(option.key(),
                    "must be " + (zeroOk ? "non-negative" : "positive") + ", was " + v);
        }
        return d;
    }

    /**
     * @param option the option
     * @return the value when it is an absolute http(s) URL with a host, null when absent
     * @throws InvalidOptionException otherwise
     */
    public String httpUrl(ConfigOption<String> option) {
        String v = get(option);
        if (v == null) {
            return null;
        }
        try {
            URI u = URI.create(v);
            if (u.getHost() != null && ("http".equals(u.getScheme()) || "https".equals(u.getScheme()))) {
                return v;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new InvalidOptionException(option.key(), "must be an absolute http(s) URL, was " + v);
    }
}
