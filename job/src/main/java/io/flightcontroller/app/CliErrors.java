package io.flightcontroller.app;

import io.flightcontroller.adapters.jdbc.JdbcConnections;
import io.flightcontroller.adapters.jdbc.JdbcOutputs;
import io.flightcontroller.adapters.jdbc.JdbcTables;
import io.flightcontroller.adapters.parse.MeasuresYaml;
import io.flightcontroller.domain.measure.InvalidMeasureException;
import io.flightcontroller.domain.measure.MeasuresConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.UnknownHostException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.SQLException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * How the command line reports errors, and the checks that turn a bad option into one: missing or unreadable
 * files, folders and files that cannot be created or written, a database that cannot be reached, an invalid
 * measures file, a duration that is not ISO-8601. The checks run before the job starts, so the error is immediate.
 *
 * <p>Shape: a bad command line or configuration prints exactly one line on stderr, {@code <command>: <option>
 * <value>: <problem>} (e.g. {@code flight-controller run: --measures /x.yaml: no such file}), and exits with code
 * {@value #USAGE}; {@code --verbose} adds the stack trace. Any other failure (the job failing at run time) prints
 * the error and its stack trace and exits with {@value #FAILED}; success is {@value #OK}. A password in a JDBC URL is
 * shown as {@code ***}.
 */
public final class CliErrors {
    /** Exit code of a successful command. */
    public static final int OK = 0;
    /** Exit code of a command that failed while running (e.g. the job failed). */
    public static final int FAILED = 1;
    /** Exit code of a bad command line or configuration. */
    public static final int USAGE = 2;
    /** The option that adds stack traces to error lines. */
    public static final String VERBOSE = "--verbose";

    private CliErrors() {}

    /**
     * Installs the error handling on a command line and its subcommands: one-line messages for parse errors and
     * {@link UsageException}s (and {@link IllegalArgumentException}s, which includes invalid measures), and an
     * ISO-8601 duration converter with a clear message. Call it after all subcommands are added.
     *
     * @param cl the command line
     * @return {@code cl}
     */
    public static CommandLine install(CommandLine cl) {
        cl.registerConverter(Duration.class, CliErrors::duration);
        cl.setParameterExceptionHandler(CliErrors::onParseError);
        cl.setExecutionExceptionHandler(CliErrors::onExecutionError);
        return cl;
    }

    static int onParseError(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        String name = cmd.getCommandSpec().qualifiedName();
        StringBuilder line = new StringBuilder(oneLine(ex.getMessage()));
        if (ex instanceof UnmatchedArgumentException) {
            List<String> s = ((UnmatchedArgumentException) ex).getSuggestions();
            if (!s.isEmpty()) {
                line.append("; did you mean ")
                        .append(String.join(" or ", s.subList(0, Math.min(3, s.size()))))
                        .append('?');
            }
        }
        line.append(" (").append(name).append(" --help lists the options)");
        print(cmd, line.toString(), ex, Arrays.asList(args).contains(VERBOSE));
        return USAGE;
    }

    static int onExecutionError(Exception ex, CommandLine cmd, ParseResult parsed) {
        if (ex instanceof UsageException || ex instanceof IllegalArgumentException) {
            print(cmd, ex.getMessage(), ex, verbose(parsed));
            return USAGE;
        }
        print(cmd, String.valueOf(ex), ex, true);
        return FAILED;
    }

    private static void print(CommandLine cmd, String message, Throwable ex, boolean trace) {
        PrintWriter err = cmd.getErr();
        err.println(cmd.getCommandSpec().qualifiedName() + ": " + oneLine(message));
        if (trace) {
            ex.printStackTrace(err);
        }
        err.flush();
    }

    private static boolean verbose(ParseResult parsed) {
        for (ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption(VERBOSE)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Converts an option value to a duration.
     *
     * @param value ISO-8601, e.g. {@code PT5S}, {@code P7D} (letters in either case)
     * @return the duration, never negative
     */
    static Duration duration(String value) {
        Duration d;
        try {
            d = Duration.parse(value);
        } catch (DateTimeParseException e) {
            throw new TypeConversionException(
                    "'" + value + "' is not an ISO-8601 duration (e.g. PT5S, PT1M, PT1H, P7D)");
        }
        if (d.isNegative()) {
            throw new TypeConversionException("'" + value + "' is negative");
        }
        return d;
    }

    /**
     * Checks that a file exists and can be read.
     *
     * @param option the option naming it
     * @param file the file
     * @return {@code file}
     * @throws UsageException when it is missing, a folder or unreadable
     */
    public static Path readableFile(String option, Path file) {
        if (readable(option, file).isDirectory()) {
            throw new UsageException(option, file + ": is a folder, not a file");
        }
        return file;
    }

    /**
     * Checks that a file or folder exists and can be read.
     *
     * @param option the option naming it
     * @param path the file or folder
     * @return {@code path}
     * @throws UsageException when it is missing or unreadable
     */
    public static Path readableFileOrFolder(String option, Path path) {
        readable(option, path);
        return path;
    }

    private static BasicFileAttributes readable(String option, Path path) {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(path, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new UsageException(option, path + ": no such file", e);
        } catch (IOException e) {
            throw new UsageException(option, path + ": cannot be read: " + reason(e, path), e);
        }
        if (!Files.isReadable(path)) {
            throw new UsageException(option, path + ": cannot be read: permission denied");
        }
        return a;
    }

    /**
     * Creates a folder (and its parents) if missing and checks that it can be written.
     *
     * @param option the option naming it
     * @param folder the folder
     * @return {@code folder}
     * @throws UsageException when it cannot be created or written
     */
    public static Path writableFolder(String option, Path folder) {
        createFolder(option, folder.toString(), folder);
        if (!Files.isWritable(folder)) {
            throw new UsageException(option, folder + ": the folder cannot be written: permission denied");
        }
        return folder;
    }

    /**
     * Creates a file's folder if missing and checks that the file can be created or overwritten (without writing it).
     *
     * @param option the option naming it
     * @param file the file
     * @return {@code file}
     * @throws UsageException when it is a folder, or it or its folder cannot be created or written
     */
    public static Path writableFile(String option, Path file) {
        Path abs = file.toAbsolutePath();
        if (Files.isDirectory(abs)) {
            throw new UsageException(option, file + ": is a folder, not a file");
        }
        Path parent = abs.getParent();
        if (parent != null) {
            createFolder(option, file.toString(), parent);
        }
        if (Files.exists(abs) ? !Files.isWritable(abs) : parent != null && !Files.isWritable(parent)) {
            throw new UsageException(option, file + ": cannot be written: permission denied");
        }
        return file;
    }

    private static void createFolder(String option, String shown, Path folder) {
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new UsageException(
                    option,
                    shown + ": cannot create "
                            + (shown.equals(folder.toString()) ? "the folder" : "the folder " + folder) + ": "
                            + reason(e, folder),
                    e);
        }
    }

    /**
     * Reads and validates a measures file.
     *
     * @param option the option naming it
     * @param file the measures YAML
     * @return the measures
     * @throws UsageException when the file is missing or unreadable, or with the loader's message when invalid
     */
    public static MeasuresConfig measures(String option, Path file) {
        readableFile(option, file);
        try {
            return MeasuresYaml.read(file);
        } catch (InvalidMeasureException e) {
            throw new UsageException(option, file + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UsageException(option, file + ": cannot be read: " + reason(e, file), e);
        }
    }

    /**
     * Checks that a results database can be used: a driver takes the URL, a SQLite file's folder exists (it is
     * created), the database accepts a connection and has (or now has) the result tables.
     *
     * @param option the option naming it
     * @param jdbcUrl the JDBC URL
     * @return {@code jdbcUrl}
     * @throws UsageException naming the URL (password hidden) and the driver's reason
     */
    public static String database(String option, String jdbcUrl) {
        String shown = jdbcUrl.replaceAll("(?i)(password=)[^&;]*", "$1***");
        try {
            JdbcConnections.driverFor(jdbcUrl);
        } catch (SQLException e) {
            throw new UsageException(
                    option,
                    shown + ": no JDBC driver takes this URL (included: jdbc:sqlite:FILE, "
                            + "jdbc:postgresql://HOST:PORT/DATABASE)",
                    e);
        }
        Path file = sqliteFile(jdbcUrl);
        if (file != null && file.toAbsolutePath().getParent() != null) {
            createFolder(option, shown, file.toAbsolutePath().getParent());
        }
        try {
            JdbcTables.createIfMissing(JdbcOutputs.effectiveUrl(jdbcUrl));
        } catch (SQLException e) {
            throw new UsageException(option, shown + ": " + reason(e), e);
        }
        return jdbcUrl;
    }

    private static Path sqliteFile(String url) {
        String prefix = "jdbc:sqlite:";
        if (!url.startsWith(prefix) || url.contains("mode=memory")) {
            return null;
        }
        String f = url.substring(prefix.length());
        f = f.indexOf('?') < 0 ? f : f.substring(0, f.indexOf('?'));
        f = f.startsWith("file:") ? f.substring("file:".length()) : f;
        if (f.isEmpty() || f.startsWith(":")) {
            return null;
        }
        try {
            return Paths.get(f);
        } catch (InvalidPathException e) {
            return null;
        }
    }

    private static String reason(SQLException e) {
        String r = e.getMessage() != null ? e.getMessage() : "cannot connect";
        for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
            if (c instanceof UnknownHostException) {
                r += " (unknown host " + c.getMessage() + ")";
            }
        }
        return r;
    }

    private static String reason(IOException e, Path target) {
        String file = e instanceof FileSystemException ? ((FileSystemException) e).getFile() : null;
        String at = file == null || file.equals(target.toString()) ? "" : " (" + file + ")";
        if (e instanceof NoSuchFileException) {
            return "no such file or folder" + at;
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied" + at;
        }
        if (e instanceof FileAlreadyExistsException) {
            return at.isEmpty() ? "a file of that name exists" : file + " is a file, not a folder";
        }
        if (e instanceof FileSystemException && ((FileSystemException) e).getReason() != null) {
            String r = ((FileSystemException) e).getReason();
            return Character.toLowerCase(r.charAt(0)) + r.substring(1) + at;
        }
        return e.getMessage() != null ? e.getMessage() : "cannot be accessed" + at;
    }

    /**
     * @param message a message, possibly over several lines (e.g. a YAML parser's, with a snippet)
     * @return the message on one line, line breaks and their indentation replaced by one space
     */
    static String oneLine(String message) {
        return message == null ? "" : message.trim().replaceAll("\\s*\\R\\s*", " ");
    }
}
