package io.flightcontroller.infra;

import io.flightcontroller.config.RuntimePropertyKeys;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Collects the Managed Flink runtime property groups of the application, keyed by the job's own constants in
 * {@link RuntimePropertyKeys}. Any group or key the job does not read is refused at once, so the stack can never
 * deploy a property the job would ignore.
 */
public final class RuntimeProperties {
    private final Map<String, Map<String, String>> groups = new LinkedHashMap<>();

    /**
     * Sets one property.
     *
     * @param group property group id, one of the {@code RuntimePropertyKeys.GROUP_*} constants
     * @param key property key of that group
     * @param value value (may be a CDK token that resolves at deploy time)
     * @return this
     * @throws IllegalArgumentException when the job does not know the group or key
     */
    public RuntimeProperties put(String group, String key, String value) {
        if (!RuntimePropertyKeys.isKnown(group, key)) {
            throw new IllegalArgumentException("the job does not read runtime property " + group + " / " + key
                    + " (see io.flightcontroller.config.RuntimePropertyKeys)");
        }
        if (value == null) {
            throw new IllegalArgumentException("runtime property " + group + " / " + key + " has no value");
        }
        groups.computeIfAbsent(group, g -> new LinkedHashMap<>()).put(key, value);
        return this;
    }

    /** @return the groups in insertion order, each an unmodifiable key-to-value map */
    public Map<String, Map<String, String>> groups() {
        Map<String, Map<String, String>> copy = new LinkedHashMap<>();
        groups.forEach((g, m) -> copy.put(g, Collections.unmodifiableMap(new LinkedHashMap<>(m))));
        return Collections.unmodifiableMap(copy);
    }
}
