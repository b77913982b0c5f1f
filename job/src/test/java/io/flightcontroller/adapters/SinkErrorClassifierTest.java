package io.flightcontroller.adapters;

import static org.assertj.core.api.Assertions.assertThat;

import io.flightcontroller.adapters.SinkErrorClassifier.Outcome;
import io.flightcontroller.adapters.influx.InfluxLineProtocolSinkWriter;
import io.flightcontroller.adapters.sns.SnsAlertSinkWriter;
import io.flightcontroller.adapters.timestream.TimestreamSinkWriter;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/** One classifier, three services' codes: what each sink retries, dead-letters or fails on. */
class SinkErrorClassifierTest {

    private static AwsServiceException aws(String code, int status, String message) {
        return AwsServiceException.builder()
                .message(message)
                .statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder()
                        .errorCode(code)
                        .errorMessage(message)
                        .build())
                .build();
    }

    @Test
    void wrappedServiceErrorsAreClassifiedByTheirCodeAndNetworkErrorsAreRetried() {
        SinkErrorClassifier sns = SnsAlertSinkWriter.ERRORS;
        assertThat(sns.classify(new CompletionException(new ExecutionException(aws("NotFound", 404, "no topic")))))
                .isEqualTo(Outcome.FATAL);
        assertThat(sns.classify(new CompletionException(aws("KMSThrottling", 400, "slow down"))))
                .isEqualTo(Outcome.THROTTLED);
        assertThat(sns.classify(new CompletionException(SdkClientException.create("connection refused"))))
                .isEqualTo(Outcome.RETRYABLE);
        assertThat(sns.classify(aws("SomethingNew", 400, "unknown"))).isEqualTo(Outcome.RETRYABLE);
    }

    @Test
    void timestreamValidationErrorsDeadLetterTheBatchAndMissingTablesAreFatal() {
        SinkErrorClassifier ts = TimestreamSinkWriter.ERRORS;
        assertThat(ts.classify(aws("ValidationException", 400, "bad record"))).isEqualTo(Outcome.INVALID_REQUEST);
        assertThat(ts.classify(aws("ResourceNotFoundException", 404, "no table")))
                .isEqualTo(Outcome.FATAL);
        assertThat(ts.classify(aws("ThrottlingException", 400, "slow down"))).isEqualTo(Outcome.THROTTLED);
        assertThat(ts.classify(aws("InternalServerException", 500, "boom"))).isEqualTo(Outcome.RETRYABLE);
        assertThat(ts.classify(null, "denied", 403)).isEqualTo(Outcome.FATAL);
        // SNS does not dead-letter a ValidationException by code: the codes are each service's own
        assertThat(SnsAlertSinkWriter.ERRORS.classify("ValidationException", "x", 400))
                .isEqualTo(Outcome.RETRYABLE);
    }

    @Test
    void influxStatusesAreClassifiedWithoutCodes() {
        SinkErrorClassifier influx = InfluxLineProtocolSinkWriter.ERRORS;
        assertThat(influx.classify(null, null, 429)).isEqualTo(Outcome.THROTTLED);
        assertThat(influx.classify(null, null, 503)).isEqualTo(Outcome.RETRYABLE);
        assertThat(influx.classify(null, null, 401)).isEqualTo(Outcome.FATAL);
        assertThat(influx.classify(null, null, 404)).isEqualTo(Outcome.FATAL);
        assertThat(influx.classify(null, null, 400)).isEqualTo(Outcome.INVALID_REQUEST);
        assertThat(influx.classify(null, null, 413)).isEqualTo(Outcome.INVALID_REQUEST);
        // a rejected line's body saying "rate exceeded" is still a rejected line
        assertThat(influx.classify(null, "rate exceeded in field", 400)).isEqualTo(Outcome.INVALID_REQUEST);
    }
}
