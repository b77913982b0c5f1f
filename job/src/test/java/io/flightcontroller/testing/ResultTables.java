package io.flightcontroller.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.flightcontroller.adapters.jdbc.JdbcOutputs;
import io.flightcontroller.adapters.jdbc.JdbcTables;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Every result table of a run ({@link JdbcTables#TABLES}) as text, to compare runs table by table.
 *
 * <p>Shape: table name to its rows, each row {@code column=value|column=value|...} with every column in table order
 * (names included, so a difference is readable), rows sorted as text (the key columns come first, so this is key
 * order, the same in SQLite and PostgreSQL whatever their collation). Values are rendered the same way for both
 * databases: null as {@code null}, integers as digits, floating-point values by {@link Double#toString(double)},
 * text as is.
 */
public final class ResultTables {
    private ResultTables() {}

    /**
     * @param jdbcUrl the database a run wrote
     * @return every result table, in {@link JdbcTables#TABLES} order
     * @throws Exception when the database cannot be read
     */
    public static Map<String, List<String>> dump(String jdbcUrl) throws Exception {
        Map<String, List<String>> tables = new LinkedHashMap<>();
        try (Connection c = DriverManager.getConnection(JdbcOutputs.effectiveUrl(jdbcUrl));
                Statement s = c.createStatement()) {
            for (String table : JdbcTables.TABLES) {
                List<String> rows = new ArrayList<>();
                try (ResultSet rs = s.executeQuery("SELECT * FROM " + table)) {
                    ResultSetMetaData md = rs.getMetaData();
                    while (rs.next()) {
                        StringBuilder sb = new StringBuilder();
                        for (int i = 1; i <= md.getColumnCount(); i++) {
                            sb.append(i == 1 ? "" : "|")
                                    .append(md.getColumnName(i))
                                    .append('=')
                                    .append(render(rs.getObject(i)));
                        }
                        rows.add(sb.toString());
                    }
                }
                Collections.sort(rows);
                tables.put(table, rows);
            }
        }
        return tables;
    }

    private static String render(Object v) {
        if (v instanceof Double || v instanceof Float || v instanceof BigDecimal) {
            return Double.toString(((Number) v).doubleValue());
        }
        return String.valueOf(v); // null, integers of any width, text
    }

    /**
     * Asserts that two runs left the same rows in every table except {@code except}, naming for each table that
     * differs its row counts and the first rows found in only one of them.
     *
     * @param what what is compared, for the message (e.g. "parallelism 4 vs 2")
     * @param expected tables of the reference run
     * @param actual tables of the run under test
     * @param except tables left out of the comparison
     */
    public static void assertSame(
            String what, Map<String, List<String>> expected, Map<String, List<String>> actual, String... except) {
        Set<String> skip = new LinkedHashSet<>(java.util.Arrays.asList(except));
        Map<String, String> differences = new TreeMap<>();
        for (String table : JdbcTables.TABLES) {
            if (skip.contains(table)) {
                continue;
            }
            List<String> e = expected.get(table);
            List<String> a = actual.get(table);
            if (!e.equals(a)) {
                differences.put(
                        table,
                        e.size() + " rows expected, " + a.size() + " found; only expected: " + firstMissing(e, a)
                                + "; only found: " + firstMissing(a, e));
            }
        }
        assertThat(differences).as("tables that differ, " + what).isEmpty();
    }

    private static List<String> firstMissing(List<String> from, Collection<String> in) {
        Set<String> other = new java.util.HashSet<>(in);
        List<String> out = new ArrayList<>();
        for (String row : from) {
            if (!other.contains(row)) {
                out.add(row);
                if (out.size() == 5) {
                    break;
                }
            }
        }
        return out;
    }
}
