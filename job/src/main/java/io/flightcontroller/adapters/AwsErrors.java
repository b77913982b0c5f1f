package io.flightcontroller.adapters;

import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * The parts of AWS error classification every sink shares (after flink-connector-aws's exception classifiers): how an
 * async SDK error is unwrapped, and when a service error means "slow down" or "this can never work". Each sink keeps
 * its own code lists and outcomes ({@code SnsExceptionClassifier}, {@code TimestreamExceptionClassifier}).
 */
public final class AwsErrors {
    private AwsErrors() {}

    /**
     * @param error an error, possibly wrapped
     * @return the innermost cause of {@link CompletionException} / {@link ExecutionException} wrappers
     */
    public static Throwable unwrap(Throwable error) {
        Throwable t = error;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /**
     * @param e a service error
     * @return its AWS error code, or null
     */
    public static String errorCode(AwsServiceException e) {
        return e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    }

    /**
     * Throttling: one of {@code throttlingCodes}, HTTP 429, or a message saying "Rate exceeded".
     *
     * @param code AWS error code, may be null
     * @param message error message, may be null
     * @param httpStatus HTTP status, 0 when unknown
     * @param throttlingCodes the service's throttling codes
     * @return whether the service asked the client to slow down
     */
    public static boolean isThrottling(String code, String message, int httpStatus, Set<String> throttlingCodes) {
        return code != null && throttlingCodes.contains(code) || httpStatus == 429
                || message != null && message.toLowerCase(Locale.ROOT).contains("rate exceeded");
    }

    /**
     * Fatal: one of {@code fatalCodes} (missing resource, credentials, permissions), or HTTP 401 / 403.
     *
     * @param code AWS error code, may be null
     * @param httpStatus HTTP status, 0 when unknown
     * @param fatalCodes the service's fatal codes
     * @return whether retrying cannot help and the job should fail with a clear message
     */
    public static boolean isFatal(String code, int httpStatus, Set<String> fatalCodes) {
        return code != null && fatalCodes.contains(code) || httpStatus == 401 || httpStatus == 403;
    }
}
