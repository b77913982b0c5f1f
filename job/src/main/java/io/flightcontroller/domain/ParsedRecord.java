package io.flightcontroller.domain;

import java.io.Serializable;

/**
 * What a source yields for one raw record: either an {@link ProcessEvent} or a {@link DeadLetter} saying why the record
 * could not be read. Exactly one of the two is set.
 */
public class ParsedRecord implements Serializable {
    private static final long serialVersionUID = 1L;

    private ProcessEvent event;
    private DeadLetter deadLetter;

    public ParsedRecord() {}

    /** @param e the event @return a record holding it */
    public static ParsedRecord ofEvent(ProcessEvent e) {
        ParsedRecord r = new ParsedRecord();
        r.event = e;
        return r;
    }

    /** @param d the dead letter @return a record holding it */
    public static ParsedRecord ofDeadLetter(DeadLetter d) {
        ParsedRecord r = new ParsedRecord();
        r.deadLetter = d;
        return r;
    }

    /** @return whether this holds an event */
    public boolean isEvent() { return event != null; }
    public ProcessEvent getEvent() { return event; }
    public void setEvent(ProcessEvent event) { this.event = event; }
    public DeadLetter getDeadLetter() { return deadLetter; }
    public void setDeadLetter(DeadLetter deadLetter) { this.deadLetter = deadLetter; }

    /** @return the event time in epoch ms for events, {@link Long#MIN_VALUE} for dead letters */
    public long eventTimeOrMin() {
        return event != null ? event.getTimeMs() : Long.MIN_VALUE;
    }
}
