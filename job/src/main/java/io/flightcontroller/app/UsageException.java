package io.flightcontroller.app;

/**
 * A command line or configuration the command cannot run with, naming the option at fault.
 *
 * <p>Shape: the message is {@code <option> <problem>}, e.g. {@code --measures /x.yaml: no such file}, one line; the
 * command line prints it after the command's name and exits with code 2 ({@link CliErrors}). The cause, if any, is
 * the underlying error, printed as a stack trace only with {@code --verbose}.
 */
public final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String option;

    /**
     * @param option the option as typed on the command line, e.g. {@code --measures}
     * @param problem what is wrong, usually starting with the option's value
     */
    public UsageException(String option, String problem) {
        this(option, problem, null);
    }

    /**
     * @param option the option as typed on the command line, e.g. {@code --measures}
     * @param problem what is wrong, usually starting with the option's value
     * @param cause the underlying error (shown with {@code --verbose})
     */
    public UsageException(String option, String problem, Throwable cause) {
        super(option + " " + problem, cause);
        this.option = option;
    }

    /** @return the option at fault, e.g. {@code --measures} */
    public String getOption() {
        return option;
    }
}
