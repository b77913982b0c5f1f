package io.flightcontroller.adapters;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * Classifies the errors of one service once, for every {@link RetryingSinkWriter} (after flink-connector-aws's
 * exception classifiers): configuration and permission errors are fatal (retrying cannot help, and dead-lettering every
 * record would hide a broken deployment), throttling and server errors are retried with backoff, an invalid request
 * dead-letters its records, anything else (network errors, unknown codes) is retried and ends in the dead-letter
 * handler when the attempts run out. Each sink builds one instance with its service's codes.
 *
 * <p>Shape: the rules are applied in this order to an error code (AWS {@code awsErrorDetails().errorCode()}, may be
 * null), message and HTTP status (0 when unknown):
 * <ol>
 *   <li>{@link Outcome#THROTTLED}: one of the throttling codes, HTTP 429, or (when enabled) a message containing
 *       "rate exceeded";</li>
 *   <li>{@link Outcome#FATAL}: one of the fatal codes or fatal statuses (401 and 403 unless configured);</li>
 *   <li>{@link Outcome#INVALID_REQUEST}: one of the invalid-request codes;</li>
 *   <li>HTTP 5xx or unknown status: {@link Outcome#RETRYABLE};</li>
 *   <li>any other status: the configured client-error outcome ({@link Outcome#RETRYABLE} by default).</li>
 * </ol>
 * An error that is not an {@link AwsServiceException} (network, timeout) is {@link Outcome#RETRYABLE}.
 */
public final class SinkErrorClassifier {

    /** What to do with a failed request or entry. */
    public enum Outcome {
        /** Fail the job with a clear message. */
        FATAL,
        /** Dead-letter the records: they are malformed for the service, retrying cannot help. */
        INVALID_REQUEST,
        /** Retry after a backoff: the service asked us to slow down. */
        THROTTLED,
        /** Retry after a backoff: a server or network error. */
        RETRYABLE
    }

    private final Set<String> fatalCodes;
    private final Set<String> throttlingCodes;
    private final Set<String> invalidRequestCodes;
    private final Set<Integer> fatalStatuses;
    private final Outcome otherClientError;
    private final boolean rateExceededMessage;

    private SinkErrorClassifier(Builder b) {
        this.fatalCodes = Collections.unmodifiableSet(new HashSet<>(b.fatalCodes));
        this.throttlingCodes = Collections.unmodifiableSet(new HashSet<>(b.throttlingCodes));
        this.invalidRequestCodes = Collections.unmodifiableSet(new HashSet<>(b.invalidRequestCodes));
        this.fatalStatuses = Collections.unmodifiableSet(new HashSet<>(b.fatalStatuses));
        this.otherClientError = b.otherClientError;
        this.rateExceededMessage = b.rateExceededMessage;
    }

    /** @return a builder: no codes, fatal statuses 401 and 403, other client errors retryable, "rate exceeded" on */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @param error the error a request completed with (completion and execution wrappers are unwrapped)
     * @return the outcome
     */
    public Outcome classify(Throwable error) {
        Throwable t = unwrap(error);
        if (t instanceof AwsServiceException) {
            AwsServiceException e = (AwsServiceException) t;
            String code =
                    e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
            return classify(code, e.getMessage(), e.statusCode());
        }
        return Outcome.RETRYABLE;
    }

    /**
     * @param code error code, may be null
     * @param message error message, may be null
     * @param httpStatus HTTP status, 0 when unknown
     * @return the outcome, by the rules of the class comment
     */
    public Outcome classify(String code, String message, int httpStatus) {
        if (code != null && throttlingCodes.contains(code)
                || httpStatus == 429
                || rateExceededMessage
                        && message != null
                        && message.toLowerCase(Locale.ROOT).contains("rate exceeded")) {
            return Outcome.THROTTLED;
        }
        if (code != null && fatalCodes.contains(code) || fatalStatuses.contains(httpStatus)) {
            return Outcome.FATAL;
        }
        if (code != null && invalidRequestCodes.contains(code)) {
            return Outcome.INVALID_REQUEST;
        }
        if (httpStatus <= 0 || httpStatus >= 500) {
            return Outcome.RETRYABLE;
        }
        return otherClientError;
    }

    /** @return the codes that fail the job */
    public Set<String> fatalCodes() {
        return fatalCodes;
    }

    /** @return the codes that mean "slow down" */
    public Set<String> throttlingCodes() {
        return throttlingCodes;
    }

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

    /** Collects a service's codes and statuses. */
    public static final class Builder {
        private final Set<String> fatalCodes = new HashSet<>();
        private final Set<String> throttlingCodes = new HashSet<>();
        private final Set<String> invalidRequestCodes = new HashSet<>();
        private final Set<Integer> fatalStatuses = new HashSet<>(Arrays.asList(401, 403));
        private Outcome otherClientError = Outcome.RETRYABLE;
        private boolean rateExceededMessage = true;

        private Builder() {}

        /** @param codes error codes that fail the job (missing resource, credentials, permissions); @return this */
        public Builder fatalCodes(String... codes) {
            fatalCodes.addAll(Arrays.asList(codes));
            return this;
        }

        /** @param codes error codes meaning "slow down"; @return this */
        public Builder throttlingCodes(String... codes) {
            throttlingCodes.addAll(Arrays.asList(codes));
            return this;
        }

        /** @param codes error codes that dead-letter the request's records; @return this */
        public Builder invalidRequestCodes(String... codes) {
            invalidRequestCodes.addAll(Arrays.asList(codes));
            return this;
        }

        /** @param statuses HTTP statuses that fail the job (replaces 401 and 403); @return this */
        public Builder fatalStatuses(Integer... statuses) {
            fatalStatuses.clear();
            fatalStatuses.addAll(Arrays.asList(statuses));
            return this;
        }

        /** @param outcome the outcome of an HTTP status below 500 that no other rule matched; @return this */
        public Builder otherClientErrors(Outcome outcome) {
            otherClientError = outcome;
            return this;
        }

        /** @param on whether a message containing "rate exceeded" means throttling (AWS); @return this */
        public Builder rateExceededMessage(boolean on) {
            rateExceededMessage = on;
            return this;
        }

        /** @return the classifier */
        public SinkErrorClassifier build() {
            return new SinkErrorClassifier(this);
        }
    }
}
