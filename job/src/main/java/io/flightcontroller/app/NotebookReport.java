package io.flightcontroller.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One HTML page from the notebooks in {@code notebooks/}: their cells joined into one notebook (in {@link #ORDER},
 * then any other notebook by name), executed in one kernel by {@code jupyter nbconvert --to html --execute} with
 * {@code FC_DB} and {@code FC_MEASURES} set, the code hidden unless asked for. Figures are embedded in the page.
 *
 * <p>Shape: the database is an SQLite file path, a {@code jdbc:sqlite:} URL or a PostgreSQL URL
 * ({@code postgresql://} or {@code jdbc:postgresql://}), passed to the notebooks as {@code FC_DB} (a relative file
 * path made absolute, because the kernel runs in a temporary folder); the notebooks folder is found from the
 * command's code location or the working directory (the repository's {@code notebooks/}, which holds {@code fc.py}),
 * or given; jupyter is {@code /usr/bin/jupyter} when present (Debian's; the Python packages come from Debian), else
 * {@code jupyter} on the PATH.
 */
public final class NotebookReport {
    /** Notebooks in report order; others follow by name. */
    public static final List<String> ORDER =
            Arrays.asList("lead-times.ipynb", "slos.ipynb", "process.ipynb", "data-quality.ipynb");
    /** The shared module every notebook imports; marks a notebooks folder. */
    public static final String MODULE = "fc.py";
    /** Debian's jupyter, preferred over one on the PATH. */
    public static final Path DEBIAN_JUPYTER = Paths.get("/usr/bin/jupyter");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern POSTGRES_URL = Pattern.compile("^(jdbc:)?postgres(ql)?://.*");

    private NotebookReport() {}

    /** What to run. */
    public static final class Settings {
        /** Results database: SQLite path or URL, or a PostgreSQL URL. */
        public String db;
        /** Measures file, or null. */
        public Path measures;
        /** The HTML page to write. */
        public Path output;
        /** Notebooks folder, or null to locate it. */
        public Path notebooks;
        /** jupyter executable, or null for the default. */
        public String jupyter;
        /** Keep the code cells in the page. */
        public boolean withCode;
        /** Longest run of all notebooks. */
        public Duration timeout = Duration.ofMinutes(10);
    }

    /**
     * Runs the notebooks and writes the page.
     *
     * @param s settings
     * @return the notebooks run, in page order
     * @throws IllegalArgumentException when the database, measures file, notebooks or jupyter cannot be found
     * @throws IllegalStateException when a notebook fails (with jupyter's output)
     * @throws IOException when files cannot be written
     * @throws InterruptedException when interrupted while waiting for jupyter
     */
    public static List<Path> write(Settings s) throws IOException, InterruptedException {
        String db = database(s.db);
        if (s.measures != null && !Files.isReadable(s.measures)) {
            throw new IllegalArgumentException("--measures " + s.measures + " is not a readable file");
        }
        Path dir = s.notebooks != null ? s.notebooks : locateNotebooks();
        if (!Files.isRegularFile(dir.resolve(MODULE))) {
            throw new IllegalArgumentException(
                    "--notebooks " + dir + " does not hold the notebooks (" + MODULE + " missing)");
        }
        List<Path> books = notebooks(dir);
        String jupyter = jupyter(s.jupyter);

        Path work = Files.createTempDirectory("flight-controller-report");
        try {
            Path combined = work.resolve("flight-controller-report.ipynb");
            Files.write(
                    combined,
                    JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(combine(books, title(db, s.measures))));
            List<String> cmd = new ArrayList<>(Arrays.asList(
                    jupyter,
                    "nbconvert",
                    "--to",
                    "html",
                    "--execute",
                    "--ExecutePreprocessor.timeout=" + s.timeout.getSeconds(),
                    "--output-dir",
                    work.toString(),
                    "--output",
                    "report"));
            if (!s.withCode) {
                cmd.add("--no-input");
            }
            cmd.add(combined.toString());
            ProcessBuilder pb = new ProcessBuilder(cmd)
                    .directory(work.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(work.resolve("jupyter.log").toFile());
            Map<String, String> env = pb.environment();
            env.put("FC_DB", db);
            if (s.measures != null) {
                env.put("FC_MEASURES", s.measures.toAbsolutePath().toString());
            } else {
                env.remove("FC_MEASURES");
            }
            String pythonPath = env.get("PYTHONPATH");
            env.put(
                    "PYTHONPATH",
                    dir.toAbsolutePath()
                            + (pythonPath == null || pythonPath.isEmpty()
                                    ? ""
                                    : java.io.File.pathSeparator + pythonPath));
            env.put("MPLCONFIGDIR", work.resolve("matplotlib").toString());
            Process p = pb.start();
            if (!p.waitFor(s.timeout.getSeconds() + 60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("report: jupyter did not finish within " + s.timeout);
            }
            Path html = work.resolve("report.html");
            if (p.exitValue() != 0 || !Files.isRegularFile(html)) {
                throw new IllegalStateException("report: a notebook failed (jupyter exit code " + p.exitValue() + "):\n"
                        + tail(work.resolve("jupyter.log"), 40));
            }
            Path parent = s.output.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.move(html, s.output, StandardCopyOption.REPLACE_EXISTING);
            return books;
        } finally {
            deleteTree(work);
        }
    }

    /**
     * @param db a database option value
     * @return it for FC_DB: a URL as given, a file path absolute
     * @throws IllegalArgumentException when an SQLite file does not exist
     */
    static String database(String db) {
        if (db == null || db.trim().isEmpty()) {
            throw new IllegalArgumentException("--db must name an SQLite file or a PostgreSQL URL");
        }
        if (POSTGRES_URL.matcher(db).matches()) {
            return db;
        }
        Path file = Paths.get(db.startsWith("jdbc:sqlite:") ? db.substring("jdbc:sqlite:".length()) : db);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("--db " + db + ": no such SQLite file (run `flight-controller run` "
                    + "first, or pass --db with a results database)");
        }
        return file.toAbsolutePath().toString();
    }

    /**
     * The repository's {@code notebooks/} folder: the nearest one holding {@link #MODULE} above the code location of
     * this class ({@code job/target/classes} or the jar) or above the working directory.
     *
     * @return the folder
     * @throws IllegalArgumentException when there is none
     */
    static Path locateNotebooks() {
        List<Path> starts = new ArrayList<>();
        try {
            starts.add(Paths.get(NotebookReport.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI()));
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            // no code location: the working directory alone
        }
        starts.add(Paths.get("").toAbsolutePath());
        for (Path start : starts) {
            for (Path d = start.toAbsolutePath(); d != null; d = d.getParent()) {
                if (Files.isRegularFile(d.resolve("notebooks").resolve(MODULE))) {
                    return d.resolve("notebooks");
                }
            }
        }
        throw new IllegalArgumentException(
                "--notebooks: no notebooks/ folder (with " + MODULE + ") above " + starts + "; pass --notebooks DIR");
    }

    /**
     * @param dir the notebooks folder
     * @return its notebooks in report order
     * @throws IOException when the folder cannot be listed
     */
    static List<Path> notebooks(Path dir) throws IOException {
        List<Path> all;
        try (Stream<Path> s = Files.list(dir)) {
            all = s.filter(p -> p.getFileName().toString().endsWith(".ipynb"))
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted(Comparator.comparing((Path p) -> {
                                int i = ORDER.indexOf(p.getFileName().toString());
                                return i < 0 ? ORDER.size() : i;
                            })
                            .thenComparing(p -> p.getFileName().toString()))
                    .collect(Collectors.toList());
        }
        if (all.isEmpty()) {
            throw new IllegalArgumentException("--notebooks " + dir + " holds no .ipynb files");
        }
        return all;
    }

    private static String jupyter(String option) {
        if (option != null) {
            return option;
        }
        if (Files.isExecutable(DEBIAN_JUPYTER)) {
            return DEBIAN_JUPYTER.toString();
        }
        for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!d.isEmpty() && Files.isExecutable(Paths.get(d, "jupyter"))) {
                return Paths.get(d, "jupyter").toString();
            }
        }
        throw new IllegalArgumentException("--jupyter: jupyter not found (/usr/bin/jupyter or on the PATH); install "
                + "Debian's packages with .ci/install-notebooks.sh or apt-get install jupyter-nbconvert "
                + "python3-nbformat python3-ipykernel python3-pandas python3-matplotlib python3-yaml");
    }

    private static String title(String db, Path measures) {
        String shown = db.replaceAll("(password=)[^&]*", "$1***").replaceAll("//([^:/@]+):[^@]*@", "//$1:***@");
        return "# Flight Controller report\n\nResults database `" + shown + "`"
                + (measures != null ? ", measures file `" + measures.toAbsolutePath() + "`" : "")
                + "; generated " + Instant.now().toString().replaceFirst("\\.\\d+Z$", "Z") + " by "
                + "`flight-controller report` from the notebooks in `notebooks/` (lead times, SLOs, process, data "
                + "quality). Times are UTC.";
    }

    /**
     * Joins notebooks into one: a title cell, then every notebook's cells (cell ids prefixed so they stay unique;
     * each first markdown cell cut before its "How to run" paragraph).
     *
     * @param books notebooks in order
     * @param title Markdown of the title cell
     * @return the combined notebook (nbformat 4)
     * @throws IOException when a notebook cannot be read
     */
    static ObjectNode combine(List<Path> books, String title) throws IOException {
        ObjectNode out = JSON.createObjectNode();
        ArrayNode cells = out.putArray("cells");
        ObjectNode head = cells.addObject();
        head.put("cell_type", "markdown").put("id", "report-title").putObject("metadata");
        head.put("source", title);
        JsonNode metadata = null;
        int n = 0;
        for (Path book : books) {
            JsonNode nb = JSON.readTree(book.toFile());
            if (metadata == null) {
                metadata = nb.path("metadata");
            }
            n++;
            boolean first = true;
            int i = 0;
            for (JsonNode c : nb.path("cells")) {
                ObjectNode cell = c.deepCopy();
                cell.put(
                        "id", "nb" + n + "-" + (c.hasNonNull("id") ? c.get("id").asText() : "c" + i));
                i++;
                if (first && "markdown".equals(cell.path("cell_type").asText())) {
                    String src = source(cell);
                    int cut = src.indexOf("\nHow to run:");
                    cell.put("source", cut < 0 ? src : src.substring(0, cut).trim());
                }
                first = false;
                if ("code".equals(cell.path("cell_type").asText())) {
                    cell.putArray("outputs");
                    cell.putNull("execution_count");
                }
                cells.add(cell);
            }
        }
        out.set("metadata", metadata == null ? JSON.createObjectNode() : metadata);
        out.put("nbformat", 4).put("nbformat_minor", 5);
        return out;
    }

    private static String source(JsonNode cell) {
        JsonNode s = cell.path("source");
        if (s.isArray()) {
            StringBuilder b = new StringBuilder();
            s.forEach(line -> b.append(line.asText()));
            return b.toString();
        }
        return s.asText();
    }

    private static String tail(Path log, int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no jupyter output: " + e.getMessage() + ")";
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary folder left behind is harmless
        }
    }
}
