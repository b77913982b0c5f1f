package io.flightcontroller.adapters;

import io.flightcontroller.domain.event.DeadLetter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs each dead letter at WARN on the logger {@code io.flightcontroller.deadletters} (stage, reason, detail and the raw
 * record, capped at {@link DeadLetter#MAX_RAW_CHARS} characters). Meant for Managed Service for Apache Flink, where
 * the logs go to CloudWatch Logs.
 */
public class LoggingDeadLetterHandler implements DeadLetterHandler {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger("io.flightcontroller.deadletters");

    @Override
    public void accept(DeadLetter d) {
        LOG.warn(
                "dead letter stage={} reason={} detail={} correlationId={} raw={}",
                d.getStage(),
                d.getReason(),
                d.getDetail(),
                d.getCorrelationId(),
                d.getRaw());
    }
}
