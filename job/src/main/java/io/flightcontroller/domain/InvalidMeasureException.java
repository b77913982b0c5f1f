package io.flightcontroller.domain;

/** A measure definition that cannot be used; the message names the measure and the field. */
public class InvalidMeasureException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String measure;
    private final String field;

    /**
     * @param measure measure name (or {@code #index} when the name itself is missing)
     * @param field offending field, e.g. {@code slo.objective}
     * @param problem what is wrong
     */
    public InvalidMeasureException(String measure, String field, String problem) {
        super("measure '" + measure + "', field '" + field + "': " + problem);
        this.measure = measure;
        this.field = field;
    }

    /** @return the measure name */
    public String getMeasure() { return measure; }

    /** @return the offending field */
    public String getField() { return field; }
}
