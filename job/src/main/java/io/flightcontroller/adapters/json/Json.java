package io.flightcontroller.adapters.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;

/**
 * The JSON form of the job's output records (alerts, dead letters, measurements): snake_case field names, nulls left
 * out. One shared {@link ObjectMapper} (thread-safe once configured).
 */
public final class Json {
    private Json() {}

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);

    /** @return the shared mapper */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /**
     * Writes a record as one line of JSON.
     *
     * @param value the record
     * @return JSON text without line breaks
     * @throws IllegalStateException if the record cannot be serialized (a programming error)
     */
    public static String line(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(
                    "cannot serialize " + value.getClass().getSimpleName(), e);
        }
    }
}
