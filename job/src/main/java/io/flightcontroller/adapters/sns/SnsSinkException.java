package io.flightcontroller.adapters.sns;

/** A non-retryable SNS error (bad configuration, credentials or permissions); fails the job. */
public class SnsSinkException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed and what to check
     * @param cause the SDK error
     */
    public SnsSinkException(String message, Throwable cause) {
        super(message, cause);
    }
}
