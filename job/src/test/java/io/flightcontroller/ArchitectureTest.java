package io.flightcontroller;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The package rules of the README's layout, checked on the main sources' import statements (and fully qualified
 * names): the domain is plain Java; adapters know neither the pipeline nor the app; the app wires everything in one
 * place.
 */
class ArchitectureTest {
    private static final Path MAIN = Path.of("src/main/java/io/flightcontroller");
    private static final Pattern REFERENCE = Pattern.compile("\\b((?:org\\.apache\\.flink|software\\.amazon|"
            + "com\\.amazonaws|com\\.fasterxml|io\\.flightcontroller\\.(?:pipeline|app|adapters))\\b[\\w.]*)");

    @Test
    void domainImportsNoFlinkAwsOrJackson() {
        assertThat(references(
                        "domain",
                        "org.apache.flink",
                        "software.amazon",
                        "com.amazonaws",
                        "com.fasterxml",
                        "io.flightcontroller.pipeline",
                        "io.flightcontroller.app",
                        "io.flightcontroller.adapters"))
                .isEmpty();
    }

    @Test
    void adaptersImportNeitherPipelineNorApp() {
        assertThat(references("adapters", "io.flightcontroller.pipeline", "io.flightcontroller.app"))
                .isEmpty();
    }

    @Test
    void pipelineImportsNoAdapterNorApp() {
        assertThat(references("pipeline", "io.flightcontroller.app", "io.flightcontroller.adapters"))
                .isEmpty();
    }

    @Test
    void everySourceUidIsDeclaredOnce() throws IOException {
        List<String> files = new ArrayList<>();
        try (Stream<Path> s = Files.walk(MAIN)) {
            s.filter(p -> p.toString().endsWith(".java")).forEach(p -> {
                if (read(p).contains("uid(\"source-files\")")) {
                    files.add(MAIN.relativize(p).toString());
                }
            });
        }
        assertThat(files).containsExactly("app/JobWiring.java");
    }

    /** @return "file: reference" for every reference in package {@code pkg} to one of {@code forbidden} */
    private static List<String> references(String pkg, String... forbidden) {
        List<String> found = new ArrayList<>();
        try (Stream<Path> s = Files.walk(MAIN.resolve(pkg))) {
            s.filter(p -> p.toString().endsWith(".java")).forEach(p -> {
                Matcher m = REFERENCE.matcher(read(p));
                while (m.find()) {
                    for (String f : forbidden) {
                        if (m.group(1).startsWith(f)) {
                            found.add(MAIN.relativize(p) + ": " + m.group(1));
                        }
                    }
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found;
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
