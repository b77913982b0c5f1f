package io.flightcontroller.adapters;

import io.flightcontroller.domain.event.DeadLetter;
import java.io.Serializable;

/**
 * Where a sink puts records it gave up on, so that nothing is dropped silently.
 *
 * <p>A Flink sink cannot emit to a side output, so the sinks of this package take a handler instead. It is serialized
 * with the sink and called from the sink writer's task thread or from the client's response threads (implementations
 * must be thread-safe). One handler instance exists per parallel writer after deserialization.
 *
 * <p>Errors: an implementation that cannot store a dead letter throws an unchecked exception, which fails the job (a
 * dead letter must never vanish).
 */
@FunctionalInterface
public interface DeadLetterHandler extends Serializable {

    /**
     * Stores or reports one dead letter.
     *
     * @param deadLetter the record given up on, with stage ({@code sink:<name>}), reason and detail
     */
    void accept(DeadLetter deadLetter);
}
