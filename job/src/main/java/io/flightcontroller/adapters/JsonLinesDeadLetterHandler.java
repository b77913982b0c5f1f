package io.flightcontroller.adapters;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.flightcontroller.domain.event.DeadLetter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;

/**
 * Appends dead letters to a local JSON Lines file, one JSON object per line (the {@link DeadLetter} properties:
 * {@code stage}, {@code reason}, {@code detail}, {@code raw}, {@code correlationId}, {@code eventTimeMs}).
 *
 * <p>Each line is flushed as it is written, so the file is complete when the writer that called the handler has
 * finished. Parallel writers in one JVM share the file safely (appends are serialized on the class); writers in
 * different JVMs should use different paths. Errors: an {@link UncheckedIOException} when the file cannot be written.
 */
public class JsonLinesDeadLetterHandler implements DeadLetterHandler {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String path;

    /**
     * @param path file to append to; parent folders are created
     */
    public JsonLinesDeadLetterHandler(String path) {
        if (path == null || path.isEmpty()) {
            throw new IllegalArgumentException("dead-letter path must be set");
        }
        this.path = path;
    }

    /** @return the file this handler appends to */
    public String getPath() {
        return path;
    }

    @Override
    public void accept(DeadLetter deadLetter) {
        synchronized (JsonLinesDeadLetterHandler.class) {
            Path p = Paths.get(path);
            try {
                if (p.getParent() != null) {
                    Files.createDirectories(p.getParent());
                }
                try (Writer w = Files.newBufferedWriter(
                        p, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
                    w.write(MAPPER.writeValueAsString(deadLetter));
                    w.write('\n');
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot append dead letter to " + path, e);
            }
        }
    }
}
