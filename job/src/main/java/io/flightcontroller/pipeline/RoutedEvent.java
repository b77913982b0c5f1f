package io.flightcontroller.pipeline;

import io.flightcontroller.domain.ProcessEvent;

/**
 * An event routed to one measure: the measure's index in the measures file, the case key under that measure, the
 * event, and whether it arrived late (at or behind the watermark). Keyed by {@link #key()}.
 */
public class RoutedEvent {
    public int measure;
    public String caseKey;
    public ProcessEvent event;
    public boolean late;

    public RoutedEvent() {}

    /**
     * @param measure measure index
     * @param caseKey case key
     * @param event the event
     * @param late whether it arrived behind the watermark
     */
    public RoutedEvent(int measure, String caseKey, ProcessEvent event, boolean late) {
        this.measure = measure;
        this.caseKey = caseKey;
        this.event = event;
        this.late = late;
    }

    /** @return the keyed-state key: {@code <measure index>:<case key>} */
    public String key() {
        return measure + ":" + caseKey;
    }
}
