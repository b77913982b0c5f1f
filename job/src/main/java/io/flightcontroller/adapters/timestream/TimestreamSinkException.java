package io.flightcontroller.adapters.timestream;

/** A non-retryable Timestream error (missing database or table, credentials, permissions); fails the job. */
public class TimestreamSinkException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed and what to check
     * @param cause the SDK error
     */
    public TimestreamSinkException(String message, Throwable cause) {
        super(message, cause);
    }
}
