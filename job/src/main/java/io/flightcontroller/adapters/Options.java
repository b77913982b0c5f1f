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
 * Reads a source's or sink's {@link ConfigOption}s from the {@link Configuration} of its property group, so that every
 * error is an {@link InvalidOptionException} naming the key.
 *
 * <p>Shape: strings are trimmed and a blank value counts as absent (as in a runtime property group, where a key may be
 * present with an empty value); numbers are parsed by Flink's {@link Configuration}.
 */
public final class Options {
    private Options() {}

    /**
     * @param group the property group
     * @param option a typed option
     * @param <T> value type
     * @return the value, or the option's default
     * @throws InvalidOptionException when the value cannot be parsed as the option's type
     */
    public static <T> T get(Configuration group, ConfigOption<T> option) {
        try {
            return group.get(option);
        } catch (IllegalArgumentException e) {
            throw new InvalidOptionException(
                    option.key(), "not a valid value: " + group.toMap().get(option.key()));
        }
    }

    /**
     * @param group the property group
     * @param option a string option
     * @return the trimmed value, or the default, or null when absent or blank
     */
    public static String string(Configuration group, ConfigOption<String> option) {
        String v = group.get(option);
        return v == null || v.trim().isEmpty() ? null : v.trim();
    }

    /**
     * @param group the property group
     * @param option a string option
     * @param why when it is required, e.g. {@code required when metrics.sink=timestream}
     * @return the trimmed value
     * @throws InvalidOptionException when absent or blank
     */
    public static String required(Configuration group, ConfigOption<String> option, String why) {
        String v = string(group, option);
        if (v == null) {
            throw new InvalidOptionException(option.key(), why);
        }
        return v;
    }

    /**
     * @param ok the condition
     * @param option the option it is about
     * @param problem what is wrong, with the value, when it does not hold
     * @throws InvalidOptionException when {@code ok} is false
     */
    public static void check(boolean ok, ConfigOption<?> option, String problem) {
        if (!ok) {
            throw new InvalidOptionException(option.key(), problem);
        }
    }

    /**
     * @param option the option the value is of
     * @param value a value, may be null
     * @return the value when null or an absolute http(s) URL
     * @throws InvalidOptionException otherwise
     */
    public static String httpUrl(ConfigOption<String> option, String value) {
        if (value == null) {
            return null;
        }
        try {
            URI u = URI.create(value);
            if (u.getHost() != null && ("http".equals(u.getScheme()) || "https".equals(u.getScheme()))) {
                return value;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new InvalidOptionException(option.key(), "must be an absolute http(s) URL, got " + value);
    }

    /**
     * @param group the property group
     * @param option a string option
     * @param type enum type; values match constant names in any case
     * @param dflt value when absent
     * @param <E> enum type
     * @return the constant
     * @throws InvalidOptionException for a value that names no constant
     */
    public static <E extends Enum<E>> E enumValue(
            Configuration group, ConfigOption<String> option, Class<E> type, E dflt) {
        String v = string(group, option);
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
     * @param group the property group
     * @param option a string option holding an ISO-8601 duration such as {@code PT5S}
     * @param dflt value when absent
     * @param zeroOk whether {@code PT0S} is allowed
     * @return the duration
     * @throws InvalidOptionException for text that is no ISO-8601 duration, a negative one, or zero when not allowed
     */
    public static Duration duration(Configuration group, ConfigOption<String> option, Duration dflt, boolean zeroOk) {
        String v = string(group, option);
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
            throw new InvalidOptionException(
                    option.key(), "must be " + (zeroOk ? "non-negative" : "positive") + ", was " + v);
        }
        return d;
    }
}
