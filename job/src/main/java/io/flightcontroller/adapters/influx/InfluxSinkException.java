package io.flightcontroller.adapters.influx;

/** A non-retryable InfluxDB write error (bad token, missing org or bucket); fails the job. */
public class InfluxSinkException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what failed and what to check */
    public InfluxSinkException(String message) {
        super(message);
    }
}
