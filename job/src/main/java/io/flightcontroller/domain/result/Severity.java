package io.flightcontroller.domain.result;

import java.util.Locale;

/**
 * How urgently an alert needs a person, after the SRE Workbook's alerting chapter ("Alerting on SLOs": fast burns page,
 * slow burns open a ticket). Sinks write {@link #label()}: {@code page}, {@code ticket}, {@code info}.
 *
 * <p>Shape: burn-rate alerts take the severity of their rule (default {@link #PAGE}); an SLO breach of one case is a
 * {@link #TICKET}; a timeout is {@link #INFO}.
 */
public enum Severity {
    /** Wake someone up: the error budget burns fast. */
    PAGE,
    /** Needs attention within working hours. */
    TICKET,
    /** For the record. */
    INFO;

    /** @return the lower-case name sinks write, e.g. {@code page} */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param s {@code page}, {@code ticket} or {@code info}, in any case
     * @return the severity
     * @throws IllegalArgumentException for any other text
     */
    public static Severity parse(String s) {
        for (Severity v : values()) {
            if (v.name().equalsIgnoreCase(s == null ? "" : s.trim())) {
                return v;
            }
        }
        throw new IllegalArgumentException("must be page, ticket or info, was '" + s + "'");
    }
}
