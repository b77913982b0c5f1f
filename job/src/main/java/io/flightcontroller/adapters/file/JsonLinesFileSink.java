package io.flightcontroller.adapters.file;

import io.flightcontroller.adapters.json.Json;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.util.function.SerializableFunction;

/**
 * Appends records as JSON Lines (see {@link Json}) to one local file, for local runs (alerts, dead letters). Run it at
 * parallelism 1; the caller truncates the file before the job starts so a re-run gives the same file. Flushes on
 * every checkpoint and at end of input.
 *
 * @param <T> record type
 */
public final class JsonLinesFileSink<T> implements Sink<T> {
    private static final long serialVersionUID = 1L;

    private final String path;
    private final SerializableFunction<T, String> format;

    /** @param path the output file; parent folders are created; records written with {@link Json#line} */
    public JsonLinesFileSink(Path path) {
        this(path, Json::line);
    }

    /**
     * @param path the output file; parent folders are created
     * @param format turns a record into one line of JSON (e.g. {@code AlertJson::toJson})
     */
    public JsonLinesFileSink(Path path, SerializableFunction<T, String> format) {
        this.path = path.toAbsolutePath().toString();
        this.format = format;
    }

    /**
     * Creates or truncates the file.
     *
     * @param path the output file
     * @throws IOException when it cannot be written
     */
    public static void truncate(Path path) throws IOException {
        if (path.toAbsolutePath().getParent() != null) {
            Files.createDirectories(path.toAbsolutePath().getParent());
        }
        Files.write(path, new byte[0]);
    }

    @Override
    @SuppressWarnings("deprecation")
    public SinkWriter<T> createWriter(InitContext context) throws IOException {
        Path p = Paths.get(path);
        if (p.getParent() != null) {
            Files.createDirectories(p.getParent());
        }
        BufferedWriter w = Files.newBufferedWriter(p, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        return new SinkWriter<T>() {
            @Override
            public void write(T element, Context ctx) throws IOException {
                w.write(format.apply(element));
                w.write('\n');
            }

            @Override
            public void flush(boolean endOfInput) throws IOException {
                w.flush();
            }

            @Override
            public void close() throws IOException {
                w.close();
            }
        };
    }
}
