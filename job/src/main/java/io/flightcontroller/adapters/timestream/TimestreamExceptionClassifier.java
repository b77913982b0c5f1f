package io.flightcontroller.adapters.timestream;

import io.flightcontroller.adapters.AwsErrors;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * Classifies Timestream WriteRecords errors once, like {@code SnsExceptionClassifier}: configuration and permission
 * errors are fatal, throttling and server errors are retried with backoff, a ValidationException of the request
 * dead-letters the batch (the records themselves are malformed, retrying cannot help, and failing the job would
 * restart-loop on the same records). Per-record rejections ({@code RejectedRecordsException}) are not classified
 * here: the writer reads them record by record.
 */
public final class TimestreamExceptionClassifier {
    private TimestreamExceptionClassifier() {}

    /** What to do with a failed WriteRecords call. */
    public enum Outcome {
        /** Fail the job with a clear message. */
        FATAL,
        /** Dead-letter every record of the request. */
        INVALID_REQUEST,
        /** Retry after a backoff: the service asked us to slow down. */
        THROTTLED,
        /** Retry after a backoff: a server or network error. */
        RETRYABLE
    }

    /** Error codes that fail the job (missing database or table, credentials, permissions, wrong endpoint). */
    public static final Set<String> FATAL_CODES = Collections.unmodifiableSet(new HashSet<>(Arrays.asList(
            "ResourceNotFoundException", "AccessDeniedException", "InvalidEndpointException",
            "UnrecognizedClientException", "InvalidClientTokenId", "InvalidSignatureException",
            "SignatureDoesNotMatch", "IncompleteSignature", "MissingAuthenticationToken", "ExpiredTokenException",
            "ExpiredToken", "ServiceQuotaExceededException")));

    /** Error codes meaning "slow down". */
    public static final Set<String> THROTTLING_CODES = Collections.unmodifiableSet(new HashSet<>(Arrays.asList(
            "ThrottlingException", "Throttling", "TooManyRequestsException", "RequestLimitExceeded")));

    /**
     * @param error the error a WriteRecords call completed with (completion wrappers are unwrapped)
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
        if ("ValidationException".equals(code)) {
            return Outcome.INVALID_REQUEST;
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
