package io.flightcontroller.adapters;

/**
 * A source or sink option that is missing or invalid, naming its key (for example {@code kinesis.region}). The job's
 * configuration adds the property group the key was read from.
 */
public final class InvalidOptionException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String key;
    private final String problem;

    /**
     * @param key the option's key
     * @param problem what is wrong, e.g. {@code required when the stream is given by name}
     */
    public InvalidOptionException(String key, String problem) {
        super(key + ": " + problem);
        this.key = key;
        this.problem = problem;
    }

    /** @return the option's key */
    public String getKey() {
        return key;
    }

    /** @return what is wrong, without the key */
    public String getProblem() {
        return problem;
    }
}
