package io.flightcontroller.domain.measure;

/**
 * A measure definition that cannot be used; the message names the measure and the field, and, once the file reader
 * has placed it, the line: {@code measures.yaml line 12: measure 'X', field 'slo.threshold': ...}.
 */
public class InvalidMeasureException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String measure;
    private final String field;
    private final String problem;
    private final String source;
    private final int line;

    /**
     * @param measure measure name (or {@code #index} when the name itself is missing)
     * @param field offending field, e.g. {@code slo.objective}
     * @param problem what is wrong
     */
    public InvalidMeasureException(String measure, String field, String problem) {
        this(null, 0, measure, field, problem);
    }

    /**
     * @param source file name for the message, or null
     * @param line 1-based line of the offending field, or 0 when unknown
     * @param measure measure name (or {@code #index} when the name itself is missing)
     * @param field offending field, e.g. {@code slo.objective}
     * @param problem what is wrong
     */
    public InvalidMeasureException(String source, int line, String measure, String field, String problem) {
        super(where(source, line) + "measure '" + measure + "', field '" + field + "': " + problem);
        this.measure = measure;
        this.field = field;
        this.problem = problem;
        this.source = source;
        this.line = line;
    }

    private static String where(String source, int line) {
        if (line > 0) {
            return (source != null ? source + " " : "") + "line " + line + ": ";
        }
        return source != null ? source + ": " : "";
    }

    /**
     * The same error placed in a file.
     *
     * @param source file name for the message, or null
     * @param line 1-based line, or 0 when unknown
     * @return a copy whose message starts with the source and line
     */
    public InvalidMeasureException at(String source, int line) {
        InvalidMeasureException e = new InvalidMeasureException(source, line, measure, field, problem);
        e.setStackTrace(getStackTrace());
        return e;
    }

    /** @return the measure name */
    public String getMeasure() {
        return measure;
    }

    /** @return the offending field */
    public String getField() {
        return field;
    }

    /** @return what is wrong, without measure, field and line */
    public String getProblem() {
        return problem;
    }

    /** @return the file name given by the reader, or null */
    public String getSource() {
        return source;
    }

    /** @return the 1-based line of the offending field, or 0 when unknown */
    public int getLine() {
        return line;
    }
}
