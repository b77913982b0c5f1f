package io.flightcontroller.adapters.sns;

import io.flightcontroller.adapters.AwsErrors;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletionException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * Classifies SNS errors once, after flink-connector-aws's exception classifiers: configuration and permission errors
 * are fatal (retrying cannot help and dead-lettering every alert would hide a broken deployment), throttling and
 * server errors are retried with backoff, anything else (network errors, unknown codes) is retried too and ends in the
 * dead-letter handler when the attempts run out.
 */
public final class SnsExceptionClassifier {
    private SnsExceptionClassifier() {}

    /** What to do with a failed request or entry. */
    public enum Outcome {
        /** Fail the job with a clear message. */
        FATAL,
        /** Retry after a backoff: the service asked us to slow down. */
        THROTTLED,
        /** Retry after a backoff: a server or network error. */
        RETRYABLE
    }

    /** SNS and AWS error codes that fail the job (bad credentials, missing topic, access denied, invalid request). */
    public static final Set<String> FATAL_CODES = Collections.unmodifiableSet(new HashSet<>(Arrays.asList(
            "NotFound", "NotFoundException", "ResourceNotFound", "AuthorizationError", "AccessDenied",
            "AccessDeniedException", "InvalidClientTokenId", "UnrecognizedClientException", "SignatureDoesNotMatch",
            "IncompleteSignature", "MissingAuthenticationToken", "ExpiredToken", "InvalidParameter",
            "InvalidParameterValue", "ValidationError", "InvalidSecurity", "KMSAccessDenied", "KMSDisabled",
            "KMSInvalidState", "KMSNotFound", "KMSOptInRequired")));

    /** Error codes meaning "slow down". */
    public static final Set<String> THROTTLING_CODES = Collections.unmodifiableSet(new HashSet<>(Arrays.asList(
            "Throttling", "ThrottlingException", "Throttled", "TooManyRequestsException", "RequestLimitExceeded",
            "KMSThrottling")));

    /**
     * @param error the error a PublishBatch call completed with (wrappers such as {@link CompletionException} are
     *     unwrapped)
     * @return the outcome
     */
    public static Outcome classify(Throwable error) {
        Throwable t = AwsErrors.unwrap(error);
        if (t instanceof AwsServiceException) {
            AwsServiceException e = (AwsServiceException) t;
            return classify(AwsErrors.errorCode(e), e.getMessage(), e.statusCode());
        }
        return Outcome.RETRYABLE;
    }

    /**
     * @param code AWS error code, may be null
     * @param message error message, may be null
     * @param httpStatus HTTP status, 0 when unknown
     * @return the outcome
     */
    public static Outcome classify(String code, String message, int httpStatus) {
        if (AwsErrors.isThrottling(code, message, httpStatus, THROTTLING_CODES)) {
            return Outcome.THROTTLED;
        }
        if (AwsErrors.isFatal(code, httpStatus, FATAL_CODES)) {
            return Outcome.FATAL;
        }
        return Outcome.RETRYABLE;
    }

    /**
     * @param error an error, possibly wrapped
     * @return the innermost cause of completion / execution wrappers ({@link AwsErrors#unwrap})
     */
    public static Throwable unwrap(Throwable error) {
        return AwsErrors.unwrap(error);
    }
}
