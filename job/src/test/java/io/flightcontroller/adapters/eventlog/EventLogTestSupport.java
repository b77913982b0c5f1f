package io.flightcontroller.adapters.eventlog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/** Helpers shared by the event-log tests. */
final class EventLogTestSupport {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private EventLogTestSupport() {}

    /** Reads every JSON line of a converter output. */
    static List<JsonNode> readLines(Path jsonl) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(jsonl, StandardCharsets.UTF_8)) {
            out.add(MAPPER.readTree(line));
        }
        return out;
    }

    /** Writes UTF-8 text, gzipped. */
    static Path writeGzip(Path file, String text) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return file;
    }

    /**
     * Finds a file of the shared replay data ({@code shared/data/<name>}, which lives next to the repository root)
     * by walking up from the working directory; fails when it is not there. The file is read in place, never
     * copied.
     */
    static Path sharedData(String name) {
        return io.flightcontroller.testing.SharedData.path(name);
    }
}
