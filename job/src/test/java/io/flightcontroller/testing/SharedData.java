package io.flightcontroller.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Locates the shared replay logs ({@code ../shared/data/} beside the repository), read in place, never copied. */
public final class SharedData {
    private SharedData() {}

    /**
     * Finds {@code shared/data/<name>} by walking up from the working directory.
     *
     * @param name file name
     * @return the path
     * @throws AssertionError when the file is not there
     */
    public static Path path(String name) {
        Path dir = Paths.get("").toAbsolutePath();
        while (dir != null) {
            Path candidate = dir.resolve("shared").resolve("data").resolve(name);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
            dir = dir.getParent();
        }
        throw new AssertionError(
                "shared/data/" + name + " not found above " + Paths.get("").toAbsolutePath()
                        + "; the replay logs are expected at ../shared/data/ relative to the repository root");
    }
}
