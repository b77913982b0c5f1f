package io.flightcontroller.benchmark;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a JSON Lines workload into one file per source reader, by case, so that each reader of a parallel run reads
 * its own cases in the file's (event-time) order.
 *
 * <p>Shape: a line goes to file {@code n mod shards}, where {@code n} is the number after the first {@code case-} in
 * the line (the generator's correlation ids), or 0 when there is none; files are named
 * {@code <file>.shard<i>of<shards>} beside the input.
 */
final class Shards {
    private Shards() {}

    /**
     * @param single the workload file
     * @param n number of shards
     * @return the shard files, in shard order
     * @throws IOException when a file cannot be read or written
     */
    static List<Path> byCase(Path single, int n) throws IOException {
        List<Path> out = new ArrayList<>();
        List<PrintWriter> ws = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Path p = single.resolveSibling(single.getFileName() + ".shard" + i + "of" + n);
            out.add(p);
            ws.add(new PrintWriter(Files.newBufferedWriter(p, StandardCharsets.UTF_8)));
        }
        try (BufferedReader r = Files.newBufferedReader(single, StandardCharsets.UTF_8)) {
            String l;
            while ((l = r.readLine()) != null) {
                // by case: "case-<n>" right after {"correlation_id":" ; malformed lines keep their prefix too
                int s = l.indexOf("case-");
                long caseNo = 0;
                if (s >= 0) {
                    int e = s + 5;
                    while (e < l.length() && Character.isDigit(l.charAt(e))) {
                        e++;
                    }
                    caseNo = e > s + 5 ? Long.parseLong(l.substring(s + 5, e)) : 0;
                }
                ws.get((int) (caseNo % n)).println(l);
            }
        }
        for (PrintWriter w : ws) {
            w.close();
        }
        return out;
    }
}
