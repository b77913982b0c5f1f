package io.flightcontroller.config;

/**
 * An option of a source or sink that is missing or invalid, naming its key.
 *
 * <p>Shape: the message is {@code KEY: PROBLEM}, e.g. {@code sns.max.attempts: must be at least 1, got 0}; the key is
 * the option's key inside its runtime property group (the group is added by whoever read the group).
 */
public class InvalidOptionException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String key;

    /**
     * @param key the option's key, e.g. {@code sns.max.attempts}
     * @param problem what is wrong, including the value given
     */
    public InvalidOptionException(String key, String problem) {
        super(key + ": " + problem);
        this.key = key;
    }

    /** @return the option's key */
    public String getKey() {
        return key;
    }
}
