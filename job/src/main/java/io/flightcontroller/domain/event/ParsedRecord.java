package io.flightcontroller.domain.event;

import java.io.Serializable;

/**
 * What a source yields for one raw record: either an {@link ProcessEvent} or a {@link DeadLetter} saying why the record
 * could not be read. Exactly one of the two is set.
 *
 * <p>Shape: {@code event} or {@code deadLetter}, and {@code raw}: the record exactly as received (the JSON line or the
 * Kinesis record's text; for a re-driven dead letter, the original record it held). For a dead letter it equals the
 * dead letter's {@code raw} (capped at {@link DeadLetter#MAX_RAW_CHARS} characters; for a record that is not valid
 * UTF-8, the readable rendering described at {@link DeadLetter}). Null when the producer did not set it. A Flink POJO
 * (public no-argument constructor, getters and setters).
 */
public class ParsedRecord implements Serializable {
    private static final long serialVersionUID = 1L;

    private ProcessEvent event;
    private DeadLetter deadLetter;
    private String raw;

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

    /** @param e the event @param raw the record as received @return a record holding both */
    public static ParsedRecord ofEvent(ProcessEvent e, String raw) {
        ParsedRecord r = ofEvent(e);
        r.raw = raw;
        return r;
    }

    /** @param d the dead letter @param raw the record as received (its raw) @return a record holding both */
    public static ParsedRecord ofDeadLetter(DeadLetter d, String raw) {
        ParsedRecord r = ofDeadLetter(d);
        r.raw = raw;
        return r;
    }

    /** @return whether this holds an event */
    public boolean isEvent() {
        return event != null;
    }

    public ProcessEvent getEvent() {
        return event;
    }

    public void setEvent(ProcessEvent event) {
        this.event = event;
    }

    public DeadLetter getDeadLetter() {
        return deadLetter;
    }

    public void setDeadLetter(DeadLetter deadLetter) {
        this.deadLetter = deadLetter;
    }
    /** @return the record as received (see the class comment), or null */
    public String getRaw() {
        return raw;
    }

    public void setRaw(String raw) {
        this.raw = raw;
    }

    /** @return the event time in epoch ms for events, {@link Long#MIN_VALUE} for dead letters */
    public long eventTimeOrMin() {
        return event != null ? event.getTimeMs() : Long.MIN_VALUE;
    }
}
